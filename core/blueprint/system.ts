import type { FactorySpec } from "../spec/schema";
import type { SystemPlan } from "./types";
import { pinnedImage } from "./launch";
import { systemPoolSize } from "../catalog/cpu-instances";
import { LABEL_POOL, SYSTEM_POOL, SYSTEM_TAINT } from "./labels";
import { kubeletMaxPods } from "./max-pods";
import { addressesPerNode } from "./pods";

// The controllers' node group (CoreDNS, Kueue, the Slurm operator and controller, the GPU operator's
// operator, CSI controllers), tainted for them alone. Not GPU nodes, but they take addresses, interfaces and a node group.

// One managed node group spanning the system AZs: a group can span AZs where no placement group binds it.
export const SYSTEM_NODE_GROUPS = 1;
// Up to 8 general-purpose nodes per system AZ: room for the controllers of a 12,500-node cluster with
// replicas spread over the AZs [U: our sizing, not a vendor figure].
export const SYSTEM_MAX_NODES_PER_AZ = 8;
// Managed node groups cap max pods at 110 below 30 vCPUs (docs/sources.md#eks-max-pods [P]); system nodes are
// sized below that, so 110 is their ceiling.
export const SYSTEM_MAX_PODS_PER_NODE = 110;

/** The system pool of a factory of `gpuNodes` GPU nodes. */
export function planSystem(spec: FactorySpec, gpuNodes: number): SystemPlan {
  const availabilityZones = [...spec.network.systemAvailabilityZones];
  const zones = availabilityZones.length;
  const maxNodes = SYSTEM_MAX_NODES_PER_AZ * zones;
  const size = systemPoolSize(gpuNodes);
  const desiredSize = Math.min(maxNodes, zones * size.nodesPerAvailabilityZone);
  return {
    availabilityZones,
    nodeGroups: SYSTEM_NODE_GROUPS,
    maxNodes,
    maxPodsPerNode: SYSTEM_MAX_PODS_PER_NODE,
    addressesPerNode: addressesPerNode(spec.network.podAddressing, SYSTEM_MAX_PODS_PER_NODE),
    instanceType: size.instanceType.name,
    amiParameter: pinnedImage(spec.kubernetes.image.release, size.instanceType.architecture, "standard").amiParameter,
    kubeletMaxPods: kubeletMaxPods(size.instanceType, spec.network.podAddressing, SYSTEM_MAX_PODS_PER_NODE),
    labels: { [LABEL_POOL]: SYSTEM_POOL },
    taints: [{ ...SYSTEM_TAINT }],
    // At least one node per AZ so the controllers' replicas can spread; room to the maximum.
    scaling: { minSize: Math.min(zones, desiredSize), desiredSize, maxSize: maxNodes },
  };
}
