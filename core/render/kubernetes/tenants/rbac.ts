import type { TenantPlan } from "../../../blueprint/types";
import { LABEL_TENANT } from "../../../blueprint/labels";
import { tenantGroup, WORKLOAD_SERVICE_ACCOUNT } from "../../aws/tenant-workload";
import { MANAGED_BY } from "../kueue-objects";
import type { KubernetesObject } from "../objects-types";
import { TRAINING_OPERATOR_APIS } from "../../../catalog/training-operators";

// What a tenant may do in its own namespace, in Kubernetes' RBAC. EKS's namespaced edit policy (tenant-access.ts)
// covers the core workload kinds; it knows nothing of Kueue's or the training operators' kinds, so:
// - its people (the access entry puts them in the tenant's group) submit and manage batch Jobs and the training
//   operators' jobs, and read Kueue's Workloads and LocalQueues to see why a job waits (Kueue "Run a Job" and
//   "Monitor pending workloads" [P]: a tenant reads its LocalQueue's and Workload's status);
// - its pods run as the workload ServiceAccount (the one Pod Identity gives the tenant's AWS role), and read what
//   a distributed job's ranks look each other up by (pods, services, endpoints, their own jobs). Nothing writes.
// Roles and bindings, never cluster-wide ones: they hold in the tenant's namespace and no other.

export const SUBMITTER_ROLE = "tenant-submitter";
export const WORKLOAD_ROLE = "tenant-workload";

const READ = ["get", "list", "watch"];
const WRITE = ["create", "update", "patch", "delete", "deletecollection"];

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** The tenant's people: jobs of every kind the factory runs, the queues' view of them. */
export function submitterRules(): PolicyRule[] {
  return [
    { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: [...READ, ...WRITE] },
    { apiGroups: ["batch"], resources: ["jobs/status", "cronjobs/status"], verbs: READ },
    ...TRAINING_OPERATOR_APIS.flatMap((api) => [
      { apiGroups: [api.group], resources: [api.resource], verbs: [...READ, ...WRITE] },
      { apiGroups: [api.group], resources: [`${api.resource}/status`], verbs: READ },
    ]),
    { apiGroups: ["kueue.x-k8s.io"], resources: ["workloads", "workloads/status", "localqueues", "localqueues/status"], verbs: READ },
    { apiGroups: [""], resources: ["pods", "pods/log", "events", "persistentvolumeclaims"], verbs: READ },
    { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: READ },
  ];
}

/** The tenant's pods: how ranks of one job find each other, read only. */
export function workloadRules(): PolicyRule[] {
  return [
    { apiGroups: [""], resources: ["pods", "services", "endpoints"], verbs: READ },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
    { apiGroups: ["batch"], resources: ["jobs"], verbs: READ },
    ...TRAINING_OPERATOR_APIS.map((api) => ({ apiGroups: [api.group], resources: [api.resource], verbs: READ })),
  ];
}

const labelsOf = (tenant: Pick<TenantPlan, "name">) => ({ ...MANAGED_BY, [LABEL_TENANT]: tenant.name });

export function workloadServiceAccount(tenant: Pick<TenantPlan, "name">): KubernetesObject {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: WORKLOAD_SERVICE_ACCOUNT, namespace: tenant.name, labels: labelsOf(tenant) } };
}

function role(tenant: Pick<TenantPlan, "name">, name: string, rules: PolicyRule[]): KubernetesObject {
  return { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name, namespace: tenant.name, labels: labelsOf(tenant) }, rules };
}

function binding(tenant: Pick<TenantPlan, "name">, name: string, subject: Record<string, string>): KubernetesObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name, namespace: tenant.name, labels: labelsOf(tenant) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [subject],
  };
}

export interface TenantRbac {
  serviceAccount: KubernetesObject;
  roles: KubernetesObject[];
  roleBindings: KubernetesObject[];
}

export function tenantRbac(tenant: Pick<TenantPlan, "name">): TenantRbac {
  return {
    serviceAccount: workloadServiceAccount(tenant),
    roles: [role(tenant, SUBMITTER_ROLE, submitterRules()), role(tenant, WORKLOAD_ROLE, workloadRules())],
    roleBindings: [
      binding(tenant, SUBMITTER_ROLE, { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: tenantGroup(tenant.name) }),
      binding(tenant, WORKLOAD_ROLE, { kind: "ServiceAccount", name: WORKLOAD_SERVICE_ACCOUNT, namespace: tenant.name }),
    ],
  };
}
