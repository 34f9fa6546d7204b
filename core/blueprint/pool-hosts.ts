import type { Blueprint, PoolPlan, ScalableUnitPlan } from "./types";
import { formatHostlist, type HostRun } from "../lib/hostlist";

// Host lists of a pool, read from its scalable units (Slurm names the nodes by them, the acceptance jobs list them): a unit's hosts are `prefix-<firstNode..firstNode+nodes-1>`.

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
