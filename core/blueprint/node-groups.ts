import type { Finding } from "../spec/schema";
import { serviceQuota } from "../catalog/quotas";
import { error, warning } from "../spec/findings";
import { specPath } from "../spec/paths";
import { formatCount } from "./figures";
import type { GpuNodeGroupPlan, ScalableUnitPlan } from "./types";

// Which scalable units share a managed node group (ARCHITECTURE.md "Node groups at scale").
//
// EKS takes 30 managed node groups per cluster by default and at most 100 (docs/sources.md#eks-service-quotas,
// #eks-node-group-ceiling [S]), and a group at most 450 nodes (L-BD136A63, not adjustable). A group per unit stops
// at about 100 units (3,200 nodes of 32): a gigafactory has about 400. So a node group is a run of whole units of one
// pool that share everything a launch template and a subnet fix — the AZ, the subnet, the reservation or capacity
// block — and the group's one cluster placement group and created ODCR, if any.
//
// How many units a group holds is a fixed rule, `scalableUnit.unitsPerNodeGroup` (the preset's most, fewer where units
// are large: core/spec/resolve.ts), never a function of how many units there are: groups are cut at every k-th unit
// of a pool, so a pool that grows adds groups and never reshapes or replaces one it has. Past the ceiling the spec
// is an error, not a new k.
//
// The scalable unit stays the one source of topology: a group of several units leaves the unit label to the
// node-health agent, which places a joining node in one of its group's units (core/render/health/unit-assign.ts).

/** Node groups kept free below the ceiling: a replacement group during a migration, a canary, a new pool [U: project choice]. */
export const NODE_GROUP_HEADROOM = 10;

/** The ceiling of managed node groups per cluster, and the nodes one group holds. */
export function nodeGroupLimits(): { groupsPerCluster: number; nodesPerGroup: number } {
  const groups = serviceQuota("eks.managed-node-groups-per-cluster");
  const nodes = serviceQuota("eks.nodes-per-managed-node-group");
  return { groupsPerCluster: groups.ceiling ?? groups.defaultValue, nodesPerGroup: nodes.ceiling ?? nodes.defaultValue };
}

/** Units that may share a launch template and a subnet: same pool, AZ, subnet and capacity block. */
const sameGroupKey = (u: ScalableUnitPlan): string =>
  [u.pool, u.availabilityZone, u.subnet, u.capacityReservationId ?? "", u.capacityReservationGroupArn ?? ""].join("\u0000");

/**
 * Runs of consecutive units with the same key, at most `nodesPerGroup` nodes each, cut at every `perGroup`-th unit of
 * the pool (units 1-5, 6-10, ...): growing a pool adds groups and never reshapes one it has, so no node group is replaced.
 */
export function groupUnits(units: readonly ScalableUnitPlan[], perGroup: number, nodesPerGroup: number): ScalableUnitPlan[][] {
  const groups: ScalableUnitPlan[][] = [];
  let current: ScalableUnitPlan[] = [];
  let nodes = 0;
  const slot = (u: ScalableUnitPlan): number => Math.floor((u.index - 1) / perGroup);
  for (const unit of units) {
    const fits =
      current.length > 0 && slot(current[0]) === slot(unit) && sameGroupKey(current[0]) === sameGroupKey(unit) && nodes + unit.nodes <= nodesPerGroup;
    if (!fits && current.length > 0) {
      groups.push(current);
      current = [];
      nodes = 0;
    }
    current.push(unit);
    nodes += unit.nodes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** A group's name: its one unit's, or the first unit's with the last unit's index (`train-su001-005`). */
export function nodeGroupName(units: readonly ScalableUnitPlan[]): string {
  const first = units[0];
  if (units.length === 1) return first.name;
  const last = units[units.length - 1];
  const digits = last.name.length - last.name.lastIndexOf("su") - 2;
  return `${first.name}-${String(last.index).padStart(digits, "0")}`;
}

export interface NodeGroupDesign {
  unitsPerGroup: number;
  groups: GpuNodeGroupPlan[];
  findings: Finding[];
}

/**
 * Groups the units (in pool order) into managed node groups of at most `unitsPerGroup` units, names every unit's group
 * and moves each unit's cluster placement group to its group's (`<factory>-<group>`). `systemGroups` count against the
 * same ceiling.
 */
export function planNodeGroups(factory: string, units: ScalableUnitPlan[], systemGroups: number, unitNodes: number, unitsPerGroup: number): NodeGroupDesign {
  const findings: Finding[] = [];
  const limits = nodeGroupLimits();
  const mostPerGroup = Math.max(1, Math.floor(limits.nodesPerGroup / Math.max(1, unitNodes)));
  const runs = groupUnits(units, Math.max(1, unitsPerGroup), limits.nodesPerGroup);
  const largestUnit = units.reduce((m, u) => Math.max(m, u.nodes), 0);
  if (largestUnit > limits.nodesPerGroup) {
    findings.push(
      error(
        specPath("scalableUnit", "nodes"),
        `a scalable unit of ${formatCount(largestUnit)} nodes does not fit a managed node group, which holds at most ${formatCount(limits.nodesPerGroup)} nodes (a hard limit)`,
        `use scalable units of at most ${formatCount(limits.nodesPerGroup)} nodes`,
      ),
    );
  } else if (unitsPerGroup * unitNodes > limits.nodesPerGroup) {
    findings.push(
      error(
        specPath("scalableUnit", "unitsPerNodeGroup"),
        `${formatCount(unitsPerGroup)} units of ${formatCount(unitNodes)} nodes make node groups of ${formatCount(unitsPerGroup * unitNodes)} nodes; a managed node group holds at most ${formatCount(limits.nodesPerGroup)} (a hard limit)`,
        `set scalableUnit.unitsPerNodeGroup to at most ${formatCount(mostPerGroup)}`,
      ),
    );
  }
  const total = runs.length + systemGroups;
  const fewer = unitsPerGroup < mostPerGroup ? `raise scalableUnit.unitsPerNodeGroup towards ${formatCount(mostPerGroup)} (it reshapes every group: plan it as a migration), ` : "";
  if (total > limits.groupsPerCluster) {
    findings.push(
      error(
        specPath("pools"),
        `${formatCount(units.length)} scalable units in groups of ${formatCount(unitsPerGroup)} make ${formatCount(runs.length)} managed node groups, and the system pool ${formatCount(systemGroups)}: ${formatCount(total)}, past the ${formatCount(limits.groupsPerCluster)} a cluster takes (a hard limit)`,
        `${fewer}name fewer, larger reservations (a group never spans two), use larger scalable units (scalableUnit.nodes), or split the factory into several stacks`,
      ),
    );
  } else if (total > limits.groupsPerCluster - NODE_GROUP_HEADROOM) {
    findings.push(
      warning(
        specPath("pools"),
        `the factory has ${formatCount(total)} managed node groups, within ${formatCount(NODE_GROUP_HEADROOM)} of the ${formatCount(limits.groupsPerCluster)} a cluster takes: no room for a replacement group or a new pool`,
        `${fewer}or name fewer, larger reservations`,
      ),
    );
  }
  const groups = runs.map((run) => {
    const name = nodeGroupName(run);
    const placementGroup = run[0].placementGroup === null ? null : `${factory}-${name}`;
    for (const u of run) {
      u.nodeGroup = name;
      if (u.placementGroup !== null) u.placementGroup = placementGroup;
    }
    return {
      name,
      pool: run[0].pool,
      units: run.map((u) => u.name),
      nodes: run.reduce((s, u) => s + u.nodes, 0),
      largestUnitNodes: run.reduce((m, u) => Math.max(m, u.nodes), 0),
      reservedNodes: run.reduce((s, u) => s + u.reservedNodes, 0),
      availabilityZone: run[0].availabilityZone,
      subnet: run[0].subnet,
      placementGroup,
      capacityReservationId: run[0].capacityReservationId,
      capacityReservationGroupArn: run[0].capacityReservationGroupArn,
      // One wave on the newest version until the pool's rollout cuts its waves (rollout.ts).
      wave: 1,
      launchTemplateVersion: "latest" as const,
    };
  });
  return { unitsPerGroup, groups, findings };
}
