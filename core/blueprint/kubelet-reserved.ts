import type { InstanceType } from "../catalog/types";

// What the kubelet keeps from pods on a node, so the node's own daemons and the kernel never starve under a job that
// fills the node (Kubernetes "Reserve Compute Resources for System Daemons" [P]; docs/sources.md#kubelet-reserved):
// - kubeReserved: the kubelet and containerd, by EKS's own formula (awslabs/amazon-eks-ami nodeadm: CPU 6% of the
//   first core, 1% of the second, 0.5% of the next two, 0.25% of the rest; memory 11 MiB per pod plus 255 MiB [P]);
// - systemReserved: what EKS leaves at nothing and a GPU node of 192 vCPUs and 2 TiB needs: the Lustre client's
//   network and lock buffers, the EFA and NVIDIA daemons, the node-health agent, journald. A core per 96 vCPUs and
//   1% of memory, at least 1 GiB [U: project sizing];
// - evictionHard: the kubelet evicts before the kernel's OOM killer acts: 0.5% of memory, at least kubelet's own
//   100 Mi default [U: project sizing]; the file-system thresholds are the kubelet's defaults, said again because a
//   map given replaces the default map.

export interface KubeletReserved {
  kubeReserved: { cpu: string; memory: string };
  systemReserved: { cpu: string; memory: string };
  evictionHard: Record<string, string>;
}

/** EKS's CPU reservation for the kubelet and runtime, millicores. */
export function eksCpuReserveMillis(vcpus: number): number {
  const tiers: [number, number][] = [
    [1, 0.06],
    [1, 0.01],
    [2, 0.005],
    [Infinity, 0.0025],
  ];
  let left = vcpus;
  let millis = 0;
  for (const [cores, fraction] of tiers) {
    const here = Math.min(left, cores);
    millis += here * 1000 * fraction;
    left -= here;
    if (left <= 0) break;
  }
  return Math.round(millis);
}

export function kubeletReserved(type: Pick<InstanceType, "vcpus" | "memoryGiB">, maxPods: number): KubeletReserved {
  const memoryMiB = type.memoryGiB * 1024;
  return {
    kubeReserved: { cpu: `${eksCpuReserveMillis(type.vcpus)}m`, memory: `${11 * maxPods + 255}Mi` },
    systemReserved: { cpu: `${Math.ceil(type.vcpus / 96) * 1000}m`, memory: `${Math.max(1024, Math.ceil(memoryMiB * 0.01))}Mi` },
    evictionHard: {
      "memory.available": `${Math.max(100, Math.ceil(memoryMiB * 0.005))}Mi`,
      "nodefs.available": "10%",
      "nodefs.inodesFree": "5%",
      "imagefs.available": "15%",
    },
  };
}
