import type { GpuNodeGroupPlan, NodeGroupCapacityType, NodeGroupPlan } from "./types";
import { MAX_UNAVAILABLE_LIMIT } from "../catalog/node-updates";
import { nodeGroupTaint, type Taint } from "./labels";

// A GPU pool's managed node groups, each a run of whole scalable units (node-groups.ts decides which).
//
// Why managed and not self-managed Auto Scaling groups:
// - Node auto-repair (`nodeRepairConfig`) exists only on managed node groups, and every GPU node group
//   needs it: a GPU or EFA fault is replaced without an operator.
// - EKS drains nodes on updates (cordon, evict, replace) by `updateConfig`, creates the nodes' access
//   entry itself, and scales a capacity-block group down before the block ends (docs/sources.md#eks-capacity-blocks [P]).
// - The price is the ceiling of 100 managed node groups per cluster (docs/sources.md#eks-node-group-ceiling [S])
//   and 450 nodes per group: a group holds several units at factory scale, and the unit label of its nodes
//   comes from the node-health agent rather than the group (ARCHITECTURE.md "Node groups at scale").
// Self-managed groups (one per unit, within the 500 Auto Scaling groups of a region) would keep the label at boot
// but need their own drain, repair and join machinery. The choice lives in this file, node-groups.ts and
// NodeGroups (gpu-node-pool.ts) alone: the pool's outputs (group names, launch templates) do not change if it does.

export { MAX_UNAVAILABLE_LIMIT };

// The shape lives with the blueprint's other types, which carry every unit's node group.
export type { NodeGroupPlan } from "./types";

export function groupNodeGroup(
  group: Pick<GpuNodeGroupPlan, "name" | "nodes" | "largestUnitNodes" | "launchTemplateVersion">,
  capacityType: NodeGroupCapacityType,
  labels: Record<string, string>,
  taints: readonly Taint[],
  maxUnavailable?: number,
): NodeGroupPlan {
  return {
    nodeGroupName: group.name,
    // A training unit runs whole: no autoscaling inside the group.
    scaling: { minSize: capacityType === "CAPACITY_BLOCK" ? 0 : group.nodes, maxSize: group.nodes, desiredSize: group.nodes },
    capacityType,
    // An update drains at most a unit's worth of nodes at a time, unless the pool's rollout says fewer (or more).
    updateConfig: { maxUnavailable: Math.min(maxUnavailable ?? group.largestUnitNodes, MAX_UNAVAILABLE_LIMIT), updateStrategy: "MINIMAL" },
    launchTemplateVersion: group.launchTemplateVersion,
    labels,
    taints: taints.map(nodeGroupTaint),
    desiredSizeManagedByEks: capacityType === "CAPACITY_BLOCK",
  };
}
