import type { Blueprint, TenantPlan } from "../blueprint/types";
import { clusterQueue, kueueContext, localQueue, type KueueContext } from "../kubernetes/kueue-objects";
import type { KubernetesObject } from "../kubernetes/objects-types";
import { serviceCidr } from "../kubernetes/service-cidr";
import { queueCeiling, tenantLimitRange, tenantNamespace, tenantResourceQuota } from "./namespace-objects";
import { tenantNetworkPolicy, type NetworkPolicyContext } from "./network-policy";

// Every in-cluster object of one tenant, from the blueprint's tenant record (the same record Slurm's accounts and
// QOS are rendered from): namespace, quota, defaults, network policy, ClusterQueue and LocalQueue.

export interface TenantObjects {
  namespace: KubernetesObject;
  resourceQuota: KubernetesObject;
  limitRange: KubernetesObject;
  networkPolicy: KubernetesObject;
  clusterQueue: KubernetesObject;
  localQueue: KubernetesObject;
}

export type TenancyBlueprint = Pick<Blueprint, "factory" | "pools" | "tenants" | "topology" | "network">;

/** What every tenant's objects share, computed once for a factory of hundreds of tenants. */
export interface TenancyContext {
  kueue: KueueContext;
  network: NetworkPolicyContext;
}

export function tenancyContext(blueprint: TenancyBlueprint): TenancyContext {
  return {
    kueue: kueueContext(blueprint),
    network: { vpcCidrs: blueprint.network.vpcCidrs, serviceCidr: serviceCidr(blueprint.network.vpcCidrs) },
  };
}

export function tenantObjects(blueprint: TenancyBlueprint, tenant: TenantPlan, ctx: TenancyContext = tenancyContext(blueprint)): TenantObjects {
  const queue = clusterQueue(blueprint, tenant, ctx.kueue);
  return {
    namespace: tenantNamespace(tenant),
    resourceQuota: tenantResourceQuota(tenant, queueCeiling(queue)),
    limitRange: tenantLimitRange(tenant),
    networkPolicy: tenantNetworkPolicy(tenant, ctx.network),
    clusterQueue: queue,
    localQueue: localQueue(tenant),
  };
}

/** The objects in the order they are applied: the namespace before what lives in it. */
export function tenantObjectList(objects: TenantObjects): KubernetesObject[] {
  return [objects.namespace, objects.resourceQuota, objects.limitRange, objects.networkPolicy, objects.clusterQueue, objects.localQueue];
}
