import { region as regionFacts } from "../catalog/regions";
import type { AccessSpec, CapacitySourceName, DATA_CLASSIFICATIONS, POD_ADDRESSING, PresetName } from "./schema";

// What a preset decides, so that a stack file says only what is particular to its factory.
// Presets never define pools or tenants: those are always the user's.

export interface Defaults {
  /** What the factory is for, in a line (reports). */
  description: string;
  /**
   * `maxUnitsPerNodeGroup`: the most units a managed node group holds by default; a unit size lowers it to what fits
   * 450 nodes (resolve.ts). Fixed per preset, so the units per group never follow the factory's size.
   */
  scalableUnit: { nodes: number; maxUnitsPerNodeGroup: number };
  /** Capacity source of a pool that does not name one. */
  capacitySource: Extract<CapacitySourceName, "on-demand" | "odcr">;
  network: {
    vpcCidrs: string[];
    podAddressing: (typeof POD_ADDRESSING)[number];
    maxPodsPerNode: number;
    /** The system pool and endpoints use the region's first N availability zones. */
    systemAvailabilityZoneCount: number;
    natGateway: boolean;
    flowLogRetentionDays: number;
  };
  /** The deploy path into the private cluster: the runner on, nobody else admitted unless the spec says. */
  access: AccessSpec;
  storage: {
    checkpoint: { modelParameters: number; bytesPerParameter: number; seconds: number; keep: number };
    datasetTB: number;
    readMBpsPerGpu: number;
  };
  /** Priority classes (Kueue WorkloadPriorityClass and Slurm QOS priority), merged with the spec's own. */
  priorities: Record<string, number>;
  /** Priority of a tenant that names none. */
  tenantPriority: string;
  /** The control plane's minor and the node image release every pool that pins none runs (and the system pool). */
  kubernetes: { version: string; image: { release: string } };
  /** How a launch-template change reaches a pool's units when the pool's `rollout` does not say. */
  rollout: { soakMinutes: number };
  costCenter: string;
  dataClassification: (typeof DATA_CLASSIFICATIONS)[number];
}

/** `count` consecutive /16 blocks from 10.<first>.0.0: AWS allows at most a /16 per VPC CIDR block (VPC user guide [P]). */
function slash16s(first: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `10.${first + i}.0.0/16`);
}

// Every preset deploys its in-cluster layers from a runner inside the VPC (docs/sources.md#eks-cluster-endpoint: a
// private-only endpoint answers only from the VPC or a connected network). An hour covers a first install of the
// add-ons and the tenants; the operator's networks and a public endpoint are the stack's to name.
const ACCESS: AccessSpec = { runner: { enabled: true, timeoutMinutes: 60 }, operatorCidrs: [], operatorSecurityGroupIds: [], publicEndpointCidrs: [] };

// Every preset pins one node image release (core/catalog/kubernetes/1.33.ts): a plan never moves a node to a newer
// AMI unless the spec says so. An upgrade changes this line, or a pool's image.release, and rolls out in waves. The
// release carries the NVIDIA driver branch the slurmd image's CUDA needs (ami.ts NVIDIA_580_FIRST_RELEASE).
const KUBERNETES = { version: "1.33", image: { release: "1.33-v20251120" } };

// The priorities every preset offers: ordered, with room between them for a factory's own classes.
const PRIORITIES = { critical: 1000, standard: 100, preemptible: 0 };

// A resumable checkpoint takes 12-14 bytes per parameter (docs/sources.md#zero-checkpoint-size, [inference]): the upper
// bound, so the file system is never undersized.
const BYTES_PER_PARAMETER = 14;

// Datasets live in S3; Lustre holds the working set. A 15T-token corpus at 2 bytes per token is 30 TB
// [inference]. Token streaming reads well under 1 MB/s per GPU: ~1,000 tokens/s per H100 on a 70B model
// (400 TFLOP/s / 6 x 70e9 FLOP per token) x 4 bytes is ~4 KB/s [inference]; 1 MB/s leaves room for
// smaller models and data loaders' read-ahead. Image and video training needs more: set it.
const DATASET_TB = 30;
const READ_MBPS_PER_GPU = 1;

// Pods per GPU node: one training pod (and its sidecars) plus the ~14 system daemonsets; every pod address
// is a VPC address, and at 3,125-12,500 nodes in one AZ per pool (docs/sources.md#vpc-cni) 32 is what fits.
const MAX_PODS_AT_SCALE = 32;

// An hour between waves: long enough for the node-health agent's checks and a first job on the new nodes to fail
// before the next wave drains more [U: project choice]. A trial waits for nothing.
const SOAK_MINUTES = 60;

export const PRESET_DEFAULTS: Readonly<Record<PresetName, Defaults>> = {
  dev: {
    description: "a few nodes to try the factory on",
    // Two nodes per unit: a trial of four nodes already shows two units, two placement groups and a
    // two-level Slurm and Kueue topology, at the cost of a few on-demand hours.
    // A group per unit: the unit label comes with the group at boot, and a trial has few units.
    scalableUnit: { nodes: 2, maxUnitsPerNodeGroup: 1 },
    // Nothing reserved: a trial must not commit to capacity.
    capacitySource: "on-demand",
    network: {
      vpcCidrs: slash16s(0, 1),
      podAddressing: "prefix-delegation",
      // Within every catalog type's card-0 limit (>= 100, CNI eni-max-pods [P]), so switching to
      // secondary-ip never breaks a trial; a /16 holds a few nodes at this density with room to spare.
      maxPodsPerNode: 64,
      // EKS needs subnets in at least two AZs (EKS network requirements [P]); three is the region's usual set.
      systemAvailabilityZoneCount: 3,
      natGateway: false,
      // A CloudWatch Logs retention value (PutRetentionPolicy [P]); a month is enough to debug a trial.
      flowLogRetentionDays: 30,
    },
    access: ACCESS,
    storage: {
      // An 8B model: a checkpoint of ~0.1 TB in a minute (docs/sources.md#zero-checkpoint-size), on the smallest Lustre.
      checkpoint: { modelParameters: 8e9, bytesPerParameter: BYTES_PER_PARAMETER, seconds: 60, keep: 2 },
      datasetTB: 1,
      readMBpsPerGpu: READ_MBPS_PER_GPU,
    },
    priorities: PRIORITIES,
    tenantPriority: "standard",
    kubernetes: KUBERNETES,
    rollout: { soakMinutes: 0 },
    costCenter: "unallocated",
    dataClassification: "confidential",
  },
  "ai-factory": {
    description: "an EU AI factory of about 25,000 GPUs (3,125 nodes of 8)",
    // DGX SuperPOD scalable unit: 32 nodes, 256 GPUs, one leaf per rail (docs/sources.md#dgx-superpod).
    // Four units (128 nodes) a group: ~100 units take ~25 groups, with room to grow fourfold within EKS's 100
    // [U: project choice].
    scalableUnit: { nodes: 32, maxUnitsPerNodeGroup: 4 },
    // A factory's bulk comes from ODCRs in its placement groups (docs/sources.md#ec2-placement-groups [P]).
    capacitySource: "odcr",
    network: {
      // Five /16 blocks, the default quota of CIDR blocks per VPC (catalog quotas): 327,680 addresses,
      // ~105 per node for 3,125 nodes, while a node at 32 pods with prefix delegation takes ~49 (primary
      // address + two /28 prefixes + one warm /28, docs/sources.md#vpc-cni), twice that after rounding
      // each unit's subnet to a power of two.
      vpcCidrs: slash16s(0, 5),
      podAddressing: "prefix-delegation",
      maxPodsPerNode: MAX_PODS_AT_SCALE,
      systemAvailabilityZoneCount: 3,
      natGateway: false,
      // A year of flow logs for audits (a CloudWatch Logs retention value, PutRetentionPolicy [P]).
      flowLogRetentionDays: 365,
    },
    access: ACCESS,
    storage: {
      // A 405B dense model: 5.7 TB per checkpoint (docs/sources.md#zero-checkpoint-size), written in 60 s at ~95 GB/s;
      // keep three: resume from the last, fall back on two if it is damaged.
      checkpoint: { modelParameters: 405e9, bytesPerParameter: BYTES_PER_PARAMETER, seconds: 60, keep: 3 },
      datasetTB: DATASET_TB,
      readMBpsPerGpu: READ_MBPS_PER_GPU,
    },
    priorities: PRIORITIES,
    tenantPriority: "standard",
    kubernetes: KUBERNETES,
    rollout: { soakMinutes: SOAK_MINUTES },
    costCenter: "unallocated",
    dataClassification: "confidential",
  },
  gigafactory: {
    description: "an EU AI gigafactory of about 100,000 GPUs (12,500 nodes of 8)",
    // As many units as a group holds (14 of 32 nodes, 448): ~400 units take ~30 groups, room to grow threefold.
    scalableUnit: { nodes: 32, maxUnitsPerNodeGroup: 16 },
    capacitySource: "odcr",
    network: {
      // Sixteen /16 blocks (10.0.0.0/12, 1,048,576 addresses, ~84 per 12,500 nodes): above the default
      // five blocks per VPC, within the 50 AWS raises it to (catalog quotas); the plan lists the raise.
      vpcCidrs: slash16s(0, 16),
      podAddressing: "prefix-delegation",
      maxPodsPerNode: MAX_PODS_AT_SCALE,
      systemAvailabilityZoneCount: 3,
      natGateway: false,
      flowLogRetentionDays: 365,
    },
    access: ACCESS,
    storage: {
      // A 1T-parameter model: 14 TB per checkpoint, ~230 GB/s to write it in 60 s (docs/sources.md#zero-checkpoint-size).
      checkpoint: { modelParameters: 1e12, bytesPerParameter: BYTES_PER_PARAMETER, seconds: 60, keep: 3 },
      datasetTB: DATASET_TB,
      readMBpsPerGpu: READ_MBPS_PER_GPU,
    },
    priorities: PRIORITIES,
    tenantPriority: "standard",
    kubernetes: KUBERNETES,
    rollout: { soakMinutes: SOAK_MINUTES },
    costCenter: "unallocated",
    dataClassification: "confidential",
  },
};

/** The region's first availability zones, for the system pool and endpoints ([] for a region the catalog does not know). */
export function defaultSystemAvailabilityZones(regionName: string, count: number): string[] {
  return regionFacts(regionName)?.availabilityZones.slice(0, count) ?? [];
}
