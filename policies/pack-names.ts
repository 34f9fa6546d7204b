/** The policy packs by name, in the order `check` runs them (packs.ts POLICY_PACKS holds one of each, in this order). */
export const POLICY_PACK_NAMES = ["eu-residency", "guardrails", "secrets", "tenant-isolation"] as const;
