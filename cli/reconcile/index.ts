import type { DiffResult, ResourceChange } from "../diff/types";
import { DELETE_OPS, type PreviewDigest, REPLACE_OPS, urnParts } from "./preview";

// The real engine's preview beside the offline review: what `pulumi preview` plans to replace or delete that the
// offline diff of the same change did not show (flagged: the review under-states the change), and what the offline
// diff replaces or deletes that the real engine does not (the state the real engine reads differs from the base
// plan, or the offline table is stricter than the provider). Pure: previews and a DiffResult in, data out.

/** What one side does to a resource: only the destructive kinds are compared. */
export type Destruction = "replace" | "delete";

export interface ReconciledResource {
  /** The URN without its stack: the offline plan and the real stack may name the stack differently (org/stack). */
  key: string;
  urn: string;
  type: string;
  name: string;
  project: string;
  /** What the real engine plans (its step ops, e.g. `replace`), absent when it plans no replacement or deletion. */
  real?: Destruction;
  /** The real engine's reasons: the inputs that force the replacement (`replaceReasons`) or differ (`diffReasons`). */
  realReasons: string[];
  /** What the offline review shows for it: replace, delete, update, create, or nothing (`unchanged`). */
  offline: ResourceChange["kind"] | "unchanged";
  /** The offline review's disruption class and the inputs it named, when it changed the resource. */
  offlineDisruption?: ResourceChange["disruption"];
  offlineInputs: string[];
}

export interface PreviewedProject {
  project: string;
  /** The real engine's own count of steps by op (its `changeSummary`). */
  changeSummary: Record<string, number>;
  errors: string[];
}

export interface Reconciliation {
  format: "gigafactory.reconcile/v1";
  stack: string;
  projects: PreviewedProject[];
  /** Both sides replace or delete it. */
  agreed: ReconciledResource[];
  /** The real engine replaces or deletes it; the offline review does not. */
  realOnly: ReconciledResource[];
  /** The offline review replaces or deletes it, in a project the real engine previewed, which does not. */
  offlineOnly: ReconciledResource[];
}

export interface PreviewInput {
  /** The Pulumi project the preview ran in; read from its URNs when not given. */
  project?: string;
  digest: PreviewDigest;
}

/** The key both sides share: `<project>::<type chain>::<name>`. */
export function keyOf(urn: string): string {
  return urn.split("::").slice(1).join("::");
}

function destructionOf(ops: Set<string>): Destruction | undefined {
  if ([...ops].some((op) => REPLACE_OPS.has(op))) return "replace";
  if ([...ops].some((op) => DELETE_OPS.has(op))) return "delete";
  return undefined;
}

export function reconcile(diff: DiffResult, previews: readonly PreviewInput[]): Reconciliation {
  const offline = new Map(diff.changes.map((c) => [keyOf(c.urn), c]));
  const projects = new Map<string, PreviewedProject>();
  const real = new Map<string, { urn: string; ops: Set<string>; reasons: Set<string> }>();
  for (const preview of previews) {
    const stepProjects = new Set(preview.digest.steps.map((s) => urnParts(s.urn)?.project).filter((p): p is string => !!p));
    const names = preview.project ? [preview.project] : [...stepProjects];
    for (const project of names) {
      const p = projects.get(project) ?? { project, changeSummary: {}, errors: [] };
      for (const [op, n] of Object.entries(preview.digest.changeSummary)) p.changeSummary[op] = (p.changeSummary[op] ?? 0) + n;
      p.errors.push(...preview.digest.diagnostics.filter((d) => d.severity === "error" && d.message).map((d) => d.message));
      projects.set(project, p);
    }
    for (const step of preview.digest.steps) {
      const key = keyOf(step.urn);
      const entry = real.get(key) ?? { urn: step.urn, ops: new Set<string>(), reasons: new Set<string>() };
      entry.ops.add(step.op);
      for (const r of step.replaceReasons ?? []) entry.reasons.add(r);
      if (!step.replaceReasons?.length) for (const r of step.diffReasons ?? []) entry.reasons.add(r);
      real.set(key, entry);
    }
  }

  const agreed: ReconciledResource[] = [];
  const realOnly: ReconciledResource[] = [];
  const offlineOnly: ReconciledResource[] = [];
  const seen = new Set<string>();
  for (const [key, r] of real) {
    const destruction = destructionOf(r.ops);
    if (!destruction) continue;
    seen.add(key);
    const change = offline.get(key);
    const row = rowOf(key, r.urn, change, destruction, [...r.reasons]);
    (change && (change.kind === "replace" || change.kind === "delete") ? agreed : realOnly).push(row);
  }
  for (const [key, change] of offline) {
    if (seen.has(key) || (change.kind !== "replace" && change.kind !== "delete")) continue;
    // Only where the real engine looked: a layer not previewed says nothing either way.
    if (!projects.has(urnParts(change.urn)?.project ?? "")) continue;
    offlineOnly.push(rowOf(key, change.urn, change, undefined, [...(real.get(key)?.reasons ?? [])]));
  }
  const byKey = (a: ReconciledResource, b: ReconciledResource) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return {
    format: "gigafactory.reconcile/v1",
    stack: diff.stack,
    projects: [...projects.values()].sort((a, b) => (a.project < b.project ? -1 : 1)),
    agreed: agreed.sort(byKey),
    realOnly: realOnly.sort(byKey),
    offlineOnly: offlineOnly.sort(byKey),
  };
}

function rowOf(key: string, urn: string, change: ResourceChange | undefined, real: Destruction | undefined, realReasons: string[]): ReconciledResource {
  const parts = urnParts(urn);
  return {
    key,
    urn,
    type: change?.type ?? parts?.type ?? "",
    name: change?.name ?? parts?.name ?? urn,
    project: parts?.project ?? "",
    real,
    realReasons: realReasons.sort(),
    offline: change?.kind ?? "unchanged",
    offlineDisruption: change?.disruption,
    offlineInputs: change ? [...new Set(change.inputs.map((i) => i.path))] : [],
  };
}
