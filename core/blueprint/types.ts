import type { CapacitySpec, PoolSlurmSpec } from "../spec/schema";

// The sizing of a factory: pure data, decided once from the spec and read by every component,
// renderer, report and policy. It is written into the PlanSnapshot as `blueprint`.

export interface Blueprint {
  factory: string;
  region: string;
  partition: "aws" | "aws-eusc";
  totalGpus: number;
  nodes: number;
  /** Number of scalable units across all pools. */
  scalableUnits: number;
  pools: PoolPlan[];
  units: ScalableUnitPlan[];
  network: NetworkPlan;
  fabric: FabricPlan;
  topology: TopologyPlan;
  storage: StoragePlan;
  tenants: TenantPlan[];
  quotas: QuotaNeed[];
  /** The node group the controllers run on (not GPU): counted in addresses, interfaces and node-group quotas. */
  system: SystemPlan;
  /** IT load of the GPU nodes at full draw, before cooling. */
  powerKW: number;
  /** On-demand list price estimate of every GPU node, EUR per hour. */
  costPerHourEUR: number;
  /** GPU nodes for a month of 730 hours plus the Lustre file system, EUR. */
  costPerMonthEUR: number;
  /** Which figures are estimates and why (prices not confirmed for a region, [S]-graded facts). */
  estimates: string[];
}

export interface PoolPlan {
  name: string;
  instanceType: string;
  gpuModel: string;
  availabilityZone: string;
  nodes: number;
  gpusPerNode: number;
  gpus: number;
  capacity: CapacitySpec;
  placement: "cluster" | "none";
  unitNodes: number;
  /** Names of this pool's scalable units, in order. */
  units: string[];
  maxPodsPerNode: number;
  /** IPv4 addresses one node takes from its subnet at full pods (primary + pod addresses + warm pool). */
  addressesPerNode: number;
  efaInterfacesPerNode: number;
  networkGbpsPerNode: number;
  powerKW: number;
  costPerHourEUR: number;
  tenants: string[];
  /** Prefix of the pool's host names: `train` gives train-00001, train-00002, ... */
  hostnamePrefix: string;
  /** Zero-padded width of the host number (5, more for pools above 99,999 nodes). */
  hostnameDigits: number;
  /** What the spec sets of Slurm's node figures (the rest derive from the catalog). */
  slurm: PoolSlurmSpec;
}

export interface ScalableUnitPlan {
  /** e.g. "train-su001": the unit is a leaf of the topology, one placement group, one node group. */
  name: string;
  pool: string;
  index: number;
  nodes: number;
  availabilityZone: string;
  /** Cluster placement group name, or null where AWS places the capacity (capacity blocks, placement none). */
  placementGroup: string | null;
  /** ODCR instances reserved inside this unit's placement group (0 when not reserved). */
  reservedNodes: number;
  /** The capacity block reservation serving this unit, when the pool uses capacity blocks. */
  capacityReservationId: string | null;
  subnet: string;
  /** 1-based ordinal of the unit's first node within its pool; host names follow from it. */
  firstNode: number;
  hostnames: string;
}

export type SubnetRole = "gpu" | "system" | "endpoints";

export interface SubnetPlan {
  name: string;
  role: SubnetRole;
  availabilityZone: string;
  cidr: string;
  /** Addresses AWS lets the subnet hand out (size minus the five it reserves). */
  usableAddresses: number;
  plannedAddresses: number;
  utilisation: number;
}

export interface NetworkPlan {
  vpcCidrs: string[];
  podAddressing: "prefix-delegation" | "secondary-ip";
  /** Empty when the VPC CIDRs cannot hold the factory; an error finding then says what is needed. */
  subnets: SubnetPlan[];
  addressesNeeded: number;
  addressesUsable: number;
  /** The most any subnet is planned to be used, 0..1 (kept at or below 0.8). */
  maxSubnetUtilisation: number;
  systemAvailabilityZones: string[];
  natGateway: boolean;
}

export interface SystemPlan {
  availabilityZones: string[];
  /** Managed node groups for the controllers (one, spanning the system AZs). */
  nodeGroups: number;
  maxNodes: number;
  maxPodsPerNode: number;
  addressesPerNode: number;
}

export interface FabricPlan {
  efaInterfaces: number;
  /** Scale-out bandwidth of every GPU node together. */
  aggregateTbps: number;
  pools: { pool: string; efaInterfacesPerNode: number; gbpsPerNode: number; gbpsPerUnit: number }[];
}

export interface TopologyLevel {
  name: string;
  nodeLabel: string;
}

export interface TopologyPlan {
  /** Levels from the widest to the node, shared by Kueue's Topology and Slurm's tree. */
  levels: TopologyLevel[];
  /**
   * Slurm tree: a leaf switch per scalable unit (children: Slurm hostlist expressions), a spine per pool
   * (children: leaf names), a core for the factory when there is more than one pool (children: spine names).
   */
  switches: { name: string; level: "leaf" | "spine" | "core"; children: string[] }[];
}

export interface StoragePlan {
  checkpointBytes: number;
  /** max(requiredWriteMBps, requiredReadMBps). */
  requiredThroughputMBps: number;
  requiredWriteMBps: number;
  requiredReadMBps: number;
  deploymentType: "PERSISTENT_2";
  /** EFA and GPUDirect Storage: fixed at creation; capacity then comes in the tier's larger EFA steps. */
  efaEnabled: boolean;
  /** Whether the spec pinned EFA (storage.lustre.efa) or the blueprint chose it from the throughput. */
  efaChoice: "pinned" | "from-throughput";
  /** Metadata IOPS sized for the files training touches (blueprint/metadata.ts). */
  metadata: {
    /** AUTOMATIC: FSx scales metadata IOPS with capacity; USER_PROVISIONED: a figure that can be raised, never lowered. */
    mode: "AUTOMATIC" | "USER_PROVISIONED";
    /** What the file system has: AUTOMATIC's figure for the capacity, or the provisioned one. */
    iops: number;
    /** Dataset files opened per epoch and checkpoint files created per window, with headroom. */
    requiredIops: number;
    /** What AUTOMATIC would give at this capacity. */
    automaticIops: number;
    /** Pinned by storage.lustre.metadataIops, or chosen from the objectives. */
    choice: "pinned" | "from-objectives";
    datasetFiles: number;
    /** The spec's storage.datasetFiles, or assumed from the dataset size in 256 MB shards. */
    datasetFilesSource: "spec" | "assumed";
    /** Seconds to read the dataset once at the read rate the GPUs need (0: nothing is read). */
    epochSeconds: number;
    checkpointFiles: number;
  };
  perUnitStorageThroughputMBpsPerTiB: number;
  /** AWS's "TiB" for Lustre: storageCapacityGiB / 1000 (a 2,400 GiB file system is "2.4 TiB"). */
  capacityTiB: number;
  /** The API's StorageCapacity: 1,200, 2,400 or a multiple of 2,400 GiB. */
  storageCapacityGiB: number;
  throughputMBps: number;
  checkpointSeconds: number;
  readMBpsPerGpu: number;
  availabilityZone: string;
  meetsObjective: boolean;
  costPerMonthEUR: number;
}

export interface TenantPlan {
  name: string;
  gpuQuota: number;
  priority: string;
  priorityValue: number;
  costCenter: string;
  dataClassification: string;
  pools: string[];
  borrowingLimitGpus: number;
  lendingLimitGpus: number;
  /** Share of the factory's GPUs, 0..1. */
  share: number;
}

export interface QuotaNeed {
  key: string;
  serviceCode: string;
  quotaCode: string;
  name: string;
  needed: number;
  defaultValue: number;
  unit: string;
  /** needed > defaultValue. Where the quota is not adjustable an error finding accompanies it. */
  raise: boolean;
  adjustable: boolean;
  source: string;
}
