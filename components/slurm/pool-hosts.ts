import type { Blueprint, PoolPlan, ScalableUnitPlan } from "../blueprint/types";
import { formatHostlist, type HostRun } from "./hostlist";

// Host lists of a pool, read from its scalable units: a unit's hosts are `prefix-<firstNode..firstNode+nodes-1>`.

export function poolUnits(blueprint: Blueprint, pool: PoolPlan): ScalableUnitPlan[] {
  return blueprint.units.filter((u) => u.pool === pool.name);
}

export function unitRun(unit: ScalableUnitPlan): HostRun {
  return { first: unit.firstNode, count: unit.nodes };
}

/** Every host of the pool. */
export function poolHostlist(blueprint: Blueprint, pool: PoolPlan): string {
  return formatHostlist(pool.hostnamePrefix, pool.hostnameDigits, poolUnits(blueprint, pool).map(unitRun));
}

/**
 * Hosts on capacity paid for whether busy or idle: a unit's ODCR-reserved nodes (the first of the unit)
 * and every node of a unit served by a capacity block.
 */
export function reservedRuns(blueprint: Blueprint, pool: PoolPlan): HostRun[] {
  return poolUnits(blueprint, pool)
    .map((u) => ({ first: u.firstNode, count: u.capacityReservationId ? u.nodes : Math.min(u.reservedNodes, u.nodes) }))
    .filter((r) => r.count > 0);
}

export function reservedHostlist(blueprint: Blueprint, pool: PoolPlan): string {
  return formatHostlist(pool.hostnamePrefix, pool.hostnameDigits, reservedRuns(blueprint, pool));
}
