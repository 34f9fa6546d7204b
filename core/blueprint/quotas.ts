import type { CapacitySpec, Finding } from "../spec/schema";
import type { InstanceType } from "../catalog";
import { serviceQuota } from "../catalog";
import { CPU_INSTANCE_TYPES } from "../catalog/cpu-instances";
import type { GpuNodeGroupPlan, QuotaNeed, ScalableUnitPlan, SystemPlan } from "./types";
import { VPC_INTERFACE_ENDPOINTS } from "../catalog/endpoints";
import { error } from "../spec/findings";
import { specPath } from "../spec/paths";
import { formatCount } from "./figures";
import { interfacesPerNode, podInterfaces, type PodAddressing } from "./pods";

// The service quotas the factory needs, against AWS's defaults (catalog quotas: docs/sources.md#ec2-placement-groups,
// docs/sources.md#ec2-capacity-blocks, #eks-service-quotas). `raise` where the need passes the default; an error
// finding where a hard limit is passed, at the spec path that causes it.

// Controllers that call AWS through EKS Pod Identity: the VPC CNI, the EBS and FSx CSI controllers.
export const POD_IDENTITY_CONTROLLERS = ["aws-node", "ebs-csi-controller", "fsx-csi-controller"] as const;
// Every tenant's workloads assume the tenant's own IAM role: one association per tenant.
export const POD_IDENTITY_PER_TENANT = 1;

export interface QuotaPool {
  name: string;
  type: InstanceType;
  nodes: number;
  capacity: CapacitySpec;
  maxPodsPerNode: number;
}

export interface QuotaInput {
  pools: QuotaPool[];
  units: ScalableUnitPlan[];
  /** The GPU pools' managed node groups (node-groups.ts), which report their own hard limits. */
  nodeGroups: GpuNodeGroupPlan[];
  system: SystemPlan;
  podAddressing: PodAddressing;
  vpcCidrBlocks: number;
  subnets: number;
  tenants: number;
  /** The factory names a directory: its copier's role is one association more (directory.ts). */
  directory?: boolean;
  /** StorageCapacity of the factory's Lustre file system. */
  lustreCapacityGiB: number;
}

const isPFamily = (t: InstanceType): boolean => t.family.startsWith("p");

function need(key: string, needed: number): QuotaNeed {
  const q = serviceQuota(key);
  return {
    key,
    serviceCode: q.serviceCode,
    quotaCode: q.quotaCode,
    name: q.name,
    needed,
    defaultValue: q.defaultValue,
    unit: q.unit,
    raise: needed > q.defaultValue,
    adjustable: q.adjustable,
    ceiling: q.ceiling,
    source: q.source,
  };
}

/** The smallest unit size that keeps the cluster-placed pools within `limit` placement groups. */
function unitNodesWithin(limit: number, clusterPoolNodes: number[]): number | undefined {
  const largest = Math.max(0, ...clusterPoolNodes);
  if (clusterPoolNodes.length > limit) return undefined;
  let lo = 1;
  let hi = Math.max(largest, 1);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (clusterPoolNodes.reduce((s, n) => s + Math.ceil(n / mid), 0) <= limit) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function planQuotas(input: QuotaInput): { quotas: QuotaNeed[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const quotas: QuotaNeed[] = [];
  const vcpus = (pred: (p: QuotaPool) => boolean) => input.pools.filter(pred).reduce((s, p) => s + p.nodes * p.type.vcpus, 0);

  // ODCR instances run as on-demand instances and count against the on-demand vCPU quota. Whether
  // capacity-block instances do is unconfirmed [U]: they are counted, since asking for quota that is not
  // needed costs nothing and missing quota stops a launch.
  const onDemand = input.pools.filter((p) => isPFamily(p.type) && p.capacity.source !== "spot");
  if (onDemand.length > 0) quotas.push(need("ec2.on-demand-p-vcpus", vcpus((p) => onDemand.includes(p))));
  const spot = input.pools.filter((p) => isPFamily(p.type) && p.capacity.source === "spot");
  if (spot.length > 0) quotas.push(need("ec2.spot-p-vcpus", vcpus((p) => spot.includes(p))));
  // The system pool runs on general-purpose (standard) instances, a quota of its own; its type is the system plan's.
  const systemType = CPU_INSTANCE_TYPES[input.system.instanceType];
  quotas.push(need("ec2.on-demand-standard-vcpus", input.system.maxNodes * systemType.vcpus));

  // One cluster placement group per node group that places its units.
  const placementGroups = new Set(input.units.flatMap((u) => (u.placementGroup === null ? [] : [u.placementGroup]))).size;
  if (placementGroups > 0) {
    const q = need("ec2.placement-groups", placementGroups);
    quotas.push(q);
    if (q.needed > q.defaultValue) {
      const clusterPools = [...new Set(input.units.filter((u) => u.placementGroup !== null).map((u) => u.pool))];
      const nodes = clusterPools.map((p) => input.units.filter((u) => u.pool === p).reduce((s, u) => s + u.nodes, 0));
      const within = unitNodesWithin(q.defaultValue, nodes);
      findings.push(
        error(
          specPath("scalableUnit", "nodes"),
          `${formatCount(placementGroups)} node groups each need a cluster placement group; a region allows ${formatCount(q.defaultValue)} (a hard limit)`,
          within === undefined
            ? "set placement: none on some pools"
            : `use scalable units of at least ${formatCount(within)} nodes, or set placement: none on some pools`,
        ),
      );
    }
  }

  const blockPools = input.pools.filter((p) => p.capacity.source === "capacity-block");
  if (blockPools.length > 0) {
    let running = 0;
    let crossing: string | undefined;
    for (const p of blockPools) {
      if (p.capacity.source !== "capacity-block") continue;
      running += p.capacity.blocks.reduce((s, b) => s + b.instances, 0);
      if (crossing === undefined && running > serviceQuota("ec2.capacity-block-instances").defaultValue) crossing = p.name;
    }
    const q = need("ec2.capacity-block-instances", running);
    quotas.push(q);
    if (crossing !== undefined) {
      findings.push(
        error(
          specPath("pools", crossing, "capacity", "blocks"),
          `the capacity blocks hold ${formatCount(running)} instances; an account holds at most ${formatCount(q.defaultValue)} across all blocks (a hard limit)`,
          "run the factory's bulk on ODCRs (capacity.source: odcr) and keep capacity blocks for bursts",
        ),
      );
    }
  }

  // Every GPU node: the ENA primary, each EFA interface and any extra pod interface; system nodes their
  // pod interfaces; one per interface endpoint per endpoints subnet. Interfaces AWS manages itself
  // (EKS control plane, Lustre servers) come on top and are few next to these.
  const gpuInterfaces = input.pools.reduce((s, p) => s + p.nodes * interfacesPerNode(p.type, input.podAddressing, p.maxPodsPerNode), 0);
  const systemInterfaces = input.system.maxNodes * podInterfaces(input.podAddressing, input.system.maxPodsPerNode);
  const endpointInterfaces = VPC_INTERFACE_ENDPOINTS.length * input.system.availabilityZones.length;
  quotas.push(need("vpc.network-interfaces", gpuInterfaces + systemInterfaces + endpointInterfaces));
  quotas.push(need("vpc.ipv4-cidr-blocks-per-vpc", input.vpcCidrBlocks));
  quotas.push(need("vpc.subnets-per-vpc", input.subnets));
  quotas.push(need("vpc.interface-endpoints-per-vpc", VPC_INTERFACE_ENDPOINTS.length));

  // The GPU pools' managed node groups (each an Auto Scaling group) and the system group(s). Past their hard
  // limits the grouping itself is an error (node-groups.ts), at the spec path to change.
  const nodeGroups = input.nodeGroups.length + input.system.nodeGroups;
  quotas.push(need("eks.managed-node-groups-per-cluster", nodeGroups));
  const largestGroup = input.nodeGroups.reduce((m, g) => Math.max(m, g.nodes), input.system.maxNodes);
  quotas.push(need("eks.nodes-per-managed-node-group", largestGroup));
  quotas.push(need("autoscaling.groups-per-region", nodeGroups));

  quotas.push(need("fsx.lustre-persistent-2-storage-gib", input.lustreCapacityGiB));

  const controllers = POD_IDENTITY_CONTROLLERS.length + (input.directory ? 1 : 0);
  const associations = controllers + POD_IDENTITY_PER_TENANT * input.tenants;
  const pia = need("eks.pod-identity-associations", associations);
  quotas.push(pia);
  if (pia.needed > pia.defaultValue) {
    findings.push(
      error(
        specPath("tenants"),
        `${formatCount(input.tenants)} tenants and ${controllers} controllers need ${formatCount(associations)} Pod Identity associations; a cluster takes ${formatCount(pia.defaultValue)} (a hard limit)`,
        `keep at most ${formatCount(Math.floor((pia.defaultValue - controllers) / POD_IDENTITY_PER_TENANT))} tenants in one factory`,
      ),
    );
  }
  return { quotas, findings };
}
