import type { FactorySpec } from "../spec/schema";
import type { SystemPlan } from "./types";
import { addressesPerNode } from "./pods";

// The controllers' node group (CoreDNS, Kueue, the Slurm operator and controller, the GPU operator's
// operator, CSI controllers). Not GPU nodes, but they take addresses, interfaces and a node group.

// One managed node group spanning the system AZs: a group can span AZs where no placement group binds it.
export const SYSTEM_NODE_GROUPS = 1;
// Up to 8 general-purpose nodes per system AZ: room for the controllers of a 12,500-node cluster with
// replicas spread over the AZs [U: our sizing, not a vendor figure].
export const SYSTEM_MAX_NODES_PER_AZ = 8;
// Managed node groups cap max pods at 110 below 30 vCPUs (docs/sources.md#eks-max-pods [P]); system nodes are
// sized below that, so 110 is their ceiling.
export const SYSTEM_MAX_PODS_PER_NODE = 110;

export function planSystem(spec: FactorySpec): SystemPlan {
  const availabilityZones = [...spec.network.systemAvailabilityZones];
  return {
    availabilityZones,
    nodeGroups: SYSTEM_NODE_GROUPS,
    maxNodes: SYSTEM_MAX_NODES_PER_AZ * availabilityZones.length,
    maxPodsPerNode: SYSTEM_MAX_PODS_PER_NODE,
    addressesPerNode: addressesPerNode(spec.network.podAddressing, SYSTEM_MAX_PODS_PER_NODE),
  };
}
