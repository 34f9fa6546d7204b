import type { Blueprint, PoolPlan, ScalableUnitPlan, TenantPlan } from "../../core/blueprint/types";
import type { PlanSnapshot } from "../../plan/snapshot";
import { formatNumber } from "./format";
import type { DiffResult, ResourceChange } from "./types";

// A Mermaid flowchart of the factory after the change: region → availability zone → pools → scalable
// units, storage, schedulers and tenants grouped by priority, with what the change touches marked.
// Units are drawn as runs of consecutive units of the same status, so the picture stays small at 400 units.

type Mark = "added" | "changed" | "removed" | "unchanged";

const MAX_RUNS_PER_POOL = 6;
const NAMES_IN_SUMMARY = 4;

export function factoryMermaid(before: PlanSnapshot, after: PlanSnapshot, diff: DiffResult): string {
  const b = before.blueprint as Partial<Blueprint>;
  const a = after.blueprint as Partial<Blueprint>;
  const g = new Graph();
  const touchedPools = new Set(diff.changes.map((c) => c.pool).filter((p): p is string => !!p));
  const touchedUnits = new Set(diff.changes.map((c) => c.unit).filter((u): u is string => !!u));
  const touchedTenants = new Set(diff.changes.map((c) => c.tenant).filter((t): t is string => !!t));
  const poolStatus = new Map(diff.meaning.pools.map((p) => [p.name, p.status]));

  const region = a.region ?? b.region ?? "region";
  g.open("region", `${region} (region)`);

  const pools = mergeByName(b.pools ?? [], a.pools ?? []);
  const zones = [...new Set([...pools.map((p) => p.item.availabilityZone), a.storage?.availabilityZone].filter((z): z is string => !!z))].sort();
  for (const zone of zones) {
    g.open(`az_${zone}`, zone);
    for (const { item: pool, side } of pools.filter((p) => p.item.availabilityZone === zone)) {
      const st = poolStatus.get(pool.name);
      const mark: Mark = side === "before" ? "removed" : st === "added" ? "added" : st === "changed" || touchedPools.has(pool.name) ? "changed" : "unchanged";
      const poolId = g.node(
        `pool_${pool.name}`,
        `pool ${pool.name}<br/>${pool.instanceType} · ${formatNumber(pool.nodes)} nodes · ${formatNumber(pool.gpus)} GPUs`,
        mark,
      );
      const units = unitsOfPool(pool.name, b.units ?? [], a.units ?? []);
      for (const run of unitRuns(units, diff, touchedUnits)) {
        const runId = g.node(`units_${pool.name}_${run.first}`, run.label, run.mark);
        g.edge(poolId, runId);
      }
    }
    if (a.storage?.availabilityZone === zone) {
      const storageTouched =
        diff.changes.some((c) => c.type.startsWith("aws:fsx/")) ||
        diff.meaning.figures.some((f) => (f.label.startsWith("Storage") || f.label.startsWith("Checkpoint")) && f.before !== f.after);
      g.node(
        "lustre",
        `FSx for Lustre<br/>${formatNumber(a.storage.capacityTiB)} TiB · ${formatNumber(a.storage.throughputMBps)} MB/s`,
        storageTouched ? "changed" : "unchanged",
      );
    }
    g.close();
  }

  g.node("buckets", "S3 buckets", diff.changes.some((c) => c.type.startsWith("aws:s3/")) ? "changed" : "unchanged");

  g.open("schedulers", "schedulers");
  const k8sVersion = diff.meaning.figures.find((f) => f.label === "Kubernetes version");
  const eksTouched = diff.changes.some((c) => c.type.startsWith("aws:eks/cluster") || c.type.startsWith("aws:eks/addon")) || (!!k8sVersion && k8sVersion.before !== k8sVersion.after);
  g.node("eks", `EKS${k8sVersion?.after ? ` ${k8sVersion.after}` : ""} control plane`, eksTouched ? "changed" : "unchanged");
  g.node("kueue", "Kueue queues", diff.changes.some((c) => c.type.includes("kueue.x-k8s.io")) ? "changed" : "unchanged");
  g.node("slurm", "Slurm", diff.changes.some(isSlurm) ? "changed" : "unchanged");
  g.close();

  g.open("tenants", `tenants (${formatNumber(a.tenants?.length ?? 0)})`);
  const tenantStatus = new Map(diff.meaning.tenants.map((t) => [t.name, t.status]));
  for (const group of tenantGroups(b.tenants ?? [], a.tenants ?? [])) {
    const statuses = group.tenants.map((t) => tenantStatus.get(t) ?? "unchanged");
    const touched = group.tenants.filter((t, i) => statuses[i] !== "unchanged" || touchedTenants.has(t));
    const mark: Mark = touched.length === 0 ? "unchanged" : statuses.every((s) => s === "added") ? "added" : statuses.every((s) => s === "removed") ? "removed" : "changed";
    const detail = touched.length > 0 ? `<br/>changed: ${listNames(touched)}` : "";
    g.node(`tenants_${group.priority}`, `${group.priority}: ${plural(group.count, "tenant")} · ${formatNumber(group.gpus)} GPUs${detail}`, mark);
  }
  g.close();
  g.close();

  g.edge("tenants", "schedulers");
  for (const { item: pool, side } of pools) if (side !== "before") g.edge("schedulers", `pool_${pool.name}`);
  if (a.storage?.availabilityZone) g.edge("lustre", "buckets");
  return g.render();
}

function isSlurm(c: ResourceChange): boolean {
  return /slurm|slinky/i.test(c.type) || /slurm/i.test(c.name);
}

interface UnitRun {
  first: string;
  label: string;
  mark: Mark;
}

function unitsOfPool(pool: string, before: ScalableUnitPlan[], after: ScalableUnitPlan[]): { unit: ScalableUnitPlan; removed: boolean }[] {
  const now = after.filter((u) => u.pool === pool);
  const names = new Set(now.map((u) => u.name));
  const gone = before.filter((u) => u.pool === pool && !names.has(u.name));
  return [...now.map((unit) => ({ unit, removed: false })), ...gone.map((unit) => ({ unit, removed: true }))].sort(
    (x, y) => x.unit.index - y.unit.index || (x.unit.name < y.unit.name ? -1 : 1),
  );
}

function unitRuns(units: { unit: ScalableUnitPlan; removed: boolean }[], diff: DiffResult, touched: Set<string>): UnitRun[] {
  const added = new Set(diff.meaning.unitsAdded);
  const resized = new Set(diff.meaning.unitsResized);
  const marked = units.map(({ unit, removed }) => ({
    unit,
    mark: (removed ? "removed" : added.has(unit.name) ? "added" : resized.has(unit.name) || touched.has(unit.name) ? "changed" : "unchanged") as Mark,
  }));
  const runs: { mark: Mark; units: ScalableUnitPlan[] }[] = [];
  for (const m of marked) {
    const last = runs[runs.length - 1];
    if (last && last.mark === m.mark) last.units.push(m.unit);
    else runs.push({ mark: m.mark, units: [m.unit] });
  }
  if (runs.length <= MAX_RUNS_PER_POOL) {
    return runs.map((r) => ({ first: r.units[0].name, mark: r.mark, label: runLabel(r.units, r.mark) }));
  }
  // Too scattered to draw as runs: one node per status, naming the first units.
  const order: Mark[] = ["unchanged", "changed", "added", "removed"];
  return order
    .map((mark) => ({ mark, units: marked.filter((m) => m.mark === mark).map((m) => m.unit) }))
    .filter((r) => r.units.length > 0)
    .map((r) => ({
      first: r.units[0].name,
      mark: r.mark,
      label: `${formatNumber(r.units.length)} units ${r.mark}${r.mark === "unchanged" ? "" : `: ${listNames(r.units.map((u) => u.name))}`}`,
    }));
}

function runLabel(units: ScalableUnitPlan[], mark: Mark): string {
  const first = units[0];
  const last = units[units.length - 1];
  const span = units.length === 1 ? first.name : `${first.name} … ${last.name}`;
  const nodes = new Set(units.map((u) => u.nodes));
  const size = nodes.size === 1 ? ` × ${formatNumber(first.nodes)} nodes` : "";
  return `${span}<br/>${formatNumber(units.length)} unit${units.length === 1 ? "" : "s"}${size}${mark === "unchanged" ? "" : ` · ${mark}`}`;
}

function plural(n: number, noun: string): string {
  return `${formatNumber(n)} ${noun}${n === 1 ? "" : "s"}`;
}

function listNames(names: string[]): string {
  const shown = names.slice(0, NAMES_IN_SUMMARY).join(", ");
  return names.length > NAMES_IN_SUMMARY ? `${shown} and ${formatNumber(names.length - NAMES_IN_SUMMARY)} more` : shown;
}

function tenantGroups(before: TenantPlan[], after: TenantPlan[]): { priority: string; count: number; gpus: number; tenants: string[] }[] {
  const names = new Set(after.map((t) => t.name));
  const all = [...after, ...before.filter((t) => !names.has(t.name))];
  const groups = new Map<string, { priority: string; count: number; gpus: number; tenants: string[]; rank: number }>();
  for (const t of all) {
    const g = groups.get(t.priority) ?? { priority: t.priority, count: 0, gpus: 0, tenants: [], rank: t.priorityValue ?? 0 };
    if (names.has(t.name)) {
      g.count++;
      g.gpus += t.gpuQuota;
    }
    g.tenants.push(t.name);
    groups.set(t.priority, g);
  }
  for (const g of groups.values()) g.tenants.sort();
  return [...groups.values()].sort((x, y) => y.rank - x.rank || (x.priority < y.priority ? -1 : 1));
}

function mergeByName(before: PoolPlan[], after: PoolPlan[]): { item: PoolPlan; side: "after" | "before" }[] {
  const names = new Set(after.map((p) => p.name));
  return [
    ...after.map((item) => ({ item, side: "after" as const })),
    ...before.filter((p) => !names.has(p.name)).map((item) => ({ item, side: "before" as const })),
  ].sort((x, y) => (x.item.name < y.item.name ? -1 : 1));
}

/** Builds the flowchart text with safe ids and quoted labels. */
class Graph {
  private lines: string[] = ["flowchart TB"];
  private depth = 1;
  private classes: Record<Exclude<Mark, "unchanged">, string[]> = { added: [], changed: [], removed: [] };

  open(id: string, label: string): void {
    this.lines.push(`${this.indent()}subgraph ${safeId(id)}["${safeLabel(label)}"]`);
    this.depth++;
  }

  close(): void {
    this.depth--;
    this.lines.push(`${this.indent()}end`);
  }

  /** Declares a node and returns its id as given, for edges. */
  node(id: string, label: string, mark: Mark): string {
    const sid = safeId(id);
    this.lines.push(`${this.indent()}${sid}["${safeLabel(label)}"]`);
    if (mark !== "unchanged") this.classes[mark].push(sid);
    return id;
  }

  edge(from: string, to: string): void {
    this.edges.push(`  ${safeId(from)} --> ${safeId(to)}`);
  }

  private edges: string[] = [];

  render(): string {
    const out = [...this.lines, ...this.edges];
    out.push("  classDef added fill:#dff5dd,stroke:#2e7d32,color:#1b3d1c");
    out.push("  classDef changed fill:#fff2c2,stroke:#b58900,color:#4a3b00");
    out.push("  classDef removed fill:#f9d6d5,stroke:#b3261e,color:#4a0e0b,stroke-dasharray:4 2");
    for (const mark of ["added", "changed", "removed"] as const) {
      if (this.classes[mark].length > 0) out.push(`  class ${this.classes[mark].join(",")} ${mark}`);
    }
    return out.join("\n");
  }

  private indent(): string {
    return "  ".repeat(this.depth);
  }
}

/** Mermaid ids: letters, digits and underscores, never a keyword such as `end`. */
function safeId(id: string): string {
  return `n_${id.replace(/[^A-Za-z0-9]/g, "_")}`;
}

function safeLabel(label: string): string {
  return label.replace(/"/g, "#quot;").replace(/<(?!br\/>)/g, "#lt;").replace(/(?<!<br\/)>/g, "#gt;");
}
