import type { Blueprint, TenantPlan } from "../../../blueprint/types";
import { clusterQueue, kueueContext, localQueue, type KueueContext } from "../kueue-objects";
import { resourceAmounts } from "../kueue-resources";
import type { KubernetesObject } from "../objects-types";
import { queueCeiling, tenantLimitRange, tenantNamespace, tenantResourceQuota, type QueueCeiling } from "./namespace-objects";
import { networkPolicyContext, tenantNetworkPolicy, type NetworkPolicyContext } from "./network-policy";
import { tenantRbac } from "./rbac";

// Every in-cluster object of one tenant, from the blueprint's tenant record (the same record Slurm's accounts and
// QOS are rendered from): namespace, quota, defaults, network policy, the workload ServiceAccount and the RBAC of its
// people and pods, ClusterQueue and LocalQueue.

export interface TenantObjects {
  namespace: KubernetesObject;
  resourceQuota: KubernetesObject;
  limitRange: KubernetesObject;
  networkPolicy: KubernetesObject;
  /** The ServiceAccount the tenant's pods reach AWS as (Pod Identity). */
  serviceAccount: KubernetesObject;
  roles: KubernetesObject[];
  roleBindings: KubernetesObject[];
  clusterQueue: KubernetesObject;
  localQueue: KubernetesObject;
}

export type TenancyBlueprint = Pick<Blueprint, "factory" | "pools" | "tenants" | "topology" | "network" | "cluster">;

/** What every tenant's objects share, computed once for a factory of hundreds of tenants. */
export interface TenancyContext {
  kueue: KueueContext;
  network: NetworkPolicyContext;
}

export function tenancyContext(blueprint: TenancyBlueprint): TenancyContext {
  return {
    kueue: kueueContext(blueprint),
    network: networkPolicyContext(blueprint),
  };
}

/** What the tenant's pools have of each resource the queues meter, all of their nodes together. */
export function poolsCapacity(ctx: KueueContext, pools: readonly string[]): QueueCeiling {
  const capacity: QueueCeiling = Object.fromEntries(ctx.covered.map((r) => [r, 0]));
  for (const shape of ctx.shapes.filter((s) => pools.includes(s.pool))) {
    for (const [r, amount] of Object.entries(resourceAmounts(shape, ctx.poolGpus.get(shape.pool) ?? 0, ctx.covered))) capacity[r] += amount;
  }
  return capacity;
}

export function tenantObjects(blueprint: TenancyBlueprint, tenant: TenantPlan, ctx: TenancyContext = tenancyContext(blueprint)): TenantObjects {
  const queue = clusterQueue(blueprint, tenant, ctx.kueue);
  // Never more than its pools have: the same ceiling as its Slurm account's GrpTRES (core/render/slurm/accounts.ts).
  const capacity = poolsCapacity(ctx.kueue, tenant.pools);
  const ceiling = Object.fromEntries(Object.entries(queueCeiling(queue)).map(([r, amount]) => [r, Math.min(amount, capacity[r] ?? 0)]));
  return {
    namespace: tenantNamespace(tenant),
    resourceQuota: tenantResourceQuota(tenant, ceiling),
    limitRange: tenantLimitRange(tenant),
    networkPolicy: tenantNetworkPolicy(tenant, ctx.network),
    ...tenantRbac(tenant),
    clusterQueue: queue,
    localQueue: localQueue(tenant),
  };
}

/** The objects in the order they are applied: the namespace before what lives in it. */
export function tenantObjectList(objects: TenantObjects): KubernetesObject[] {
  return [
    objects.namespace,
    objects.resourceQuota,
    objects.limitRange,
    objects.networkPolicy,
    objects.serviceAccount,
    ...objects.roles,
    ...objects.roleBindings,
    objects.clusterQueue,
    objects.localQueue,
  ];
}
