import type { PoolPlan, ScalableUnitPlan, UnitCapacity } from "./types";

// How a node group of scalable units (or one unit, for the checks) gets its instances: the capacity source of its pool and the placement,
// decided together here and nowhere else (docs/sources.md#ec2-placement-groups, #ec2-capacity-reservations, #ec2-capacity-blocks [P]).
// - on-demand / spot: the node group's capacity type; the group's cluster placement group when it has one.
// - odcr, delivered: the reservation AWS delivered, targeted by id, or a resource group of them by ARN, with
//   `capacity-reservations-only` so a launch the reservation cannot hold fails rather than running on on-demand
//   (docs/sources.md#ec2-capacity-reservations, #ec2-capacity-reservation-groups [P]: a group alone falls back). No placement
//   group: a reservation sits where AWS made it.
// - odcr, created by the stack (`create: true`): an ODCR inside the group's placement group for all of its nodes,
//   targeted the same way.
// A managed node group reaches an ODCR through its launch template alone, its capacity type staying ON_DEMAND, and its
// subnet in the reservation's AZ (docs/sources.md#eks-odcr-node-groups [S]).
// - capacity-block: the block bought beforehand, named by id with market type capacity-block and no
//   placement group (AWS places a block's instances; a placement group fights it).

// The shapes live with the blueprint's other types, which carry a unit's capacity.
export type { NodeGroupCapacityType, UnitCapacity } from "./types";

export type UnitCapacityResult = { capacity: UnitCapacity } | { problem: string };

/** What capacity is decided for: a node group of units, or one unit. */
export type CapacityHolder = Pick<ScalableUnitPlan, "name" | "nodes" | "reservedNodes" | "placementGroup" | "capacityReservationId" | "capacityReservationGroupArn">;

export function unitCapacity(pool: Pick<PoolPlan, "name" | "capacity">, unit: CapacityHolder): UnitCapacityResult {
  const base = { placementGroup: unit.placementGroup, reservation: null, marketType: null, target: null, reservationPreference: null };
  switch (pool.capacity.source) {
    case "on-demand":
      return { capacity: { ...base, capacityType: "ON_DEMAND" } };
    case "spot":
      return { capacity: { ...base, capacityType: "SPOT" } };
    case "odcr": {
      const only = { ...base, capacityType: "ON_DEMAND" as const, reservationPreference: "capacity-reservations-only" as const };
      if (pool.capacity.reservations === undefined) {
        return { capacity: { ...only, reservation: { instanceCount: unit.nodes, matchCriteria: "targeted" }, target: { kind: "own-reservation" } } };
      }
      if (unit.placementGroup !== null) {
        return { problem: `unit ${unit.name} of pool ${pool.name} runs on a delivered reservation and has a placement group: a placement group made now holds none of the reservation's capacity` };
      }
      if (unit.capacityReservationId !== null) return { capacity: { ...only, target: { kind: "reservation", reservationId: unit.capacityReservationId } } };
      if (unit.capacityReservationGroupArn !== null) return { capacity: { ...only, target: { kind: "reservation-group", resourceGroupArn: unit.capacityReservationGroupArn } } };
      return { problem: `unit ${unit.name} of pool ${pool.name} has no reservation to run on: the pool is larger than its reservations` };
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
 * A cluster placement group or an ODCR the stack creates is the group's own; a capacity block, a delivered reservation
 * or a resource group is shared by the groups it serves.
 */
export function launchTemplateKey(capacity: UnitCapacity, groupName: string): string {
  if (capacity.placementGroup !== null || capacity.reservation !== null) return `group:${groupName}`;
  if (capacity.target?.kind === "capacity-block") return `block:${capacity.target.reservationId}`;
  if (capacity.target?.kind === "reservation") return `reservation:${capacity.target.reservationId}`;
  if (capacity.target?.kind === "reservation-group") return `reservation-group:${capacity.target.resourceGroupArn}`;
  return "pool";
}

/** What a shared launch template is named after: the reservation's id, or the resource group's name (the ARN's last part). */
export function launchTemplateRole(capacity: UnitCapacity): string | null {
  const t = capacity.target;
  if (t?.kind === "capacity-block" || t?.kind === "reservation") return t.reservationId;
  if (t?.kind === "reservation-group") return `rg-${t.resourceGroupArn.slice(t.resourceGroupArn.lastIndexOf("/") + 1)}`;
  return null;
}
