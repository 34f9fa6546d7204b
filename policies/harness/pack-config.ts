import type { EnforcementLevel, Policies, PolicyConfigSchema } from "@pulumi/policy";
import { closest } from "../../core/spec/did-you-mean";
import { validateJson, type ConfigProblem } from "./json-schema";

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
  constructor(readonly problems: ConfigProblem[]) {
    super(`policy config is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  }
}

type GivenEntry = { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> };

const levels = ENFORCEMENT_LEVELS.join(", ");

function normalise(name: string, value: unknown, problems: ConfigProblem[]): GivenEntry | undefined {
  if (typeof value === "string") {
    if (!ENFORCEMENT_LEVELS.includes(value as EnforcementLevel)) {
      problems.push({ path: name, message: `${JSON.stringify(value)} is not an enforcement level`, hint: `use one of ${levels}` });
      return undefined;
    }
    return { enforcementLevel: value as EnforcementLevel, properties: {} };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push({ path: name, message: "expected an enforcement level or an object", hint: `write "mandatory" or { "enforcementLevel": "advisory", ... }` });
    return undefined;
  }
  const { enforcementLevel, ...properties } = value as Record<string, unknown>;
  if (enforcementLevel !== undefined && !ENFORCEMENT_LEVELS.includes(enforcementLevel as EnforcementLevel)) {
    problems.push({ path: `${name}.enforcementLevel`, message: `${JSON.stringify(enforcementLevel)} is not an enforcement level`, hint: `use one of ${levels}` });
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
  const problems: ConfigProblem[] = [];
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
    const config = result.get(p.name)!;
    // A policy without a schema takes no properties: any given is a mistake, not a setting.
    problems.push(...validateJson(config.properties, { type: "object", properties: schema?.properties ?? {}, required: schema?.required }, p.name));
  }
  if (problems.length > 0) throw new PolicyConfigError(problems);
  return result;
}

/** Policy names the document names that no pack has: refused, with the closest name, as the CLI would ignore them. */
export function unknownPolicyNames(allPolicies: Policies, given: Record<string, unknown>): ConfigProblem[] {
  const names = allPolicies.map((p) => p.name);
  return Object.keys(given)
    .filter((k) => k !== "all" && !names.includes(k))
    .map((k) => {
      const guess = closest(k, names);
      return { path: k, message: `there is no policy named ${JSON.stringify(k)} in these packs`, hint: guess ? `did you mean ${guess}?` : `name one of the packs' policies (gigafactory check lists them), or "all"` };
    });
}
