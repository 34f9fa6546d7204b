// Facts the user never repeats: a pool names its instance type and the rest follows from here.

/** How a network card's interfaces are laid out for EFA (docs/sources.md#efa-multi-card). */
export type EfaLayout =
  // card 0: device 0 ENA primary, device 1 efa-only; every other card: device 0 efa-only (AWS's recommendation).
  | "efa-only-per-card"
  // every card carries an `efa` (EFA with ENA) interface at device 0; card 0's is the primary.
  | "efa-per-card";

export interface InstanceType {
  name: string;
  family: string;
  accelerator: "nvidia" | "trainium";
  /** Model name as Slurm's Gres and labels use it, e.g. "h100". */
  gpuModel: string;
  gpus: number;
  gpuMemoryGiB: number;
  vcpus: number;
  /** Physical layout Slurm needs: sockets x cores x threads must equal vcpus. */
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  memoryGiB: number;
  networkGbps: number;
  /** null where no primary source gives the card layout: such a type cannot be wired, only reported. */
  networkCards: number | null;
  interfacesPerCard: number | null;
  efaInterfaces: number;
  efaLayout: EfaLayout | null;
  nvmeGB: number;
  /** Max pods with the VPC CNI on network card 0 only (eni-max-pods.txt). */
  defaultMaxPods: number;
  /** Nodes that share one NVLink domain (1 for an 8-GPU HGX board; 18 for a GB200 NVL72 UltraServer). */
  nvlinkDomainNodes: number;
  /** EC2 instance topology layers EKS labels (network-node-layer-1..N). */
  networkNodeLayers: number;
  /** Max power draw of one node, kW (facility sizing, before cooling). */
  powerKW: number;
  architecture: "x86_64" | "arm64";
}

export interface Region {
  name: string;
  country: string;
  partition: "aws" | "aws-eusc";
  /** EU-27 member state. */
  euMember: boolean;
  /** European Economic Area (EU + Iceland, Liechtenstein, Norway). */
  eea: boolean;
  availabilityZones: string[];
  /** The zones' AZ IDs (`eun1-az1`): the same physical zone in every account, unlike the names. */
  availabilityZoneIds: string[];
  /** Accelerated instance types offered on demand in the region (a snapshot, docs/sources.md#instances-vantage). */
  offeredInstanceTypes: string[];
  dnsSuffix: string;
}

export interface ServiceQuota {
  /** Stable key used by the blueprint, e.g. "ec2.running-on-demand-p-vcpus". */
  key: string;
  serviceCode: string;
  quotaCode: string;
  name: string;
  defaultValue: number;
  /** false for a hard limit: the default is then the ceiling and a need past it is an error, not a request. */
  adjustable: boolean;
  /** The most AWS grants: the default of a hard limit, a published ceiling of an adjustable quota, null where none is known. */
  ceiling: number | null;
  /** Where the ceiling is stated (null with the ceiling). */
  ceilingSource: string | null;
  unit: string;
  source: string;
}

export interface Price {
  instanceType: string;
  region: string;
  onDemandEURPerHour: number;
  /** Where the figure comes from; every price is an estimate until checked against the price list API. */
  source: string;
}
