import { ACCELERATOR_RESOURCES } from "./kueue-resources";
import { TRAINING_OPERATOR_APIS } from "../../catalog/training-operators";

// Kueue's own configuration (config.kueue.x-k8s.io/v1beta2 Configuration), handed to its chart as
// managerConfig.controllerManagerConfigYaml. It is the chart's default (kubernetes-sigs/kueue v0.19.2
// charts/kueue/values.yaml [P]) plus what the factory's tenancy relies on:
// - fair sharing between the tenants' ClusterQueues, preempting by dominant resource share (docs/sources.md#kueue-concepts);
// - all-or-nothing start of distributed jobs: a workload whose pods are not all running in time gives its
//   quota back and is queued again, so half-started jobs never hold GPUs;
// - resources the queues do not meter (ephemeral storage, huge pages for EFA) do not block admission;
// - the integrations of what the factory installs: batch Jobs, plain pods and their owners, and the training
//   operators (JobSet, the MPI operator); a framework whose CRD is absent would only wait for it.

export interface KueueConfiguration {
  apiVersion: "config.kueue.x-k8s.io/v1beta2";
  kind: "Configuration";
  health: { healthProbeBindAddress: string };
  metrics: { bindAddress: string };
  webhook: { port: number };
  leaderElection: { leaderElect: boolean; resourceName: string };
  controller: { groupKindConcurrency: Record<string, number> };
  clientConnection: { qps: number; burst: number };
  waitForPodsReady: { timeout: string; recoveryTimeout: string; blockAdmission: boolean; requeuingStrategy: { timestamp: "Eviction"; backoffLimitCount: number } };
  fairSharing: { preemptionStrategies: ("LessThanOrEqualToFinalShare" | "LessThanInitialShare")[] };
  resources: { excludeResourcePrefixes: string[] };
  integrations: { frameworks: string[] };
}

// Ten minutes for every pod of a job to run: image pulls of a few GB through the registry's cache and a
// scheduling pass over a few hundred nodes [U: project choice]; five requeues before a job is deactivated.
const PODS_READY_TIMEOUT = "10m";
const PODS_READY_RECOVERY_TIMEOUT = "3m";
const PODS_READY_BACKOFF_LIMIT = 5;

/** The factory's Kueue configuration. The accelerator resources it meters are never in the excluded prefixes. */
export function kueueConfiguration(): KueueConfiguration {
  const excludeResourcePrefixes = ["ephemeral-storage", "hugepages-"];
  if (excludeResourcePrefixes.some((p) => ACCELERATOR_RESOURCES.some((r) => r.startsWith(p)))) throw new Error("an excluded resource prefix covers an accelerator resource");
  return {
    apiVersion: "config.kueue.x-k8s.io/v1beta2",
    kind: "Configuration",
    health: { healthProbeBindAddress: ":8081" },
    metrics: { bindAddress: ":8443" },
    webhook: { port: 9443 },
    leaderElection: { leaderElect: true, resourceName: "c1f6bfd2.kueue.x-k8s.io" },
    controller: {
      groupKindConcurrency: {
        "Job.batch": 5,
        Pod: 5,
        "Workload.kueue.x-k8s.io": 10,
        "LocalQueue.kueue.x-k8s.io": 5,
        "ClusterQueue.kueue.x-k8s.io": 5,
        "ResourceFlavor.kueue.x-k8s.io": 1,
      },
    },
    clientConnection: { qps: 300, burst: 500 },
    waitForPodsReady: {
      timeout: PODS_READY_TIMEOUT,
      recoveryTimeout: PODS_READY_RECOVERY_TIMEOUT,
      blockAdmission: false,
      requeuingStrategy: { timestamp: "Eviction", backoffLimitCount: PODS_READY_BACKOFF_LIMIT },
    },
    // Kueue's preemption guide: both strategies, the final-share one first (site concepts/preemption.md [P]).
    fairSharing: { preemptionStrategies: ["LessThanOrEqualToFinalShare", "LessThanInitialShare"] },
    resources: { excludeResourcePrefixes },
    integrations: {
      frameworks: ["batch/job", ...TRAINING_OPERATOR_APIS.map((api) => api.kueueFramework), "pod", "deployment", "statefulset"],
    },
  };
}
