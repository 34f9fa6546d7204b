import type { PolicyConfigSchema } from "@pulumi/policy";
import { configOf } from "../lib/config";
import type { Declared } from "../lib/proofs/exposure";
import { PROPERTIES } from "../lib/proofs/types";

// What the spec declares reaches the factory from outside (access.operatorCidrs, operatorSecurityGroupIds,
// publicEndpointCidrs) and the accounts the organisation admits: the same settings on every policy of the pack, so
// one analysis serves them all. `gigafactory check` fills them from the plan's spec; `pulumi preview` takes them from
// `--policy-pack-config`.

const list = (description: string, pattern?: string) => ({ type: "array" as const, items: { type: "string" as const, ...(pattern ? { pattern } : {}) }, default: [], description });

export const declaredSchema: PolicyConfigSchema = {
  properties: {
    declaredCidrs: list("Networks the spec connects to the VPC (access.operatorCidrs)."),
    declaredSecurityGroupIds: list("Security groups the spec admits to the API server (access.operatorSecurityGroupIds)."),
    publicEndpointCidrs: list("Public ranges the spec opens the API endpoint to (access.publicEndpointCidrs)."),
    allowedAccountIds: list("Accounts besides the factory's own whose principals may be admitted, each by decision.", "^[0-9]{12}$"),
  },
};

export function declaredOf(args: { getConfig<C extends object>(): C }): Declared {
  const c = configOf<{ declaredCidrs: string[]; declaredSecurityGroupIds: string[]; publicEndpointCidrs: string[]; allowedAccountIds: string[] }>(args, declaredSchema);
  return { cidrs: c.declaredCidrs, securityGroupIds: c.declaredSecurityGroupIds, publicEndpointCidrs: c.publicEndpointCidrs, accountIds: c.allowedAccountIds };
}

/** The settings the spec of a plan gives (its `access`), for every policy of the pack the config does not set. */
export function declaredConfigOf(spec: unknown, policies: readonly string[], config: Record<string, unknown>): Record<string, unknown> {
  const access = ((spec as { access?: Record<string, unknown> } | undefined)?.access ?? {}) as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  const fromSpec = { declaredCidrs: strings(access.operatorCidrs), declaredSecurityGroupIds: strings(access.operatorSecurityGroupIds), publicEndpointCidrs: strings(access.publicEndpointCidrs) };
  const out = { ...config };
  for (const name of policies) {
    const given = config[name];
    if (typeof given === "string") continue;
    out[name] = { ...fromSpec, ...((given as Record<string, unknown> | undefined) ?? {}) };
  }
  return out;
}

/** The pack's policies: one per property, and the coverage advice. */
export const ISOLATION_POLICY_NAMES: readonly string[] = [...Object.keys(PROPERTIES), "proof-coverage"];

/** A policy config with what the plan's spec declares, for the tenant-isolation policies: what `check` runs with. */
export function configWithSpec(snapshot: { spec?: unknown }, config: Record<string, unknown> = {}): Record<string, unknown> {
  return declaredConfigOf(snapshot.spec, ISOLATION_POLICY_NAMES, config);
}
