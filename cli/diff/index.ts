import { analyseDrains } from "../../plan/drains";
import { kubernetesUpgrade } from "../../plan/kubernetes-upgrade";
import { tolerationsFirst } from "../../plan/tolerations-first";
import { type PlanSnapshot, SnapshotError, stableStringify } from "../../plan/snapshot";
import { DISRUPTION_ORDER, worstDisruption } from "./disruption";
import { traceConsequences } from "./consequences";
import { factoryMeaning } from "./factory";
import { intentOf } from "./intent";
import { specChanges } from "./spec-changes";
import { shortType } from "./format";
import { diffResources, type Attribution } from "./resources";
import { stacksToUpdate } from "./stacks";
import type { DiffResult, DiffSummary, DisruptionClass, FindingDelta, ResourceChange } from "./types";

// The pure core of `gigafactory diff`: two PlanSnapshots of the same stack in, one DiffResult out.

export type { DiffResult } from "./types";

/** The diff as JSON with a stable key order: the same two plans always give the same bytes. */
export function renderJson(diff: DiffResult): string {
  return `${stableStringify(diff)}\n`;
}

/** Refuses to compare plans of different projects or stacks: the URNs would not line up. */
function assertComparable(before: PlanSnapshot, after: PlanSnapshot): void {
  if (before.project !== after.project) {
    throw new SnapshotError(
      `the plans are of different projects (${before.project} and ${after.project}) — diff two plans of the same stack`,
    );
  }
  if (before.stack !== after.stack) {
    throw new SnapshotError(
      `the plans are of different stacks (${before.stack} and ${after.stack}) — diff two plans of the same stack, e.g. the base and the head of a pull request`,
    );
  }
}

export function diffSnapshots(before: PlanSnapshot, after: PlanSnapshot): DiffResult {
  assertComparable(before, after);
  const { changes, unchanged } = diffResources(before, after, attribution(before, after));
  const meaning = factoryMeaning(before, after);
  const { asked: spec, derived } = specChanges(before, after);
  const findings = findingDeltas(before, after);
  const disruption = worstDisruption(changes.map((c) => c.disruption));
  const meaningChanged =
    meaning.figures.some((f) => f.before !== f.after) ||
    meaning.pools.some((p) => p.status !== "unchanged") ||
    meaning.tenants.some((t) => t.status !== "unchanged") ||
    meaning.unitsAdded.length + meaning.unitsRemoved.length + meaning.unitsResized.length > 0 ||
    spec.length + derived.length > 0;
  return {
    format: "gigafactory.diff/v1",
    project: after.project,
    stack: after.stack,
    disruption,
    disruptionReasons: reasons(changes, disruption),
    summary: summarise(changes, unchanged),
    stacks: stacksToUpdate(before, after, changes),
    changes,
    meaning,
    findings,
    intent: intentOf(before, after, spec),
    consequences: traceConsequences(before, after, changes, spec),
    identical: changes.length === 0 && !meaningChanged && findings.every((f) => f.status === "kept"),
    drains: analyseDrains(before, after),
    kubernetes: kubernetesUpgrade(before, after),
    tolerationsFirst: tolerationsFirst(before, after),
  };
}

/** What the diff refuses (exit 2): a Kubernetes downgrade or skip, a wave draining more than its pool allows. */
export function refusals(diff: DiffResult) {
  return [...(diff.kubernetes?.refused ? [diff.kubernetes.refused] : []), ...(diff.drains?.findings ?? [])];
}

function attribution(before: PlanSnapshot, after: PlanSnapshot): Attribution {
  const unitPool = new Map<string, string>();
  const pools = new Set<string>();
  for (const s of [before, after]) {
    const bp = s.blueprint as { units?: { name: string; pool: string }[]; pools?: { name: string }[] };
    for (const u of bp.units ?? []) unitPool.set(u.name, u.pool);
    for (const p of bp.pools ?? []) pools.add(p.name);
  }
  return { units: new Set(unitPool.keys()), unitPool, pools };
}

function summarise(changes: ResourceChange[], unchanged: number): DiffSummary {
  const byDisruption = Object.fromEntries(DISRUPTION_ORDER.map((c) => [c, 0])) as Record<DisruptionClass, number>;
  const summary: DiffSummary = { create: 0, update: 0, replace: 0, delete: 0, unchanged, byDisruption };
  for (const c of changes) {
    summary[c.kind]++;
    byDisruption[c.disruption]++;
  }
  return summary;
}

const REASONS_SHOWN = 5;

/**
 * Why the whole change has its class: the changes of that class grouped by type, kind and the fields that
 * decided it ("391 × eks NodeGroup updated (version)"), the largest group first; then, briefly, the other
 * classes that touch workloads (a `replace` diff that also rolls nodes says so).
 */
function reasons(changes: ResourceChange[], worst: DisruptionClass): string[] {
  if (worst === "none") return [];
  const lines = reasonsOf(changes, worst, REASONS_SHOWN, "");
  for (const cls of ["replace", "rolling"] as const) {
    if (DISRUPTION_ORDER.indexOf(cls) < DISRUPTION_ORDER.indexOf(worst)) lines.push(...reasonsOf(changes, cls, 2, `also \`${cls}\`: `));
  }
  return lines;
}

function reasonsOf(changes: ResourceChange[], cls: DisruptionClass, shown: number, prefix: string): string[] {
  const groups = new Map<string, { type: string; kind: ResourceChange["kind"]; fields: string[]; notes: string[]; names: string[] }>();
  for (const c of changes.filter((x) => x.disruption === cls)) {
    const fields = [...new Set(c.inputs.filter((i) => i.disruption === cls || cls === "data-loss").map((i) => i.path))].slice(0, 3);
    const key = `${c.type}\u0000${c.kind}\u0000${fields.join(",")}`;
    const g = groups.get(key) ?? { type: c.type, kind: c.kind, fields, notes: c.notes, names: [] };
    g.names.push(c.name);
    groups.set(key, g);
  }
  const sorted = [...groups.values()].sort((x, y) => y.names.length - x.names.length || (x.names[0] < y.names[0] ? -1 : 1));
  const lines = sorted.slice(0, shown).map((g) => {
    const what = { create: "created", delete: "deleted", replace: "replaced", update: "updated" }[g.kind];
    const why = g.fields.length > 0 ? ` (${g.fields.join(", ")})` : g.notes.length > 0 ? ` (${g.notes[0]})` : "";
    return g.names.length === 1
      ? `${prefix}${shortType(g.type)} \`${g.names[0]}\` ${what}${why}`
      : `${prefix}${g.names.length} × ${shortType(g.type)} ${what}${why}, e.g. \`${g.names[0]}\``;
  });
  const rest = sorted.slice(shown).reduce((n, g) => n + g.names.length, 0);
  if (rest > 0) lines.push(`${prefix}and ${rest} more of the same class`);
  return lines;
}

function findingDeltas(before: PlanSnapshot, after: PlanSnapshot): FindingDelta[] {
  const key = (f: { level: string; path: string; message: string }) => `${f.level}\u0000${f.path}\u0000${f.message}`;
  const old = new Map(before.findings.map((f) => [key(f), f]));
  const now = new Map(after.findings.map((f) => [key(f), f]));
  const out: FindingDelta[] = [];
  for (const [k, f] of now) out.push({ ...f, hint: f.hint ?? "", status: old.has(k) ? "kept" : "new" });
  for (const [k, f] of old) if (!now.has(k)) out.push({ ...f, hint: f.hint ?? "", status: "resolved" });
  const levelRank = { error: 0, warning: 1, info: 2 } as const;
  const statusRank = { new: 0, kept: 1, resolved: 2 } as const;
  return out.sort(
    (x, y) =>
      statusRank[x.status] - statusRank[y.status] ||
      levelRank[x.level] - levelRank[y.level] ||
      (x.path < y.path ? -1 : x.path > y.path ? 1 : 0) ||
      (x.message < y.message ? -1 : x.message > y.message ? 1 : 0),
  );
}
