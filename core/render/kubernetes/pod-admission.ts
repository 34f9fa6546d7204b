import { MANAGED_BY } from "./kueue-objects";
import type { KubernetesObject } from "./objects-types";

// A ValidatingAdmissionPolicy over pods and its binding, as the factory writes them (admissionregistration.k8s.io/v1,
// GA since Kubernetes 1.30: docs/sources.md#kubernetes-validating-admission-policy [P]): each pod's creation and update
// in the selected namespaces is checked in CEL, no webhook runs, and a pod failing a validation is denied.

export interface PodValidation {
  /** CEL over `object` (the pod) and `request`; true admits. */
  expression: string;
  /** What is refused — what to do instead. */
  message: string;
}

export function podAdmission(name: string, namespaceSelector: object, validations: readonly PodValidation[]): KubernetesObject[] {
  const metadata = { name, labels: { ...MANAGED_BY } };
  return [
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicy",
      metadata,
      spec: {
        // An API server that cannot evaluate the policy refuses the pod rather than admit it unchecked.
        failurePolicy: "Fail",
        matchConstraints: {
          namespaceSelector,
          // A running pod may be changed (tolerations added): updates are checked as creations are.
          resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }],
        },
        validations: validations.map((v) => ({ expression: v.expression, message: v.message, reason: "Forbidden" })),
      },
    },
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicyBinding",
      metadata,
      spec: { policyName: name, validationActions: ["Deny"], matchResources: { namespaceSelector } },
    },
  ];
}
