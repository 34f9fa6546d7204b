import type { Finding, PoolSpec } from "../spec/schema";
import type { ScalableUnitPlan } from "./types";
import { error, warning } from "../spec/findings";
import { specPath } from "../spec/paths";
import { formatCount } from "./figures";
import { formatHostlist, ordinalDigits } from "../lib/hostlist";

// Pools → nodes → scalable units. A scalable unit is the leaf of the topology, within one subnet; its
// node group and (for cluster placement) placement group hold it whole, with other units of its pool
// where the factory is large (node-groups.ts). The placement group named here is the unit's own until then.
//
// Rules:
// - A pool's nodes are cut into units of `scalableUnit.nodes`, in order; the last may be smaller.
// - Named capacity (capacity blocks, reservations AWS has delivered, by id or resource group): units follow it. Each
//   reservation is a placement AWS decided (docs/sources.md#ec2-capacity-blocks, #ec2-capacity-reservations [P]), and a
//   launch template targets one, so a unit never spans two: the pool's nodes fill the reservations in the order
//   given, and each one's share is cut into units of at most `scalableUnit.nodes`. A reservation of 64 with units of
//   32 serves two units; one of 8 a unit of 8. Node groups follow the units (node-groups.ts), so no node group
//   straddles two reservations either.
// - ODCRs the stack creates (`create: true`): every unit reserved whole, one reservation per node group inside the
//   group's placement group (docs/sources.md#ec2-placement-groups [P]).

export const UNIT_INDEX_MIN_DIGITS = 3;
export const HOST_NUMBER_MIN_DIGITS = 5;

export interface PoolUnits {
  units: ScalableUnitPlan[];
  hostnameDigits: number;
  /** The placement actually used: capacity blocks never get a placement group. */
  placement: "cluster" | "none";
  findings: Finding[];
}

interface Chunk {
  nodes: number;
  /** The capacity block or delivered reservation serving the unit, by id. */
  capacityReservationId: string | null;
  /** The capacity-reservation resource group serving the unit, by ARN. */
  capacityReservationGroupArn: string | null;
}

interface NamedCapacity {
  instances: number;
  capacityReservationId: string | null;
  capacityReservationGroupArn: string | null;
}

/** What the pool's capacity names, in order: its blocks or its delivered reservations; empty when it names none. */
function namedCapacity(pool: PoolSpec): NamedCapacity[] {
  if (pool.capacity.source === "capacity-block") return pool.capacity.blocks.map((b) => ({ instances: b.instances, capacityReservationId: b.reservationId.trim(), capacityReservationGroupArn: null }));
  if (pool.capacity.source === "odcr" && pool.capacity.reservations !== undefined) {
    return pool.capacity.reservations.map((r) => ({
      instances: r.instances,
      capacityReservationId: r.reservationId?.trim() ?? null,
      capacityReservationGroupArn: r.reservationId === undefined ? (r.resourceGroupArn?.trim() ?? null) : null,
    }));
  }
  return [];
}

/** Node counts of the pool's units, and the reservation serving each where the pool names its capacity. */
function chunks(poolName: string, pool: PoolSpec, unitNodes: number, findings: Finding[]): Chunk[] {
  const out: Chunk[] = [];
  const cut = (nodes: number, capacityReservationId: string | null, capacityReservationGroupArn: string | null) => {
    for (let left = nodes; left > 0; left -= unitNodes) out.push({ nodes: Math.min(unitNodes, left), capacityReservationId, capacityReservationGroupArn });
  };
  const named = namedCapacity(pool);
  if (named.length === 0) {
    cut(pool.nodes, null, null);
    return out;
  }
  const what = pool.capacity.source === "capacity-block" ? "capacity blocks" : "reservations";
  const field = pool.capacity.source === "capacity-block" ? "blocks" : "reservations";
  let left = pool.nodes;
  let held = 0;
  for (const r of named) {
    held += r.instances;
    const take = Math.min(r.instances, left);
    cut(take, r.capacityReservationId, r.capacityReservationGroupArn);
    left -= take;
  }
  if (left > 0) {
    findings.push(
      error(
        specPath("pools", poolName, "nodes"),
        `pool ${poolName} asks for ${formatCount(pool.nodes)} nodes but its ${what} hold ${formatCount(held)} instances`,
        `set nodes to ${formatCount(held)} or add ${what} for the other ${formatCount(left)} under pools.${poolName}.capacity.${field}`,
      ),
    );
    cut(left, null, null);
  } else if (held > pool.nodes && pool.capacity.source === "capacity-block") {
    findings.push(
      warning(
        specPath("pools", poolName, "capacity", "blocks"),
        `${formatCount(held - pool.nodes)} instances of pool ${poolName}'s capacity blocks stay unused (blocks hold ${formatCount(held)}, the pool has ${formatCount(pool.nodes)} nodes)`,
        `raise pools.${poolName}.nodes to ${formatCount(held)} to use what is paid for`,
      ),
    );
  }
  return out;
}

export function planPoolUnits(factory: string, poolName: string, pool: PoolSpec, unitNodes: number): PoolUnits {
  const findings: Finding[] = [];
  const pieces = chunks(poolName, pool, unitNodes, findings);
  const placement = pool.placement === "cluster" && namedCapacity(pool).length === 0 ? "cluster" : "none";
  const totalNodes = pieces.reduce((sum, c) => sum + c.nodes, 0);
  const hostnameDigits = ordinalDigits(totalNodes, HOST_NUMBER_MIN_DIGITS);
  const unitDigits = ordinalDigits(pieces.length, UNIT_INDEX_MIN_DIGITS);

  // Reserved: every unit of a pool on reservations, named or created by the stack; none elsewhere.
  const reserved = pool.capacity.source === "odcr";

  const units: ScalableUnitPlan[] = [];
  // Hosts are numbered from 0, as Slinky numbers a NodeSet's pods (StatefulSet ordinals, padded to the pool's width):
  // the names in every rendered file are the names the Slurm nodes have.
  let firstNode = 0;
  pieces.forEach((piece, i) => {
    const index = i + 1;
    const name = `${poolName}-su${String(index).padStart(unitDigits, "0")}`;
    units.push({
      name,
      pool: poolName,
      index,
      nodes: piece.nodes,
      availabilityZone: pool.availabilityZone,
      placementGroup: placement === "cluster" ? `${factory}-${name}` : null,
      reservedNodes: reserved ? piece.nodes : 0,
      capacityReservationId: piece.capacityReservationId,
      capacityReservationGroupArn: piece.capacityReservationGroupArn,
      subnet: "",
      // Decided once the units have their subnets (node-groups.ts).
      nodeGroup: "",
      firstNode,
      hostnames: formatHostlist(poolName, hostnameDigits, [{ first: firstNode, count: piece.nodes }]),
      // Decided once the pool's tenants and taints are known (launch.ts).
      launch: null,
    });
    firstNode += piece.nodes;
  });
  return { units, hostnameDigits, placement, findings };
}
