import type { EnforcementLevel, Policies, PolicyConfigSchema } from "@pulumi/policy";
import { validateJson } from "./json-schema";

// Policy config the way the Pulumi CLI builds it (pkg/resource/analyzer/config.go, ReconcilePolicyPackConfig):
// each policy starts from its schema's top-level defaults and its enforcement level, then "all" sets every
// level, then each policy's own entry; the result is validated against the schema. A config the CLI would refuse
// is refused here too, before any policy runs.

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface ReconciledPolicyConfig {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

/** A policy config the CLI would refuse; the check exits 2 with these messages. */
export class PolicyConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`policy config is invalid: ${problems.join("; ")}`);
  }
}

type GivenEntry = { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> };

function normalise(name: string, value: unknown, problems: string[]): GivenEntry | undefined {
  if (typeof value === "string") {
    if (!ENFORCEMENT_LEVELS.includes(value as EnforcementLevel)) {
      problems.push(`${name}: "${value}" is not an enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`);
      return undefined;
    }
    return { enforcementLevel: value as EnforcementLevel, properties: {} };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push(`${name}: expected an enforcement level or an object`);
    return undefined;
  }
  const { enforcementLevel, ...properties } = value as Record<string, unknown>;
  if (enforcementLevel !== undefined && !ENFORCEMENT_LEVELS.includes(enforcementLevel as EnforcementLevel)) {
    problems.push(`${name}.enforcementLevel: "${String(enforcementLevel)}" is not an enforcement level`);
    return undefined;
  }
  return { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, properties };
}

export function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema?.properties ?? {})) if ("default" in v) out[k] = structuredClone(v.default);
  return out;
}

/**
 * The config each policy of a pack runs with. `given` is a `--policy-pack-config` document: policy name (or
 * "all") → an enforcement level or `{ enforcementLevel?, ...properties }`. Names of other packs' policies are
 * ignored here, so one document can configure both packs.
 */
export function reconcileConfig(
  policies: Policies,
  packLevel: EnforcementLevel,
  given: Record<string, unknown> = {},
): Map<string, ReconciledPolicyConfig> {
  const problems: string[] = [];
  const result = new Map<string, ReconciledPolicyConfig>();
  for (const p of policies) {
    result.set(p.name, { enforcementLevel: p.enforcementLevel ?? packLevel, properties: schemaDefaults(p.configSchema) });
  }
  if ("all" in given) {
    const all = normalise("all", given.all, problems);
    if (all?.enforcementLevel) for (const c of result.values()) c.enforcementLevel = all.enforcementLevel;
  }
  for (const [name, value] of Object.entries(given)) {
    if (name === "all") continue;
    const current = result.get(name);
    if (!current) continue;
    const entry = normalise(name, value, problems);
    if (!entry) continue;
    if (entry.enforcementLevel) current.enforcementLevel = entry.enforcementLevel;
    Object.assign(current.properties, entry.properties);
  }
  for (const p of policies) {
    const schema = p.configSchema;
    if (!schema) continue;
    const config = result.get(p.name)!;
    problems.push(...validateJson(config.properties, { type: "object", properties: schema.properties, required: schema.required }).map((e) => `${p.name}: ${e}`));
  }
  if (problems.length > 0) throw new PolicyConfigError(problems);
  return result;
}

/** Policy names the document names that no pack has: most likely a typo, reported as a warning. */
export function unknownPolicyNames(allPolicies: Policies, given: Record<string, unknown>): string[] {
  const names = new Set(allPolicies.map((p) => p.name));
  return Object.keys(given).filter((k) => k !== "all" && !names.has(k));
}
