import type { TenantPlan } from "../../../blueprint/types";
import { LABEL_TENANT } from "../../../blueprint/labels";
import { MANAGED_BY } from "../kueue-objects";
import { quantity } from "../kueue-resources";
import type { KubernetesObject } from "../objects-types";

// A tenant's namespace and what bounds it: the namespace is the tenant (DNS-1123 name from the spec), labelled
// for showback; a ResourceQuota that never lets it hold more than its queue can admit; a LimitRange that gives
// every container the requests the quota counts.

export const LABEL_COST_CENTER = "gigafactory.io/cost-center";
export const LABEL_DATA_CLASSIFICATION = "gigafactory.io/data-classification";
// Pod Security Admission "baseline": no privileged pods, host namespaces or host paths, which would let a
// tenant's pod leave its namespace on a node it shares with others (Kubernetes Pod Security Standards [P]).
export const POD_SECURITY_LEVEL = "baseline";

export const RESOURCE_QUOTA_NAME = "tenant-quota";
export const LIMIT_RANGE_NAME = "tenant-defaults";

export function tenantNamespace(tenant: Pick<TenantPlan, "name" | "costCenter" | "dataClassification">): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: tenant.name,
      labels: {
        ...MANAGED_BY,
        [LABEL_TENANT]: tenant.name,
        [LABEL_COST_CENTER]: tenant.costCenter,
        [LABEL_DATA_CLASSIFICATION]: tenant.dataClassification,
        "pod-security.kubernetes.io/enforce": POD_SECURITY_LEVEL,
      },
    },
  };
}

/** Resource amounts a queue may hold at most (nominal plus borrowing), summed over its flavors. */
export type QueueCeiling = Record<string, number>;

/** The most each resource of a ClusterQueue can ever admit: nominal quota plus borrowing limit, over every flavor. */
export function queueCeiling(clusterQueue: KubernetesObject): QueueCeiling {
  const ceiling: QueueCeiling = {};
  const groups = ((clusterQueue.spec as { resourceGroups?: unknown[] } | undefined)?.resourceGroups ?? []) as {
    coveredResources: string[];
    flavors: { resources: { name: string; nominalQuota: string; borrowingLimit?: string }[] }[];
  }[];
  for (const g of groups) {
    for (const r of g.coveredResources) ceiling[r] = ceiling[r] ?? 0;
    for (const f of g.flavors) {
      for (const r of f.resources) ceiling[r.name] = (ceiling[r.name] ?? 0) + amountOf(r.nominalQuota) + amountOf(r.borrowingLimit ?? "0");
    }
  }
  return ceiling;
}

function amountOf(q: string): number {
  return Number(q.replace(/Gi$/, ""));
}

/**
 * The namespace's hard limits: never more than its ClusterQueue can admit (so the quota never refuses a pod
 * Kueue admitted), and no Service of type LoadBalancer or NodePort (a private factory exposes nothing).
 */
export function tenantResourceQuota(tenant: Pick<TenantPlan, "name">, ceiling: QueueCeiling): KubernetesObject {
  const hard: Record<string, string> = {};
  for (const [r, amount] of Object.entries(ceiling)) hard[`requests.${r}`] = quantity(r, amount);
  hard["services.loadbalancers"] = "0";
  hard["services.nodeports"] = "0";
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: RESOURCE_QUOTA_NAME, namespace: tenant.name, labels: { ...MANAGED_BY, [LABEL_TENANT]: tenant.name } },
    spec: { hard },
  };
}

// A container that names no requests gets these, which the quota counts; a container's limits are left as it
// sets them, since a default memory limit would kill a training process that names only its GPUs [U: project choice].
export const DEFAULT_CONTAINER_REQUESTS = { cpu: "500m", memory: "1Gi" } as const;

export function tenantLimitRange(tenant: Pick<TenantPlan, "name">): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: { name: LIMIT_RANGE_NAME, namespace: tenant.name, labels: { ...MANAGED_BY, [LABEL_TENANT]: tenant.name } },
    spec: { limits: [{ type: "Container", defaultRequest: { ...DEFAULT_CONTAINER_REQUESTS } }] },
  };
}
