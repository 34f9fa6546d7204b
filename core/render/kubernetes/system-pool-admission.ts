import { LABEL_POOL, LABEL_TENANT, SYSTEM_POOL, SYSTEM_TAINT } from "../../blueprint/labels";
import { NODE_NAME_REFUSAL, selectorRefusal, tolerationRefusal } from "./system-pool-refusals";
import { podAdmission } from "./pod-admission";
import type { KubernetesObject } from "./objects-types";

// The system pool's taint keeps a pod off it only while the pod does not tolerate it, and a tenant's people write
// their own pods (EKS's namespaced edit policy). So the API server refuses, in every tenant's namespace, a pod that
// tolerates the system taint (by its key, or every taint at once), selects the system pool, or names its node
// itself, which skips the scheduler and with it every taint. A ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1,
// GA since Kubernetes 1.30: docs/sources.md#kubernetes-validating-admission-policy [P]) checks each pod's create and
// update in CEL; no webhook runs. The tenant-isolation proofs read it (policies/lib/proofs/pod-places.ts).

export const SYSTEM_POOL_ADMISSION = "gigafactory-tenant-pods-off-system-pool";

/** The namespaces the policy holds in: every tenant's, by the label each tenant namespace carries (namespace-objects.ts). */
export const TENANT_NAMESPACES = { matchExpressions: [{ key: LABEL_TENANT, operator: "Exists" }] };

export function systemPoolAdmission(): KubernetesObject[] {
  return podAdmission(SYSTEM_POOL_ADMISSION, TENANT_NAMESPACES, [
    { expression: tolerationRefusal(SYSTEM_TAINT.key), message: `a tenant's pod may not tolerate the system pool's taint ${SYSTEM_TAINT.key} or every taint — tolerate your pool's accelerator taint by its key` },
    { expression: selectorRefusal(LABEL_POOL, SYSTEM_POOL), message: `a tenant's pod may not select the system pool (${LABEL_POOL}=${SYSTEM_POOL}) — select one of your pools` },
    { expression: NODE_NAME_REFUSAL, message: "a tenant's pod may not name its node — let the scheduler place it through your queue" },
  ]);
}
