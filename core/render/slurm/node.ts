import { instanceType as catalogInstanceType } from "../../catalog/instances";
import type { InstanceType } from "../../catalog/types";
import type { PoolPlan } from "../../blueprint/types";

// What Slurm is told about one node of a pool. slurmd reports the hardware it finds when it registers;
// a node that reports less memory or fewer CPUs than slurm.conf promises is drained, so the promise is
// what the node can really give a job: the catalog's CPU layout, and the memory left once the VM and
// Kubernetes have taken theirs.

export type InstanceTypeLookup = (name: string) => InstanceType | undefined;

// Memory EC2 lists but the guest never sees: Karpenter's default vmMemoryOverheadPercent, 0.075
// (karpenter-provider-aws chart settings [P]).
export const VM_MEMORY_OVERHEAD_FRACTION = 0.075;
// kube-reserved memory on EKS AMIs: 11 MiB per pod + 255 MiB (amazon-eks-ami nodeadm
// getMemoryMebibytesToReserve [P]).
export const KUBE_RESERVED_MIB_PER_POD = 11;
export const KUBE_RESERVED_BASE_MIB = 255;
// The kubelet's hard eviction threshold, memory.available<100Mi (kubelet default [P]).
export const EVICTION_HARD_MIB = 100;

export interface SlurmNodeShape {
  cpus: number;
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  /** Cores per node kept for the system (CoreSpecCount); jobs get the rest. */
  coreSpecCount: number;
  /** CPUs left to jobs once the specialised cores are taken. */
  jobCpus: number;
  /** RealMemory: what a job may use, MiB (the spec's figure, or what the node has left). */
  realMemoryMiB: number;
  /** Memory the node keeps for the VM, the kubelet and eviction headroom, MiB. */
  systemMemoryMiB: number;
  /** Memory slurm.conf leaves out of RealMemory, MiB: the system's, and what the spec holds back beyond it. */
  keptMemoryMiB: number;
  gresType: string;
  gpus: number;
  /** Device files of the accelerators, as a Slurm file expression: /dev/nvidia[0-7]. */
  gresFiles: string;
}

export function memoryMiB(type: InstanceType): number {
  return type.memoryGiB * 1024;
}

/** Memory a node keeps for itself at `maxPods` pods: the VM's share, kube-reserved and the eviction threshold. */
export function systemMemoryMiB(type: InstanceType, maxPods: number): number {
  const vm = Math.ceil(memoryMiB(type) * VM_MEMORY_OVERHEAD_FRACTION);
  return vm + KUBE_RESERVED_MIB_PER_POD * maxPods + KUBE_RESERVED_BASE_MIB + EVICTION_HARD_MIB;
}

/** Device node name of one accelerator: NVIDIA GPUs are /dev/nvidiaN, Trainium chips /dev/neuronN (Neuron docs [P]). */
export function acceleratorDevice(type: InstanceType): string {
  return type.accelerator === "trainium" ? "/dev/neuron" : "/dev/nvidia";
}

export function slurmNodeShape(pool: PoolPlan, type: InstanceType): SlurmNodeShape {
  const systemMiB = systemMemoryMiB(type, pool.maxPodsPerNode);
  const gpus = pool.gpusPerNode;
  const device = acceleratorDevice(type);
  const realMemory = pool.slurm.realMemoryMiB ?? memoryMiB(type) - systemMiB;
  const coreSpecCount = pool.slurm.coreSpecCount;
  return {
    cpus: type.vcpus,
    sockets: type.sockets,
    coresPerSocket: type.coresPerSocket,
    threadsPerCore: type.threadsPerCore,
    coreSpecCount,
    jobCpus: type.vcpus - coreSpecCount * type.threadsPerCore,
    realMemoryMiB: realMemory,
    systemMemoryMiB: systemMiB,
    keptMemoryMiB: memoryMiB(type) - realMemory,
    gresType: pool.gpuModel,
    gpus,
    gresFiles: gpus === 1 ? `${device}0` : `${device}[0-${gpus - 1}]`,
  };
}

/** The catalog entry of a pool's instance type; the blueprint only names types the catalog knows. */
export function poolInstanceType(pool: PoolPlan, lookup: InstanceTypeLookup = catalogInstanceType): InstanceType {
  const type = lookup(pool.instanceType);
  if (!type) throw new Error(`pool ${pool.name}: instance type ${pool.instanceType} is not in the catalog`);
  return type;
}
