// General-purpose instance types for the system pool: the cluster's controllers (CoreDNS, Kueue, the
// Slurm operator and slurmctld, the GPU operator, CSI controllers), never GPU work.
// Sources: vCPU and memory from the EC2 instance-type specifications (general purpose M7i, memory
// optimized R7i) [P]; max pods from amazon-vpc-cni-k8s misc/eni-max-pods.txt (CNI-MP) [P]. Offered in
// every EU commercial region of the catalog [U: confirm with describe-instance-type-offerings].

export interface CpuInstanceType {
  name: string;
  vcpus: number;
  memoryGiB: number;
  /** Max pods with the VPC CNI in secondary-ip mode (CNI-MP). */
  defaultMaxPods: number;
  architecture: "x86_64" | "arm64";
}

export const CPU_INSTANCE_TYPES: Readonly<Record<string, CpuInstanceType>> = {
  "m7i.2xlarge": { name: "m7i.2xlarge", vcpus: 8, memoryGiB: 32, defaultMaxPods: 58, architecture: "x86_64" },
  "m7i.4xlarge": { name: "m7i.4xlarge", vcpus: 16, memoryGiB: 64, defaultMaxPods: 234, architecture: "x86_64" },
  "r7i.4xlarge": { name: "r7i.4xlarge", vcpus: 16, memoryGiB: 128, defaultMaxPods: 234, architecture: "x86_64" },
};

export interface SystemPoolSize {
  instanceType: CpuInstanceType;
  /** Nodes per system AZ while the factory runs; the group may grow to the blueprint's maximum. */
  nodesPerAvailabilityZone: number;
}

// Controllers grow with the nodes they watch: slurmctld and Kueue keep every node and workload in memory,
// CoreDNS answers every pod. Up to a few hundred GPU nodes a small general-purpose node per AZ suffices;
// an AI factory (~3,000 nodes) doubles that; a gigafactory (~12,500) takes memory-optimized nodes, two per
// AZ. All stay below 30 vCPUs, where EKS caps pods at 110 (the blueprint's system sizing) [U: project sizing].
export const SYSTEM_SIZE_STEPS: readonly { upToGpuNodes: number; instanceType: string; nodesPerAvailabilityZone: number }[] = [
  { upToGpuNodes: 256, instanceType: "m7i.2xlarge", nodesPerAvailabilityZone: 1 },
  { upToGpuNodes: 4096, instanceType: "m7i.4xlarge", nodesPerAvailabilityZone: 2 },
  { upToGpuNodes: Number.POSITIVE_INFINITY, instanceType: "r7i.4xlarge", nodesPerAvailabilityZone: 2 },
];

/** The system pool's instance type and size for a factory of `gpuNodes` GPU nodes. */
export function systemPoolSize(gpuNodes: number): SystemPoolSize {
  const step = SYSTEM_SIZE_STEPS.find((s) => gpuNodes <= s.upToGpuNodes) ?? SYSTEM_SIZE_STEPS[SYSTEM_SIZE_STEPS.length - 1];
  return { instanceType: CPU_INSTANCE_TYPES[step.instanceType], nodesPerAvailabilityZone: step.nodesPerAvailabilityZone };
}
