// The training operators' APIs the factory installs (charts.ts JOBSET_CHART, training-operator-objects for the MPI
// operator), each a Kueue integration: Kueue's configuration names them by framework, tenants' Roles by resource.

export interface TrainingOperatorApi {
  group: string;
  version: string;
  kind: string;
  /** The plural resource, as RBAC names it. */
  resource: string;
  /** Kueue's name of the integration (Kueue "Configuration" integrations.frameworks [P]). */
  kueueFramework: string;
}

// JobSet v0.12.0: jobset.x-k8s.io/v1alpha2 JobSet (kubernetes-sigs/jobset config/components/crd/bases [P]).
export const JOBSET_API: TrainingOperatorApi = { group: "jobset.x-k8s.io", version: "v1alpha2", kind: "JobSet", resource: "jobsets", kueueFramework: "jobset.x-k8s.io/jobset" };

// MPI operator v0.8.0: kubeflow.org/v2beta1 MPIJob (kubeflow/mpi-operator manifests/base/kubeflow.org_mpijobs.yaml [P]).
export const MPIJOB_API: TrainingOperatorApi = { group: "kubeflow.org", version: "v2beta1", kind: "MPIJob", resource: "mpijobs", kueueFramework: "kubeflow.org/mpijob" };

export const TRAINING_OPERATOR_APIS: readonly TrainingOperatorApi[] = [JOBSET_API, MPIJOB_API];

export const apiVersionOf = (api: TrainingOperatorApi): string => `${api.group}/${api.version}`;
