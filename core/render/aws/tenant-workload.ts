import { type PolicyDocument, serviceAccountTrustPolicy } from "./iam";
import { boundedName, ROLE_NAME_MAX } from "./tenant-access";

// The identity of a tenant's pods in AWS: one role per tenant that EKS Pod Identity assumes for the tenant's workload
// ServiceAccount, in the tenant's namespace, in the factory's cluster, and for nothing else. Pod Identity tags the
// session with the cluster, namespace and service account it serves (docs/sources.md#eks-pod-identity), so the trust
// policy refuses a session whose tags name another tenant's namespace even if an association were pointed at it.

/** The ServiceAccount a tenant's pods run as to reach the tenant's data (core/render/kubernetes/tenants/rbac.ts). */
export const WORKLOAD_SERVICE_ACCOUNT = "workload";


/** `<factory>-<tenant>-workload`, bounded to what IAM allows. */
export function tenantWorkloadRoleName(factory: string, tenant: string): string {
  return boundedName(`${factory}-${tenant}-workload`, ROLE_NAME_MAX);
}

export interface WorkloadTrustContext {
  dnsSuffix: string;
  clusterName: string;
  tenant: string;
  serviceAccount?: string;
}

/** Pod Identity may assume the role, only for the tenant's workload ServiceAccount in the tenant's namespace. */
export function tenantWorkloadTrustPolicy(c: WorkloadTrustContext): PolicyDocument {
  return serviceAccountTrustPolicy("TenantWorkloadPodsOnly", c.dnsSuffix, { clusterName: c.clusterName, namespace: c.tenant, serviceAccount: c.serviceAccount ?? WORKLOAD_SERVICE_ACCOUNT });
}

/** The Kubernetes group the tenant's access entry puts its people in; the tenant's RoleBindings name it. */
export const tenantGroup = (tenant: string): string => `gigafactory:tenant:${tenant}`;
