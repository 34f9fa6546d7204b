import type { PlanSnapshot, SnapshotResource } from "../../../plan/snapshot";
import { runPacks, type CheckResult, type PolicyDiagnostic } from "../../../policies/harness/run";
import { TENANT_ISOLATION_PACK } from "../../../policies/packs";
import { configWithSpec } from "../../../policies/tenant-isolation/declared";

// The tenant-isolation pack over a plan as `gigafactory check` runs it (the spec's declared networks in its config),
// and the edits the tests make to a real plan, one at a time.

export function prove(snapshot: PlanSnapshot): Promise<CheckResult> {
  return runPacks(snapshot, [TENANT_ISOLATION_PACK], { config: configWithSpec(snapshot) });
}

export const mandatory = (r: CheckResult, policy?: string): PolicyDiagnostic[] => r.diagnostics.filter((d) => d.enforcementLevel === "mandatory" && (!policy || d.policy === policy));

export const lines = (r: CheckResult): string => [...r.diagnostics.map((d) => `${d.enforcementLevel} ${d.policy}: ${d.resourceName ?? "(plan)"}: ${d.message}`), ...r.failures.map((f) => `error ${f.policy}: ${f.message}`)].join("\n");

/** The one resource of a type whose name ends with the suffix. */
export function resource(s: PlanSnapshot, type: string, suffix: string): SnapshotResource {
  const found = s.resources.filter((r) => r.type === type && r.name.endsWith(suffix));
  if (found.length !== 1) throw new Error(`${found.length} resources ${type} *${suffix}`);
  return found[0];
}

export function editPolicy(r: SnapshotResource, input: string, edit: (doc: { Statement: Record<string, unknown>[] }) => void): void {
  const doc = JSON.parse(r.inputs[input] as string);
  edit(doc);
  r.inputs[input] = JSON.stringify(doc);
}

export const without = (s: PlanSnapshot, r: SnapshotResource): void => {
  s.resources = s.resources.filter((x) => x.urn !== r.urn);
};
