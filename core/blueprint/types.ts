import type { PoolRolloutPlan, RolloutPlace } from "./rollout-types";
import type { KubeletReserved } from "./kubelet-reserved";
import type { CapacitySpec, PoolSlurmSpec } from "../spec/schema";
import type { InterfaceSlot } from "./interfaces";
import type { Taint } from "./labels";
import type { ControlPlaneTier } from "./tier";

// The sizing of a factory: pure data from the spec, read by every component, renderer, report and policy (`blueprint` of a plan).

export interface Blueprint {
  factory: string;
  region: string;
  partition: "aws" | "aws-eusc";
  /** The region's DNS suffix, in service principals and endpoints: amazonaws.com, amazonaws.eu in the EU sovereign cloud. */
  dnsSuffix: string;
  totalGpus: number;
  nodes: number;
  /** Number of scalable units across all pools. */
  scalableUnits: number;
  pools: PoolPlan[];
  units: ScalableUnitPlan[];
  /** The GPU pools' managed node groups: each a run of whole units of one pool (node-groups.ts). */
  nodeGroups: GpuNodeGroupPlan[];
  network: NetworkPlan;
  fabric: FabricPlan;
  topology: TopologyPlan;
  storage: StoragePlan;
  tenants: TenantPlan[];
  /** A directory of the factory's own for Slurm's pods (sssd.conf in Secrets Manager), when the spec names one. */
  directory?: import("./directory").DirectoryPlan;
  quotas: QuotaNeed[];
  /** The node group the controllers run on (not GPU): counted in addresses, interfaces and node-group quotas. */
  system: SystemPlan;
  /** The EKS control plane: the Services' range and the tier. */
  cluster: ClusterPlan;
  charts: import("./chart-types").ChartPlan[]; // the Helm releases, at those the spec's Kubernetes minor selects (charts.ts)
  /** How the in-cluster layers reach the private API server: the runner, operator networks, the endpoint. */
  access: AccessPlan;
  /** What guards the factory against a slip: deletion protection and standbys. */
  protection: ProtectionPlan;
  /** IT load of the GPU nodes at full draw, before cooling. */
  powerKW: number;
  /** On-demand list price estimate of every GPU node, EUR per hour. */
  costPerHourEUR: number;
  /** GPU nodes for a month of 730 hours plus the Lustre file system, EUR. */
  costPerMonthEUR: number;
  /** Which figures are estimates and why (prices not confirmed for a region, [S]-graded facts). */
  estimates: string[];
  /** Which spec fields each sized value comes from (provenance.ts): what a review traces a change back to. */
  provenance?: import("./provenance").SizedValue[];
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
  /** The tenant label and tag of the pool's nodes: its one tenant, or "shared" when several share it. */
  tenancy: string;
  /** The pinned release (`1.33-v20251016`), its AMI's name and SSM parameter (never `recommended`); how a template change reaches the units (rollout.ts). */
  amiParameter: string;
  image: { release: string; amiName: string };
  rollout: PoolRolloutPlan;
  /** The launch template's interfaces, every EFA one on a network card of its own; null where the catalog cannot wire the type. */
  interfaces: InterfaceSlot[] | null;
  /** Pods the kubelet admits: what the pool asks for, within the node's limit. */
  kubeletMaxPods: number;
  /** Taints every node registers with, so no pod without a GPU toleration lands on it. */
  taints: Taint[];
  /** The node stripes its NVMe drives (RAID0) for kubelet and containerd state. */
  stripeLocalNvme: boolean;
  /** What the kubelet keeps from pods for itself, the node's daemons and eviction (kubelet-reserved.ts). */
  kubeletReserved: KubeletReserved;
  /** Prefix of the pool's host names: `train` gives train-00000, train-00001, ... (Slinky's names). */
  hostnamePrefix: string;
  /** Zero-padded width of the host number (5, more for pools above 99,999 nodes). */
  hostnameDigits: number;
  /** What the spec sets of Slurm's node figures (the rest derive from the catalog). */
  slurm: PoolSlurmSpec;
}

export interface ScalableUnitPlan {
  /** e.g. "train-su001": the unit is a leaf of the topology; its node group and placement group may hold other units of its pool. */
  name: string;
  pool: string;
  index: number;
  nodes: number;
  availabilityZone: string;
  /** Its node group's cluster placement group, or null where AWS places the capacity (capacity blocks, placement none). */
  placementGroup: string | null;
  /** Reserved instances of this unit: all its nodes on a pool of ODCRs (delivered or created by the stack), else 0. */
  reservedNodes: number;
  /** The capacity reservation serving this unit, by id: a capacity block, or an ODCR AWS has delivered. */
  capacityReservationId: string | null;
  /** The capacity-reservation resource group serving this unit, by ARN. */
  capacityReservationGroupArn: string | null;
  subnet: string;
  /** The managed node group the unit's nodes run in (node-groups.ts); empty until the units are grouped. */
  nodeGroup: string;
  /** Ordinal, from 0, of the unit's first node within its pool (Slinky's pod ordinals); host names follow from it. */
  firstNode: number;
  hostnames: string;
  /** How the unit's node group gets and launches its instances (the same for every unit of the group); null where the pool's capacity cannot serve it. */
  launch: UnitLaunchPlan | null;
}

/** A managed node group of a GPU pool: a run of whole units that share an AZ, a subnet and a capacity source. */
export interface GpuNodeGroupPlan extends RolloutPlace {
  /** The one unit's name, or the first unit's with the last one's index: `train-su001-005`. */
  name: string;
  pool: string;
  units: string[];
  nodes: number;
  largestUnitNodes: number;
  /** Reserved instances of its units (ODCRs, delivered or created by the stack). */
  reservedNodes: number;
  availabilityZone: string;
  subnet: string;
  placementGroup: string | null;
  /** The one reservation (capacity block or delivered ODCR) its units run on, by id. */
  capacityReservationId: string | null;
  /** The one capacity-reservation resource group its units run on, by ARN. */
  capacityReservationGroupArn: string | null;
}

export interface UnitLaunchPlan {
  /** The node group's name within its pool (`su001`, `su001-005`): its placement group, reservation and node group are named after it. */
  role: string;
  capacity: UnitCapacity;
  launchTemplate: LaunchTemplatePlan;
  nodeGroup: NodeGroupPlan;
}

export interface LaunchTemplatePlan {
  /** Units of a pool with the same key share one launch template (capacity.ts launchTemplateKey). */
  key: string;
  /** What the template is named after: the node group (`su001`, `su001-005`), its capacity block's id, or null for the pool's shared template. */
  role: string | null;
  /** Labels the kubelet registers with: the unit label only on a template of a one-unit group's own; otherwise the node group or the node-health agent sets it. */
  labels: Record<string, string>;
  updateDefaultVersion: boolean; // false while its pool's rollout is under way: the default version is what later waves run
}

export type SubnetRole = "gpu" | "system" | "endpoints";

export interface SubnetPlan {
  name: string;
  role: SubnetRole;
  availabilityZone: string;
  cidr: string;
  /** The VPC CIDR block the subnet is cut from: a subnet of a secondary block waits for the block's association. */
  vpcCidr: string;
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

export interface SystemPlan extends Pick<PoolPlan, "taints"> {
  availabilityZones: string[];
  /** Managed node groups for the controllers (one, spanning the system AZs). */
  nodeGroups: number;
  maxNodes: number;
  maxPodsPerNode: number;
  addressesPerNode: number;
  /** The controllers' instance type, grown with the GPU nodes they watch. */
  instanceType: string;
  amiParameter: string;
  kubeletMaxPods: number;
  labels: Record<string, string>;
  /** A node per system AZ at least, so replicas spread; room to maxNodes. */
  scaling: { minSize: number; desiredSize: number; maxSize: number };
}

export interface ClusterPlan {
  /** The Services' range, clear of the VPC's blocks; null when both of EKS's ranges overlap them. */
  serviceCidr: string | null;
  /** GPU and system nodes at full size: the control-plane tier and CoreDNS's replicas follow from it. */
  nodes: number;
  controlPlaneTier: ControlPlaneTier;
}

export interface ProtectionPlan {
  /** The EKS control plane refuses deletion. */
  deletionProtection: boolean;
  /** The accounting database keeps a standby in another AZ. */
  highAvailability: boolean;
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
   * (children: leaf names), a core per availability zone with more than one pool (children: spine names); pools in
   * different AZs share no switch, so no job spans AZs.
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
  /** The subnet the file system lives in: a GPU subnet of its AZ, else a system subnet there; null when the AZ has neither. */
  subnet: string | null;
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
  /** Its people: POSIX accounts on Slurm's login and slurmd pods, Slurm users of its account. */
  users: TenantUserPlan[];
  /** Owner, group and Lustre project of the tenant's share of the file system (tenant-ids.ts). */
  posixId: number;
}

export interface TenantUserPlan {
  name: string;
  uid: number;
  /** OpenSSH public keys, as authorized_keys lines. */
  sshKeys: string[];
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
  /** false for a hard limit: never requested, a need past it is an error of the spec. */
  adjustable: boolean;
  /** The most AWS grants (the default of a hard limit, a published ceiling), null where none is known. */
  ceiling: number | null;
  source: string;
}

// How a unit gets its instances (capacity.ts decides it).
export type NodeGroupCapacityType = "ON_DEMAND" | "SPOT" | "CAPACITY_BLOCK";

export interface UnitCapacity {
  capacityType: NodeGroupCapacityType;
  placementGroup: string | null;
  /** The ODCR the stack creates for this node group (`create: true`), or null. */
  reservation: { instanceCount: number; matchCriteria: "targeted" } | null;
  /** Launch template: instanceMarketOptions.marketType. */
  marketType: "capacity-block" | null;
  /**
   * Launch template: the reservation targeted. A capacity block or a delivered ODCR by id, a delivered resource group by
   * ARN, or the group's own ODCR the stack creates.
   */
  target:
    | { kind: "capacity-block"; reservationId: string }
    | { kind: "reservation"; reservationId: string }
    | { kind: "reservation-group"; resourceGroupArn: string }
    | { kind: "own-reservation" }
    | null;
  /** Launch template: capacityReservationPreference. `capacity-reservations-only` where an ODCR is targeted: no launch falls back to on-demand. */
  reservationPreference: "capacity-reservations-only" | null;
}

// A managed node group of whole units (node-group.ts decides it).
export interface NodeGroupPlan extends Pick<RolloutPlace, "launchTemplateVersion"> {
  nodeGroupName: string;
  scaling: { minSize: number; maxSize: number; desiredSize: number };
  capacityType: NodeGroupCapacityType;
  /** A unit's nodes are replaced together, MINIMAL terminating first (no room for surge nodes); templates change in waves (rollout.ts). */
  updateConfig: { maxUnavailable: number; updateStrategy: "MINIMAL" };
  labels: Record<string, string>;
  taints: { key: string; value: string; effect: string }[];
  /** Desired size belongs to EKS after creation for capacity blocks (it scales them to 0 before the block ends). */
  desiredSizeManagedByEks: boolean;
}

/** The deploy path into the private cluster (core/blueprint/access.ts): who reaches the API server, and how. */
export interface AccessPlan {
  /** The API endpoint: private always; public only with an explicit list of source ranges. */
  endpoint: { privateAccess: true; publicAccess: boolean; publicAccessCidrs: string[] };
  /** Inbound rules of the API server's security group, which the control plane's interfaces carry: 443 only. */
  apiIngress: ApiIngressRule[];
  /** The foundation layer's deploy runner inside the VPC, or null when the spec turns it off. */
  runner: RunnerPlan | null;
}

/** One source admitted to the API server on 443: the runner's group, an operator range or an operator group. */
export interface ApiIngressRule {
  source: "runner" | "operator-cidr" | "operator-security-group";
  description: string;
  port: number;
  cidrIpv4?: string;
  securityGroupId?: string;
}

export interface RunnerPlan {
  /** The system subnets (by name) the runner's interfaces are placed in. */
  subnets: string[];
  timeoutMinutes: number;
  image: string;
  computeType: string;
  environmentType: string;
  /** Where the runner may connect, all on 443: the API server's group, the VPC's blocks (interface endpoints), S3 through its gateway. */
  egress: { description: string; port: number; to: "api-server" | "s3-gateway" | { cidrIpv4: string } }[];
  /** Pulumi's state backend the runner reads and writes, when the spec names it. */
  state: { bucketArn: string; kmsKeyArn?: string } | null;
  /** What the runner's role is granted in the cluster through its access entry. */
  kubernetesAccess: { policy: string; scope: "cluster" };
  logRetentionDays: number;
}
