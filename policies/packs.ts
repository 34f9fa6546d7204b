import { EU_RESIDENCY_PACK } from "./eu-residency/pack";
import { GUARDRAILS_PACK } from "./guardrails/pack";
import { SECRETS_PACK } from "./secrets/pack";
import { TENANT_ISOLATION_PACK } from "./tenant-isolation/pack";
import type { PackDefinition } from "./pack-definition";

// The packs as one registry: `gigafactory check` and the tests run the very objects the packs' entry points serve.

export type { PackDefinition };
export { EU_RESIDENCY_PACK, GUARDRAILS_PACK, SECRETS_PACK, TENANT_ISOLATION_PACK };

export const POLICY_PACKS: readonly PackDefinition[] = [EU_RESIDENCY_PACK, GUARDRAILS_PACK, SECRETS_PACK, TENANT_ISOLATION_PACK];

/** The packs a `--pack` option selects (all when none); undefined when the name matches no pack. */
export function selectPacks(name?: string): PackDefinition[] | undefined {
  if (!name) return [...POLICY_PACKS];
  const found = POLICY_PACKS.filter((p) => p.name === name);
  return found.length ? found : undefined;
}
