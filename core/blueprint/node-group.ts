import type { NodeGroupCapacityType, NodeGroupPlan, ScalableUnitPlan } from "./types";
import { nodeGroupTaint, type Taint } from "./labels";

// One node group per scalable unit, as EKS managed node groups.
//
// Why managed and not self-managed Auto Scaling groups:
// - Node auto-repair (`nodeRepairConfig`) exists only on managed node groups, and every GPU node group
//   needs it: a GPU or EFA fault is replaced without an operator.
// - EKS drains nodes on updates (cordon, evict, replace) by `updateConfig`, creates the nodes' access
//   entry itself, and scales a capacity-block group down before the block ends (docs/sources.md#eks-capacity-blocks [P]).
// - The price is a quota: 30 managed node groups per cluster by default (adjustable, L-6D54EA21) against one
//   group per unit (391 at 100k GPUs): the blueprint's quota table asks for the raise before anything is
//   created. Each group is also an Auto Scaling group, within the 500 per region by default.
// Self-managed groups would fit under the default quotas but need their own drain, repair and join
// machinery. The choice lives in this file and in NodeGroups (gpu-node-pool.ts) alone: the pool's outputs
// (group names, launch templates) do not change if it does.

/** The EKS API's limit on updateConfig.maxUnavailable (UpdateNodegroupConfig [P]). */
export const MAX_UNAVAILABLE_LIMIT = 100;

// The shape lives with the blueprint's other types, which carry every unit's node group.
export type { NodeGroupPlan } from "./types";

export function unitNodeGroup(unit: ScalableUnitPlan, capacityType: NodeGroupCapacityType, labels: Record<string, string>, taints: readonly Taint[]): NodeGroupPlan {
  return {
    nodeGroupName: unit.name,
    // A training unit runs whole: no autoscaling inside it.
    scaling: { minSize: capacityType === "CAPACITY_BLOCK" ? 0 : unit.nodes, maxSize: unit.nodes, desiredSize: unit.nodes },
    capacityType,
    updateConfig: { maxUnavailable: Math.min(unit.nodes, MAX_UNAVAILABLE_LIMIT), updateStrategy: "MINIMAL" },
    labels,
    taints: taints.map(nodeGroupTaint),
    desiredSizeManagedByEks: capacityType === "CAPACITY_BLOCK",
  };
}
