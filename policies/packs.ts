import type { EnforcementLevel, Policies } from "@pulumi/policy";
import euResidencyPackage from "./eu-residency/package.json";
import guardrailsPackage from "./guardrails/package.json";
import { guardrailPolicies } from "./guard";
import { euResidencyPolicies } from "./residency";

// The two packs as one registry: the packs' entry points serve them to the engine, `gigafactory check` and the
// tests run the very same objects offline. A pack's version is its package.json's, as PolicyPack reads it.

export interface PackDefinition {
  name: string;
  version: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  policies: Policies;
}

export const EU_RESIDENCY_PACK: PackDefinition = {
  name: "eu-residency",
  version: euResidencyPackage.version,
  description: euResidencyPackage.description,
  enforcementLevel: "mandatory",
  policies: euResidencyPolicies,
};

export const GUARDRAILS_PACK: PackDefinition = {
  name: "guardrails",
  version: guardrailsPackage.version,
  description: guardrailsPackage.description,
  enforcementLevel: "mandatory",
  policies: guardrailPolicies,
};

export const POLICY_PACKS: readonly PackDefinition[] = [EU_RESIDENCY_PACK, GUARDRAILS_PACK];

/** The packs a `--pack` option selects (all when none); undefined when the name matches no pack. */
export function selectPacks(name?: string): PackDefinition[] | undefined {
  if (!name) return [...POLICY_PACKS];
  const found = POLICY_PACKS.filter((p) => p.name === name);
  return found.length ? found : undefined;
}
