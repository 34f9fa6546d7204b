import { IMAGES, imageReference, inRegion } from "../../catalog/images";
import { MPIJOB_API } from "../../catalog/training-operators";
import { SYSTEM_NODE_SELECTOR, systemTolerations, type Toleration } from "./addon-values";
import { MANAGED_BY } from "./kueue-objects";
import type { KubernetesObject } from "./objects-types";

// The training operators tenants' multi-node jobs run on, both Kueue integrations (kueue-config.ts):
// - JobSet, from its chart (charts.ts JOBSET_CHART): groups of Indexed Jobs with stable names, what PyTorch and JAX
//   jobs are built of, and what Kubeflow Trainer builds on;
// - the MPI operator (kubeflow.org/v2beta1 MPIJob): mpirun over ssh from a launcher to its workers, how the NCCL
//   acceptance jobs run on Kubernetes as on Slurm. Chosen over Kubeflow Trainer, which would bring its own runtimes,
//   webhook and a second JobSet: one small controller serves the MPI jobs, and JobSet serves the rest. It has no chart
//   (kubeflow/mpi-operator publishes deploy/v2beta1/mpi-operator.yaml [P]), so its objects are rendered here, its
//   image from the factory's registry, and its CRD is the release's own (components/platform/crds/).
// Both controllers run on the system pool with requests sized for the factory (controller-sizing.ts).

export const MPI_OPERATOR_NAMESPACE = "mpi-operator";
const NAME = "mpi-operator";
const LABELS = { ...MANAGED_BY, "app.kubernetes.io/name": NAME };

export interface ControllerResources {
  requests: { cpu: string; memory: string };
  limits: { memory: string };
}

export interface JobsetValues {
  image: { repository: string; tag: string; pullPolicy: "IfNotPresent" };
  controller: {
    replicas: number;
    resources: ControllerResources;
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
    podDisruptionBudget: { enabled: true; minAvailable: number };
  };
  prometheus: { enable: false };
}

/** JobSet's chart from the factory's registry: two replicas behind its webhook, which every JobSet passes. */
export function jobsetValues(registry: string, resources: ControllerResources): JobsetValues {
  return {
    image: { ...inRegion(registry, IMAGES.jobset), pullPolicy: "IfNotPresent" },
    controller: { replicas: 2, resources, nodeSelector: { ...SYSTEM_NODE_SELECTOR }, tolerations: systemTolerations(), podDisruptionBudget: { enabled: true, minAvailable: 1 } },
    prometheus: { enable: false },
  };
}

/** What the MPI operator's controller needs: its jobs' pods, services, config and its lease (the release's ClusterRole). */
function mpiOperatorRules(): { apiGroups: string[]; resources: string[]; verbs: string[] }[] {
  return [
    { apiGroups: [""], resources: ["configmaps", "secrets", "services"], verbs: ["create", "list", "watch", "update"] },
    { apiGroups: [""], resources: ["pods"], verbs: ["create", "get", "list", "watch", "delete", "update", "patch"] },
    { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
    { apiGroups: [""], resources: ["endpoints"], verbs: ["create", "get", "update"] },
    { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
    { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "list", "update", "watch"] },
    { apiGroups: [MPIJOB_API.group], resources: [MPIJOB_API.resource, `${MPIJOB_API.resource}/finalizers`, `${MPIJOB_API.resource}/status`], verbs: ["*"] },
    { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["*"] },
    { apiGroups: ["scheduling.k8s.io"], resources: ["priorityclasses"], verbs: ["get", "list", "watch"] },
  ];
}

const meta = (extra: Record<string, unknown> = {}) => ({ name: NAME, labels: { ...LABELS }, ...extra });

/** The MPI operator's namespace, account, cluster role and its binding, and its Deployment. */
export function mpiOperatorObjects(registry: string, resources: ControllerResources): KubernetesObject[] {
  return [...mpiOperatorAccess(), mpiOperatorDeployment(registry, resources)];
}

/** Where the MPI operator runs and what it may do: none of it depends on the registry. */
export function mpiOperatorAccess(): KubernetesObject[] {
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: MPI_OPERATOR_NAMESPACE, labels: { ...LABELS, "pod-security.kubernetes.io/enforce": "restricted" } } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta({ namespace: MPI_OPERATOR_NAMESPACE }) },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: meta(), rules: mpiOperatorRules() },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: meta(),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: NAME },
      subjects: [{ kind: "ServiceAccount", name: NAME, namespace: MPI_OPERATOR_NAMESPACE }],
    },
  ];
}

export function mpiOperatorDeployment(registry: string, resources: ControllerResources): KubernetesObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta({ namespace: MPI_OPERATOR_NAMESPACE }),
    spec: {
      // One active controller at a time (it takes a lease); a second replica waits to take over.
      replicas: 2,
      selector: { matchLabels: { "app.kubernetes.io/name": NAME } },
      template: {
        metadata: { labels: { ...LABELS } },
        spec: {
          serviceAccountName: NAME,
          priorityClassName: "system-cluster-critical",
          nodeSelector: { ...SYSTEM_NODE_SELECTOR },
          tolerations: systemTolerations(),
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: NAME,
              image: imageReference(registry, IMAGES.mpiOperator),
              args: ["-alsologtostderr", `--lock-namespace=${MPI_OPERATOR_NAMESPACE}`],
              resources,
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsUser: 65532, capabilities: { drop: ["ALL"] } },
            },
          ],
        },
      },
    },
  };
}

/** A CRD as the cluster needs it: its schema, without the descriptions that make most of its size. */
export function withoutDescriptions<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutDescriptions) as T;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => !(k === "description" && typeof v === "string")).map(([k, v]) => [k, withoutDescriptions(v)])) as T;
}
