import type { InstanceType } from "./types";

// Accelerated instance types (docs/sources.md#accelerated-instances-and-efa lists every source below).
// Sources: K-IT = Karpenter's generated instance-types reference (vCPU, memory, GPUs, EFA, NVMe) [P];
// K-VPC = Karpenter's zz_generated.vpclimits.go (network cards x interfaces) [P];
// CNI-MP = amazon-vpc-cni-k8s misc/eni-max-pods.txt [P]; EFA-MC = AWS "EFA on multi-card instances" [P].
// CPU topology (sockets x cores x threads) is the EC2 default CPU options: two sockets, two threads per
// core on Intel/AMD hosts [U: from EC2 DescribeInstanceTypes VCpuInfo, not retrieved here];
// Grace has no SMT [S].
// Power is the node's maximum draw for facility sizing (docs/sources.md#dgx-power [S]; others [U]).

const p4Common = {
  family: "p4d",
  accelerator: "nvidia",
  vcpus: 96, // K-IT [P]
  sockets: 2,
  coresPerSocket: 24,
  threadsPerCore: 2,
  memoryGiB: 1152, // K-IT 1,179,648 MiB [P]
  networkGbps: 400, // K-IT 400,000 Mbps [P]
  networkCards: 4, // K-VPC [P]
  interfacesPerCard: 15, // K-VPC [P]
  efaInterfaces: 4, // K-IT vpc.amazonaws.com/efa [P]
  efaLayout: "efa-only-per-card",
  nvmeGB: 8000, // K-IT [P]
  defaultMaxPods: 737, // CNI-MP [P]
  nvlinkDomainNodes: 1,
  networkNodeLayers: 3, // EC2 instance topology prerequisites [P]
  powerKW: 6.5, // DGX A100 class [U]
  architecture: "x86_64",
} as const;

const hgx8Common = {
  accelerator: "nvidia",
  gpus: 8,
  vcpus: 192, // K-IT [P]
  sockets: 2,
  coresPerSocket: 48,
  threadsPerCore: 2,
  memoryGiB: 2048, // K-IT 2,097,152 MiB [P]
  networkGbps: 3200, // K-IT 3,200,000 Mbps [P]
  nvmeGB: 30400, // K-IT [P]
  nvlinkDomainNodes: 1,
  architecture: "x86_64",
} as const;

export const INSTANCE_TYPES: Readonly<Record<string, InstanceType>> = {
  "p4d.24xlarge": { ...p4Common, name: "p4d.24xlarge", gpuModel: "a100", gpus: 8, gpuMemoryGiB: 320 },
  "p4de.24xlarge": { ...p4Common, name: "p4de.24xlarge", family: "p4de", gpuModel: "a100-80gb", gpus: 8, gpuMemoryGiB: 640 },
  "p5.48xlarge": {
    ...hgx8Common,
    name: "p5.48xlarge",
    family: "p5",
    gpuModel: "h100",
    gpuMemoryGiB: 640, // K-IT 81,920 MiB per GPU [P]
    networkCards: 32, // K-VPC [P]
    interfacesPerCard: 2, // K-VPC [P]
    efaInterfaces: 32, // K-IT [P]
    efaLayout: "efa-only-per-card", // EFA-MC [P]
    defaultMaxPods: 100, // CNI-MP [P]
    networkNodeLayers: 3, // [P]
    powerKW: 10.2, // DGX H100 ~10.2 kW [S]
  },
  "p5e.48xlarge": {
    ...hgx8Common,
    name: "p5e.48xlarge",
    family: "p5e",
    gpuModel: "h200",
    gpuMemoryGiB: 1128, // K-IT 144,384 MiB per GPU [P]
    networkCards: 32, // K-VPC [P]
    interfacesPerCard: 2, // K-VPC [P]
    efaInterfaces: 32, // K-IT [P]
    efaLayout: "efa-only-per-card", // EFA-MC [P]
    defaultMaxPods: 100, // CNI-MP [P]
    networkNodeLayers: 3, // [P]
    powerKW: 10.2, // H100-class board, same envelope as DGX H100 [U]
  },
  "p5en.48xlarge": {
    ...hgx8Common,
    name: "p5en.48xlarge",
    family: "p5en",
    gpuModel: "h200",
    gpuMemoryGiB: 1128, // K-IT [P]
    networkCards: 16, // K-VPC [P]
    interfacesPerCard: 4, // K-VPC [P]
    efaInterfaces: 16, // K-IT [P]
    efaLayout: "efa-only-per-card", // EFA-MC [P]
    defaultMaxPods: 198, // CNI-MP [P]
    networkNodeLayers: 3, // [P]
    powerKW: 10.2, // H200 HGX, DGX H100 envelope [U]
  },
  "p6-b200.48xlarge": {
    ...hgx8Common,
    name: "p6-b200.48xlarge",
    family: "p6-b200",
    gpuModel: "b200",
    gpuMemoryGiB: 1432, // K-IT 183,359 MiB per GPU [P]
    networkCards: 8, // K-VPC [P]
    interfacesPerCard: 4, // K-VPC [P]
    efaInterfaces: 8, // K-IT [P]
    efaLayout: "efa-only-per-card", // EFA-MC [P]
    defaultMaxPods: 198, // CNI-MP [P]
    networkNodeLayers: 4, // p6-b200 has four network-node layers [P]
    powerKW: 14.3, // DGX B200 14.3 kW [S]
  },
  "p6e-gb200.36xlarge": {
    name: "p6e-gb200.36xlarge",
    family: "p6e-gb200",
    accelerator: "nvidia",
    gpuModel: "gb200",
    gpus: 4, // EKS UltraServer doc [P]
    gpuMemoryGiB: 740, // [S]
    vcpus: 144, // [S]
    sockets: 2, // two Grace CPUs of 72 cores, no SMT [S]
    coresPerSocket: 72,
    threadsPerCore: 1,
    memoryGiB: 960, // [S]
    networkGbps: 1600, // sources disagree (1,600 vs 3,200): the lower figure [S]
    networkCards: null, // not in K-VPC: unconfirmed
    interfacesPerCard: null,
    efaInterfaces: 0, // unconfirmed: no primary source gives the EFA count
    efaLayout: null,
    nvmeGB: 22500, // [S]
    defaultMaxPods: 110, // absent from CNI-MP; the kubelet default [U]
    nvlinkDomainNodes: 18, // u-p6e-gb200x72 = 18 instances, one NVLink domain [P]
    networkNodeLayers: 3, // [P]
    powerKW: 6.7, // GB200 NVL72 rack ~120 kW / 18 nodes [S]
    architecture: "arm64",
  },
  "trn2.48xlarge": {
    name: "trn2.48xlarge",
    family: "trn2",
    accelerator: "trainium",
    gpuModel: "trainium2",
    gpus: 16, // Neuron docs [P]
    gpuMemoryGiB: 1536, // Neuron docs [P]
    vcpus: 192, // K-IT [P]
    sockets: 2,
    coresPerSocket: 48,
    threadsPerCore: 2,
    memoryGiB: 2048, // K-IT [P]
    networkGbps: 3200, // K-IT [P]
    networkCards: null, // not in K-VPC: unconfirmed
    interfacesPerCard: null,
    efaInterfaces: 16, // K-IT [P]
    efaLayout: null,
    nvmeGB: 7600, // K-IT [P]
    defaultMaxPods: 100, // CNI-MP [P]
    nvlinkDomainNodes: 1,
    networkNodeLayers: 3, // [P]
    powerKW: 8, // no published figure [U]
    architecture: "x86_64",
  },
};

export function instanceType(name: string): InstanceType | undefined {
  return Object.prototype.hasOwnProperty.call(INSTANCE_TYPES, name) ? INSTANCE_TYPES[name] : undefined;
}

export const INSTANCE_TYPE_NAMES: readonly string[] = Object.keys(INSTANCE_TYPES);
