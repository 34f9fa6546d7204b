import type { CheckResult } from "../../policies/harness/run";
import { provenLine } from "../../policies/lib/proofs/summary";
import { PROPERTIES, type PropertyName } from "../../policies/lib/proofs/types";

// The review's "proven" line, from the tenant-isolation pack's runs over the plan after the change: a property is
// proven when its policy ran and reported nothing.

export function provenSection(result: CheckResult, tenants: number): string | undefined {
  const runs = result.runs.filter((r) => r.pack === "tenant-isolation" && Object.hasOwn(PROPERTIES, r.policy));
  if (runs.length === 0) return undefined;
  const proven = (p: PropertyName) => {
    const run = runs.find((r) => r.policy === p);
    return run && run.enforcementLevel !== "disabled" ? run.violations === 0 && !result.failures.some((f) => f.policy === p) : undefined;
  };
  return `**Proven:** ${provenLine(tenants, proven)}`;
}
