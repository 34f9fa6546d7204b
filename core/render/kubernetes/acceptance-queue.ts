import type { Blueprint } from "../../blueprint/types";
import { borrowingClusterQueue, KUEUE_API_VERSION, LOCAL_QUEUE_NAME, MANAGED_BY, type KueueBlueprint } from "./kueue-objects";
import type { KubernetesObject } from "./objects-types";
import { acceptanceAdmission } from "./acceptance-admission";
import { networkPolicyContext, tenantNetworkPolicy } from "./tenants/network-policy";

// Where the acceptance MPIJobs (acceptance/jobs.ts) run on Kubernetes: a namespace of the platform's, not a tenant's,
// so that a pool no tenant uses can be accepted too, and no tenant sees, pays for or can change the operator's test.
// Its queue borrows idle GPUs of every pool from the factory's cohort and preempts nothing (kueue-objects.ts
// borrowingClusterQueue); its pods are held to the namespace as a tenant's are (the same NetworkPolicy). Pod Security
// "privileged": the launcher writes its result into the node's acceptance metrics folder, a host path that "baseline"
// refuses; an admission policy gives the rest of "baseline" back (acceptance-admission.ts), and only the platform's
// operators create pods here (no tenant is bound to the namespace).

export const ACCEPTANCE_NAMESPACE = "gigafactory-acceptance";
export const ACCEPTANCE_CLUSTER_QUEUE = "gigafactory-acceptance";

const LABELS = { ...MANAGED_BY, "app.kubernetes.io/component": "acceptance" };

/** The acceptance namespace, its NetworkPolicy, its ClusterQueue, its `default` LocalQueue and its admission policy and binding. */
export function acceptanceQueueObjects(blueprint: KueueBlueprint & Pick<Blueprint, "network" | "cluster">): KubernetesObject[] {
  const policy = tenantNetworkPolicy({ name: ACCEPTANCE_NAMESPACE }, networkPolicyContext(blueprint));
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: ACCEPTANCE_NAMESPACE, labels: { ...LABELS, "pod-security.kubernetes.io/enforce": "privileged" } } },
    { ...policy, metadata: { ...policy.metadata, labels: { ...LABELS } } },
    { ...borrowingClusterQueue(blueprint, ACCEPTANCE_CLUSTER_QUEUE, ACCEPTANCE_NAMESPACE), metadata: { name: ACCEPTANCE_CLUSTER_QUEUE, labels: { ...LABELS } } },
    {
      apiVersion: KUEUE_API_VERSION,
      kind: "LocalQueue",
      metadata: { name: LOCAL_QUEUE_NAME, namespace: ACCEPTANCE_NAMESPACE, labels: { ...LABELS } },
      spec: { clusterQueue: ACCEPTANCE_CLUSTER_QUEUE },
    },
    ...acceptanceAdmission(ACCEPTANCE_NAMESPACE),
  ];
}
