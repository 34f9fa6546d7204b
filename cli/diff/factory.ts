import type { Blueprint, PoolPlan, QuotaNeed, ScalableUnitPlan, TenantPlan } from "../../core/blueprint/types";
import type { PlanSnapshot } from "../../plan/snapshot";
import type { FactoryMeaning, FigureChange, PoolChange, PoolFigures, QuotaChange, TenantChange, TenantFigures } from "./types";

// What a change means for the factory, read from the blueprints and specs of the two plans:
// GPUs, nodes, units, pools, tenants and quotas, storage, power and cost, before → after.

type BlueprintView = Partial<Blueprint>;

export function factoryMeaning(before: PlanSnapshot, after: PlanSnapshot): FactoryMeaning {
  const b = before.blueprint as BlueprintView;
  const a = after.blueprint as BlueprintView;
  return {
    figures: figures(before, after, b, a),
    pools: pools(b.pools ?? [], a.pools ?? []),
    tenants: tenants(b.tenants ?? [], a.tenants ?? []),
    quotas: quotas(b.quotas ?? [], a.quotas ?? []),
    ...units(b.units ?? [], a.units ?? []),
  };
}

function figures(before: PlanSnapshot, after: PlanSnapshot, b: BlueprintView, a: BlueprintView): FigureChange[] {
  const quotaSum = (v: BlueprintView) => (v.tenants ? v.tenants.reduce((s, t) => s + t.gpuQuota, 0) : null);
  const raises = (v: BlueprintView) => (v.quotas ? v.quotas.filter((q) => q.raise).length : null);
  const k8s = (s: PlanSnapshot) => {
    const v = (s.spec as { kubernetes?: { version?: unknown } }).kubernetes?.version;
    return typeof v === "string" ? v : null;
  };
  const rows: FigureChange[] = [
    { label: "Region", before: b.region ?? null, after: a.region ?? null },
    { label: "GPUs", before: b.totalGpus ?? null, after: a.totalGpus ?? null },
    { label: "Nodes", before: b.nodes ?? null, after: a.nodes ?? null },
    { label: "Scalable units", before: b.scalableUnits ?? null, after: a.scalableUnits ?? null },
    { label: "Pools", before: b.pools?.length ?? null, after: a.pools?.length ?? null },
    { label: "Tenants", before: b.tenants?.length ?? null, after: a.tenants?.length ?? null },
    { label: "Tenant GPU quotas, total", before: quotaSum(b), after: quotaSum(a), unit: "GPUs" },
    { label: "Storage capacity", before: b.storage?.capacityTiB ?? null, after: a.storage?.capacityTiB ?? null, unit: "TiB" },
    { label: "Storage throughput", before: b.storage?.throughputMBps ?? null, after: a.storage?.throughputMBps ?? null, unit: "MB/s" },
    { label: "Lustre metadata", before: b.storage?.metadata?.iops ?? null, after: a.storage?.metadata?.iops ?? null, unit: "IOPS" },
    { label: "Checkpoint write time", before: b.storage?.checkpointSeconds ?? null, after: a.storage?.checkpointSeconds ?? null, unit: "s" },
    { label: "Fabric bandwidth", before: b.fabric?.aggregateTbps ?? null, after: a.fabric?.aggregateTbps ?? null, unit: "Tbps" },
    { label: "Kubernetes version", before: k8s(before), after: k8s(after) },
    { label: "Service quotas to raise", before: raises(b), after: raises(a) },
    { label: "Power (IT load)", before: b.powerKW ?? null, after: a.powerKW ?? null, unit: "kW" },
    { label: "Cost per month (GPU nodes and Lustre)", before: b.costPerMonthEUR ?? null, after: a.costPerMonthEUR ?? null, unit: "EUR" },
    { label: "Storage, cost per month", before: b.storage?.costPerMonthEUR ?? null, after: a.storage?.costPerMonthEUR ?? null, unit: "EUR" },
  ];
  return rows.filter((r) => r.before !== null || r.after !== null);
}

function poolFigures(p: PoolPlan): PoolFigures {
  return {
    instanceType: p.instanceType,
    availabilityZone: p.availabilityZone,
    nodes: p.nodes,
    gpus: p.gpus,
    units: p.units?.length ?? 0,
    capacity: p.capacity?.source ?? "unknown",
  };
}

function pools(before: PoolPlan[], after: PoolPlan[]): PoolChange[] {
  return pairUp(before, after, (p) => p.name).map(([name, b, a]) => {
    const bf = b ? poolFigures(b) : null;
    const af = a ? poolFigures(a) : null;
    return { name, status: status(bf, af), before: bf, after: af };
  });
}

function tenantFigures(t: TenantPlan): TenantFigures {
  return {
    gpuQuota: t.gpuQuota,
    priority: t.priority,
    pools: [...(t.pools ?? [])].sort(),
    borrowingLimitGpus: t.borrowingLimitGpus,
    lendingLimitGpus: t.lendingLimitGpus,
  };
}

function tenants(before: TenantPlan[], after: TenantPlan[]): TenantChange[] {
  return pairUp(before, after, (t) => t.name).map(([name, b, a]) => {
    const bf = b ? tenantFigures(b) : null;
    const af = a ? tenantFigures(a) : null;
    return { name, status: status(bf, af), before: bf, after: af };
  });
}

function quotas(before: QuotaNeed[], after: QuotaNeed[]): QuotaChange[] {
  return pairUp(before, after, (q) => q.key)
    .filter(([, b, a]) => (a?.raise ?? false) || b?.needed !== a?.needed)
    .map(([key, b, a]) => ({
      key,
      name: (a ?? b)?.name ?? key,
      neededBefore: b?.needed ?? null,
      neededAfter: a?.needed ?? null,
      defaultValue: (a ?? b)?.defaultValue ?? 0,
      raiseAfter: a?.raise ?? false,
      unit: (a ?? b)?.unit ?? "",
    }));
}

function units(before: ScalableUnitPlan[], after: ScalableUnitPlan[]): Pick<FactoryMeaning, "unitsAdded" | "unitsRemoved" | "unitsResized"> {
  const pairs = pairUp(before, after, (u) => u.name);
  return {
    unitsAdded: pairs.filter(([, b, a]) => !b && a).map(([n]) => n),
    unitsRemoved: pairs.filter(([, b, a]) => b && !a).map(([n]) => n),
    unitsResized: pairs.filter(([, b, a]) => b && a && b.nodes !== a.nodes).map(([n]) => n),
  };
}

function status<T>(b: T | null, a: T | null): PoolChange["status"] {
  if (!b) return "added";
  if (!a) return "removed";
  return JSON.stringify(b) === JSON.stringify(a) ? "unchanged" : "changed";
}

/** Items of both lists matched by key, in key order. */
function pairUp<T>(before: T[], after: T[], key: (t: T) => string): [string, T | undefined, T | undefined][] {
  const b = new Map(before.map((t) => [key(t), t]));
  const a = new Map(after.map((t) => [key(t), t]));
  return [...new Set([...b.keys(), ...a.keys()])].sort().map((k) => [k, b.get(k), a.get(k)]);
}
