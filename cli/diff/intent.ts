import type { PoolPlan, TenantPlan } from "../../core/blueprint/types";
import type { PlanSnapshot } from "../../plan/snapshot";
import { segments } from "./spec-changes";
import type { Intent, PoolIntent, SpecChange, TenantIntent, TenantTerms } from "./types";

// What the pull request asks for, read from the two snapshots: the tenants the spec adds, removes or changes (with
// quota, data class and cost centre), the pools it resizes (in units and GPUs), and every other field it sets. A
// tenant whose only change is derived (its borrowing limit, when the factory grows) is a consequence, not intent.

export function intentOf(before: PlanSnapshot, after: PlanSnapshot, changes: SpecChange[]): Intent {
  const tenantFields = new Map<string, string[]>();
  const poolFields = new Map<string, SpecChange[]>();
  const objectives: SpecChange[] = [];
  for (const c of changes) {
    const [top, name, ...rest] = segments(c.path);
    if (top === "tenants" && name !== undefined) tenantFields.set(name, [...(tenantFields.get(name) ?? []), rest.join(".")]);
    else if (top === "pools" && name !== undefined) poolFields.set(name, [...(poolFields.get(name) ?? []), c]);
    else objectives.push(c);
  }
  const b = listOf<TenantPlan>(before, "tenants");
  const a = listOf<TenantPlan>(after, "tenants");
  // Plans whose spec does not carry the tenants: what each tenant's terms became is the intent.
  if (!("tenants" in before.spec) && !("tenants" in after.spec)) {
    for (const [name, t] of a) if (b.has(name) && JSON.stringify(terms(b.get(name))) !== JSON.stringify(terms(t))) tenantFields.set(name, []);
  }
  return {
    tenants: tenants(b, a, tenantFields),
    pools: pools(listOf<PoolPlan>(before, "pools"), listOf<PoolPlan>(after, "pools"), poolFields),
    objectives,
  };
}

function listOf<T extends { name: string }>(s: PlanSnapshot, key: "tenants" | "pools"): Map<string, T> {
  const list = (s.blueprint as Record<string, unknown>)[key];
  return new Map((Array.isArray(list) ? (list as T[]) : []).map((t) => [t.name, t]));
}

function terms(t: TenantPlan | undefined): TenantTerms | null {
  if (!t) return null;
  return {
    gpuQuota: t.gpuQuota,
    priority: t.priority,
    dataClassification: t.dataClassification ?? "",
    costCenter: t.costCenter ?? "",
    pools: [...(t.pools ?? [])].sort(),
  };
}

function tenants(before: Map<string, TenantPlan>, after: Map<string, TenantPlan>, fields: Map<string, string[]>): TenantIntent[] {
  const names = [...new Set([...before.keys(), ...after.keys()])].filter((n) => fields.has(n) || before.has(n) !== after.has(n));
  const rank = { added: 0, removed: 1, changed: 2 } as const;
  return names
    .map((name): TenantIntent => {
      const b = before.get(name);
      const a = after.get(name);
      const status = !b ? "added" : !a ? "removed" : "changed";
      return { name, status, before: terms(b), after: terms(a), fields: status === "changed" ? (fields.get(name) ?? []).filter(Boolean).sort() : [] };
    })
    .sort((x, y) => rank[x.status] - rank[y.status] || (x.name < y.name ? -1 : 1));
}

function pools(before: Map<string, PoolPlan>, after: Map<string, PoolPlan>, fields: Map<string, SpecChange[]>): PoolIntent[] {
  const out: PoolIntent[] = [];
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(name);
    const a = after.get(name);
    const unitsOf = (p?: PoolPlan) => p?.units?.length ?? 0;
    const resized = b && a && (b.gpus !== a.gpus || b.nodes !== a.nodes || unitsOf(b) !== unitsOf(a));
    if (b && a && !resized && !fields.has(name)) continue;
    out.push({
      name,
      status: !b ? "added" : !a ? "removed" : "changed",
      instanceType: (a ?? b)!.instanceType,
      unitsBefore: unitsOf(b),
      unitsAfter: unitsOf(a),
      gpusBefore: b?.gpus ?? 0,
      gpusAfter: a?.gpus ?? 0,
      nodesBefore: b?.nodes ?? 0,
      nodesAfter: a?.nodes ?? 0,
      fields: fields.get(name) ?? [],
    });
  }
  return out;
}
