import { poolNominalQuotas, tenantPoolQuotas } from "../../blueprint/tenants";
import type { Blueprint, TenantPlan } from "../../blueprint/types";
import { instanceType } from "../../catalog/instances";
import { acceleratorTaint, LABEL_POOL, LABEL_TENANT } from "../../blueprint/labels";
import { coveredResources, poolShape, quantity, resourceAmounts, type PoolShape } from "./kueue-resources";
import type { KubernetesObject } from "./objects-types";

// Kueue's objects, as plain Kubernetes objects built from the blueprint (docs/sources.md#kueue-concepts): one Topology whose
// levels are the blueprint's, a ResourceFlavor per pool, a Cohort for the factory, per tenant a ClusterQueue and
// a LocalQueue, and a WorkloadPriorityClass per priority. The API is kueue.x-k8s.io/v1beta2, the version Kueue
// v0.19 serves and stores (docs/sources.md#kueue-release [P]).

export const KUEUE_API_VERSION = "kueue.x-k8s.io/v1beta2";
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "gigafactory" } as const;
/** Kueue's default LocalQueue: a job in the namespace without a queue-name label goes to it (Kueue v0.17+ [P]). */
export const LOCAL_QUEUE_NAME = "default";

export type KueueBlueprint = Pick<Blueprint, "factory" | "pools" | "tenants" | "topology">;

/** The shapes of the blueprint's pools and the resources every flavor lists. */
export interface KueueContext {
  shapes: PoolShape[];
  covered: string[];
  poolGpus: Map<string, number>;
}

export function kueueContext(blueprint: KueueBlueprint): KueueContext {
  const shapes = blueprint.pools.map((p) => poolShape(p)).filter((s): s is PoolShape => s !== undefined);
  return { shapes, covered: coveredResources(shapes), poolGpus: new Map(blueprint.pools.map((p) => [p.name, p.gpus])) };
}

/** The factory's topology: the blueprint's levels in order, widest first, the host last (DESIGN.md rule 3). */
export function kueueTopology(blueprint: KueueBlueprint): KubernetesObject {
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "Topology",
    metadata: { name: blueprint.factory, labels: { ...MANAGED_BY } },
    spec: { levels: blueprint.topology.levels.map((l) => ({ nodeLabel: l.nodeLabel })) },
  };
}

/** One flavor per pool: the pool's nodes (by the label every node carries), its taint tolerated, the topology. */
export function resourceFlavors(blueprint: KueueBlueprint): KubernetesObject[] {
  return blueprint.pools.map((pool) => {
    const type = instanceType(pool.instanceType);
    const taint = type ? acceleratorTaint(type) : undefined;
    return {
      apiVersion: KUEUE_API_VERSION,
      kind: "ResourceFlavor",
      metadata: { name: pool.name, labels: { ...MANAGED_BY, [LABEL_POOL]: pool.name } },
      spec: {
        nodeLabels: { [LABEL_POOL]: pool.name },
        ...(taint ? { tolerations: [{ key: taint.key, operator: "Exists", effect: taint.effect }] } : {}),
        topologyName: blueprint.factory,
      },
    };
  });
}

interface FlavorQuota {
  name: string;
  resources: { name: string; nominalQuota: string; borrowingLimit?: string; lendingLimit?: string }[];
}

function flavorResources(ctx: KueueContext, pool: string, gpus: { nominal: number; borrowing?: number; lending?: number }): FlavorQuota | undefined {
  const shape = ctx.shapes.find((s) => s.pool === pool);
  if (!shape) return undefined;
  const nominal = resourceAmounts(shape, gpus.nominal, ctx.covered);
  const borrowing = gpus.borrowing === undefined ? undefined : resourceAmounts(shape, gpus.borrowing, ctx.covered);
  const lending = gpus.lending === undefined ? undefined : resourceAmounts(shape, gpus.lending, ctx.covered);
  return {
    name: pool,
    resources: ctx.covered.map((r) => ({
      name: r,
      nominalQuota: quantity(r, nominal[r]),
      ...(borrowing ? { borrowingLimit: quantity(r, borrowing[r]) } : {}),
      // Kueue refuses a lending limit above the nominal quota [P]; rounding up CPUs and memory must not cross it.
      ...(lending ? { lendingLimit: quantity(r, Math.min(lending[r], nominal[r])) } : {}),
    })),
  };
}

/**
 * The factory's cohort. Every tenant's ClusterQueue belongs to it; the GPUs of a pool that no tenant's quota
 * covers are the cohort's own quota, so tenants can borrow them instead of leaving them idle.
 */
export function kueueCohort(blueprint: KueueBlueprint, ctx: KueueContext = kueueContext(blueprint)): KubernetesObject {
  const nominal = poolNominalQuotas(blueprint.tenants, ctx.poolGpus);
  const flavors = blueprint.pools
    .map((p) => flavorResources(ctx, p.name, { nominal: Math.max(0, p.gpus - (nominal.get(p.name) ?? 0)) }))
    .filter((f): f is FlavorQuota => f !== undefined);
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "Cohort",
    metadata: { name: blueprint.factory, labels: { ...MANAGED_BY } },
    spec: flavors.length > 0 ? { resourceGroups: [{ coveredResources: ctx.covered, flavors }] } : {},
  };
}

/**
 * A tenant's ClusterQueue: its quota per pool with borrowing and lending limits, in the factory's cohort;
 * lent GPUs come back by preemption (reclaimWithinCohort: Any, which the blueprint's findings rely on); borrowed
 * capacity is shared by dominant resource share (fair sharing); only the tenant's namespace may use it.
 */
export function clusterQueue(blueprint: KueueBlueprint, tenant: TenantPlan, ctx: KueueContext = kueueContext(blueprint)): KubernetesObject {
  const flavors = tenantPoolQuotas(tenant, ctx.poolGpus)
    .map((q) => flavorResources(ctx, q.pool, { nominal: q.nominalGpus, borrowing: q.borrowingLimitGpus, lending: q.lendingLimitGpus }))
    .filter((f): f is FlavorQuota => f !== undefined);
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "ClusterQueue",
    metadata: { name: tenant.name, labels: { ...MANAGED_BY, [LABEL_TENANT]: tenant.name } },
    spec: {
      cohortName: blueprint.factory,
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": tenant.name } },
      queueingStrategy: "BestEffortFIFO",
      resourceGroups: flavors.length > 0 ? [{ coveredResources: ctx.covered, flavors }] : [],
      // Use the tenant's own quota on another pool before borrowing on this one.
      flavorFungibility: { whenCanBorrow: "TryNextFlavor", whenCanPreempt: "TryNextFlavor" },
      preemption: { reclaimWithinCohort: "Any", withinClusterQueue: "LowerPriority" },
      fairSharing: { weight: "1" },
    },
  };
}

/**
 * A ClusterQueue of the platform's own, with no quota: in the factory's cohort it borrows only what the cohort has
 * idle, on every pool, and preempts nothing, so its jobs (the acceptance tests) never take a tenant's GPUs, and a
 * tenant reclaiming its lent GPUs preempts them (its reclaimWithinCohort: Any).
 */
export function borrowingClusterQueue(blueprint: KueueBlueprint, name: string, namespace: string, ctx: KueueContext = kueueContext(blueprint)): KubernetesObject {
  const flavors = blueprint.pools.map((p) => flavorResources(ctx, p.name, { nominal: 0 })).filter((f): f is FlavorQuota => f !== undefined);
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "ClusterQueue",
    metadata: { name, labels: { ...MANAGED_BY } },
    spec: {
      cohortName: blueprint.factory,
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
      queueingStrategy: "BestEffortFIFO",
      resourceGroups: flavors.length > 0 ? [{ coveredResources: ctx.covered, flavors }] : [],
      preemption: { reclaimWithinCohort: "Never", withinClusterQueue: "Never" },
    },
  };
}

/** The tenant's queue in its namespace, named `default` so jobs that name no queue land in it. */
export function localQueue(tenant: Pick<TenantPlan, "name">): KubernetesObject {
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "LocalQueue",
    metadata: { name: LOCAL_QUEUE_NAME, namespace: tenant.name, labels: { ...MANAGED_BY, [LABEL_TENANT]: tenant.name } },
    spec: { clusterQueue: tenant.name },
  };
}

/** One class per priority of the spec; a job picks one with the kueue.x-k8s.io/priority-class label. */
export function workloadPriorityClasses(priorities: Readonly<Record<string, number>>): KubernetesObject[] {
  return Object.entries(priorities)
    .sort(([a, va], [b, vb]) => vb - va || a.localeCompare(b))
    .map(([name, value]) => ({
      apiVersion: KUEUE_API_VERSION,
      kind: "WorkloadPriorityClass",
      metadata: { name, labels: { ...MANAGED_BY } },
      value,
      description: `gigafactory priority ${name}`,
    }));
}

/** The cluster-wide Kueue objects: topology, flavors, cohort and priority classes (tenants' queues come apart). */
export function kueueClusterObjects(blueprint: KueueBlueprint, priorities: Readonly<Record<string, number>>): KubernetesObject[] {
  const ctx = kueueContext(blueprint);
  return [kueueTopology(blueprint), ...resourceFlavors(blueprint), kueueCohort(blueprint, ctx), ...workloadPriorityClasses(priorities)];
}
