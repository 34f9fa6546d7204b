import { chartRelease, formatSupport, kubernetesMinor, type ChartName } from "../core/catalog/kubernetes";
import type { PlanSnapshot } from "./snapshot";

// The Helm releases two plans of one factory run (the blueprint's charts: core/blueprint/charts.ts), compared: what a
// Kubernetes minor bump moves in the cluster, in the words a reviewer reads.

interface SnapshotChart {
  chart: string;
  version: string;
  supports: string | null;
}

type Planned = Pick<PlanSnapshot, "spec"> & Partial<Pick<PlanSnapshot, "blueprint">>;

/** The releases a plan's cluster runs (its blueprint's); judged on the spec alone, or a plan older than the blueprint's charts, the ones its minor's data file selects. */
function chartsOf(snapshot: Planned, kubernetesVersion: string): SnapshotChart[] {
  const charts = (snapshot.blueprint as { charts?: unknown } | undefined)?.charts;
  if (Array.isArray(charts)) return charts as SnapshotChart[];
  const selected: Readonly<Record<string, string>> = kubernetesMinor(kubernetesVersion)?.charts ?? {};
  return Object.entries(selected).map(([chart, version]) => {
    const release = chartRelease(chart as ChartName, version);
    return { chart, version, supports: release ? formatSupport(release) : null };
  });
}

export interface ChartChanges {
  /** `kueue 0.19.2 → 0.20.0`, one a chart whose release moves. */
  moved: string[];
  added: string[];
  removed: string[];
  /** `kueue 0.19.2 (1.29 or newer)`, the releases that stay and the minors they run on. */
  kept: string[];
}

export function chartChanges(before: Planned, after: Planned, from: string, to: string): ChartChanges {
  const old = new Map(chartsOf(before, from).map((c) => [c.chart, c]));
  const now = chartsOf(after, to);
  const range = (c: SnapshotChart) => (c.supports ? ` (${c.supports})` : "");
  return {
    moved: now.filter((c) => old.has(c.chart) && old.get(c.chart)!.version !== c.version).map((c) => `${c.chart} ${old.get(c.chart)!.version} → ${c.version}${range(c)}`),
    added: now.filter((c) => !old.has(c.chart)).map((c) => `${c.chart} ${c.version}${range(c)}`),
    removed: [...old.values()].filter((c) => !now.some((n) => n.chart === c.chart)).map((c) => `${c.chart} ${c.version}`),
    kept: now.filter((c) => old.get(c.chart)?.version === c.version).map((c) => `${c.chart} ${c.version}${range(c)}`),
  };
}

/** One line of the upgrade order: the charts the platform layer upgrades, or that every kept release runs on the new minor. */
export function chartStep(changes: ChartChanges, to: string): string {
  const parts = [
    ...(changes.moved.length > 0 ? [`upgrades ${changes.moved.join(", ")}`] : []),
    ...(changes.added.length > 0 ? [`installs ${changes.added.join(", ")}`] : []),
    ...(changes.removed.length > 0 ? [`removes ${changes.removed.join(", ")}`] : []),
  ];
  const kept = changes.kept.length > 0 ? `; kept, each supporting ${to}: ${changes.kept.join(", ")}` : "";
  const what = parts.length > 0 ? parts.join("; ") : "changes no chart release";
  return `the in-cluster charts (platform layer, after the add-ons, from the releases core/catalog/kubernetes/${to}.ts selects): ${what}${kept}`;
}
