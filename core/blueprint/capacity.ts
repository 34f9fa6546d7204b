import type { PoolPlan, ScalableUnitPlan, UnitCapacity } from "./types";

// How a node group of scalable units (or one unit, for the checks) gets its instances: the capacity source of its pool and the placement,
// decided together here and nowhere else (docs/sources.md#ec2-placement-groups, #ec2-capacity-reservations, #ec2-capacity-blocks [P]).
// - on-demand / spot: the node group's capacity type; the group's cluster placement group when it has one.
// - odcr: an On-Demand Capacity Reservation created inside the group's placement group for its units'
//   reserved nodes. A fully reserved group targets its reservation (a launch beyond it fails loudly rather
//   than landing outside the placement group); a partly reserved one opens it, so the rest runs on on-demand.
// - capacity-block: the block bought beforehand, named by id with market type capacity-block and no
//   placement group (AWS places a block's instances; a placement group fights it).

// The shapes live with the blueprint's other types, which carry a unit's capacity.
export type { NodeGroupCapacityType, UnitCapacity } from "./types";

export type UnitCapacityResult = { capacity: UnitCapacity } | { problem: string };

/** What capacity is decided for: a node group of units, or one unit. */
export type CapacityHolder = Pick<ScalableUnitPlan, "name" | "nodes" | "reservedNodes" | "placementGroup" | "capacityReservationId">;

export function unitCapacity(pool: Pick<PoolPlan, "name" | "capacity">, unit: CapacityHolder): UnitCapacityResult {
  const base = { placementGroup: unit.placementGroup, reservation: null, marketType: null, target: null, reservationPreference: null };
  switch (pool.capacity.source) {
    case "on-demand":
      return { capacity: { ...base, capacityType: "ON_DEMAND" } };
    case "spot":
      return { capacity: { ...base, capacityType: "SPOT" } };
    case "odcr": {
      if (unit.reservedNodes <= 0) return { capacity: { ...base, capacityType: "ON_DEMAND" } };
      const whole = unit.reservedNodes >= unit.nodes;
      return {
        capacity: {
          ...base,
          capacityType: "ON_DEMAND",
          reservation: { instanceCount: unit.reservedNodes, matchCriteria: whole ? "targeted" : "open" },
          target: whole ? { kind: "own-reservation" } : null,
          reservationPreference: whole ? null : "open",
        },
      };
    }
    case "capacity-block": {
      if (unit.placementGroup !== null) {
        return { problem: `unit ${unit.name} of pool ${pool.name} takes a capacity block and has a placement group: AWS places capacity blocks itself` };
      }
      if (unit.capacityReservationId === null) {
        return { problem: `unit ${unit.name} of pool ${pool.name} has no capacity block to run on: the pool is larger than its blocks` };
      }
      return {
        capacity: {
          ...base,
          capacityType: "CAPACITY_BLOCK",
          marketType: "capacity-block",
          target: { kind: "capacity-block", reservationId: unit.capacityReservationId },
        },
      };
    }
  }
}

/**
 * Node groups that can share one launch template: everything the template holds but the unit label is the same.
 * A cluster placement group or an ODCR is the group's own; a capacity block is shared by the groups it serves.
 */
export function launchTemplateKey(capacity: UnitCapacity, groupName: string): string {
  if (capacity.placementGroup !== null || capacity.reservation !== null) return `group:${groupName}`;
  if (capacity.target?.kind === "capacity-block") return `block:${capacity.target.reservationId}`;
  return "pool";
}
