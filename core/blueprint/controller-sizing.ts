import type { Blueprint } from "./types";

// Requests and limits of the cluster's controllers, from what each keeps in memory. A Kubernetes controller holds an
// informer cache of every object it watches (client-go "shared informers" [P]), so its memory grows with the nodes,
// pods and jobs of the factory, not with time; a chart's default (Kueue's 512 Mi limit, kubernetes-sigs/kueue
// charts/kueue values.yaml [P]) is sized for a small cluster, and a controller over its limit is killed and restarts
// into the same cache: Kueue's and JobSet's webhooks then refuse every job submitted (docs/sources.md#controller-memory).
// - Kueue with topology-aware scheduling caches every node and every pod on them (to know what is free per level),
//   and its workloads;
// - NFD's master reads every node's NodeFeature object (one per node, each with the node's PCI, CPU and kernel
//   features) and writes the node's labels;
// - the GPU operator watches the GPU nodes and its own DaemonSets' pods;
// - cert-manager caches its certificates and the secrets they make, which grow with the namespaces it serves;
// - JobSet and the MPI operator watch the Jobs and pods of the jobs they run.
// Memory requests equal limits: a controller whose webhook every submission passes is never the one a node evicts.

/** Figures per cached object, in memory: the object's size as the API returns it, about three times over in a Go
 * informer (decoded object, its cache entry, the watch's buffer) [U: project sizing; measured objects are 5-10 KiB
 * for a pod and 10-20 KiB for a GPU node with its labels and status, 20-60 KiB for a NodeFeature]. */
export const CACHED_KIB = { node: 48, pod: 24, nodeFeature: 128, workload: 16, job: 12, secret: 8 } as const;
// Pods on a GPU node at once: its daemons (device plugins, exporters, CSI, CNI, health agent: about 10) and one per
// GPU at most for the jobs [U: project sizing].
export const DAEMON_PODS_PER_NODE = 10;
// Workloads Kueue holds at once: admitted and pending, up to two per node's worth of GPUs [U: project sizing].
export const WORKLOADS_PER_NODE = 2;

export interface ControllerSize {
  requests: { cpu: string; memory: string };
  limits: { memory: string };
  /** The memory the figure comes from, MiB, before rounding up to a whole GiB step. */
  memoryMiB: number;
}

export interface ControllerSizing {
  kueue: ControllerSize;
  nfdMaster: ControllerSize;
  gpuOperator: ControllerSize;
  certManager: ControllerSize;
  jobset: ControllerSize;
  mpiOperator: ControllerSize;
}

/** The factory's size: its GPU nodes, GPUs and tenants, and the system pool's nodes where it has one. */
type SizingInput = Pick<Blueprint, "nodes" | "totalGpus" | "tenants"> & { system?: Pick<Blueprint["system"], "scaling"> };

/** Rounded up to 256 MiB steps, so a few nodes more do not change every controller's pods. */
const step = (mib: number) => Math.ceil(mib / 256) * 256;
const size = (baseMiB: number, kib: number, cpuMillis: number): ControllerSize => {
  const memoryMiB = baseMiB + kib / 1024;
  const memory = `${step(memoryMiB)}Mi`;
  return { requests: { cpu: `${cpuMillis}m`, memory }, limits: { memory }, memoryMiB: Math.round(memoryMiB) };
};

export function controllerSizing(b: SizingInput): ControllerSizing {
  const nodes = b.nodes + (b.system?.scaling?.maxSize ?? 0);
  const gpusPerNode = b.nodes > 0 ? Math.ceil(b.totalGpus / b.nodes) : 0;
  const pods = nodes * DAEMON_PODS_PER_NODE + b.nodes * gpusPerNode;
  const jobPods = b.nodes * gpusPerNode;
  const workloads = b.nodes * WORKLOADS_PER_NODE;
  // A core per 5,000 nodes on top of a base: reconciling what the caches hold [U: project sizing].
  const cpu = (base: number) => base + Math.ceil(nodes / 5000) * 1000;
  return {
    kueue: size(512, nodes * CACHED_KIB.node + pods * CACHED_KIB.pod + workloads * CACHED_KIB.workload, cpu(500)),
    nfdMaster: size(128, nodes * (CACHED_KIB.node + CACHED_KIB.nodeFeature), cpu(100)),
    gpuOperator: size(256, b.nodes * CACHED_KIB.node + b.nodes * DAEMON_PODS_PER_NODE * CACHED_KIB.pod, cpu(200)),
    certManager: size(256, b.tenants.length * 4 * CACHED_KIB.secret, 100),
    jobset: size(256, workloads * CACHED_KIB.job + jobPods * CACHED_KIB.pod, cpu(200)),
    mpiOperator: size(256, workloads * CACHED_KIB.job + jobPods * CACHED_KIB.pod, cpu(200)),
  };
}
