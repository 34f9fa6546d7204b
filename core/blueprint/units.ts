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
// - Capacity blocks: units follow the blocks. Each block is its own placement decided by AWS
//   (docs/sources.md#ec2-capacity-blocks [P]: one AZ, no placement group), so a unit never spans two blocks: the
//   pool's nodes fill the blocks in the order given, and each block's share is cut into units of at
//   most `scalableUnit.nodes`. A block of 64 with units of 32 serves two units; a block of 8 one unit of 8.
// - ODCR: the pool's reserved nodes are spread over its units in order, each unit reserved whole
//   before the next (the reservation lives inside the group's placement group, docs/sources.md#ec2-placement-groups [P]).

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
  capacityReservationId: string | null;
}

/** Node counts of the pool's units, and the block serving each where the pool uses capacity blocks. */
function chunks(poolName: string, pool: PoolSpec, unitNodes: number, findings: Finding[]): Chunk[] {
  const out: Chunk[] = [];
  const cut = (nodes: number, capacityReservationId: string | null) => {
    for (let left = nodes; left > 0; left -= unitNodes) out.push({ nodes: Math.min(unitNodes, left), capacityReservationId });
  };
  if (pool.capacity.source !== "capacity-block") {
    cut(pool.nodes, null);
    return out;
  }
  let left = pool.nodes;
  let blockInstances = 0;
  for (const block of pool.capacity.blocks) {
    blockInstances += block.instances;
    const take = Math.min(block.instances, left);
    cut(take, block.reservationId);
    left -= take;
  }
  if (left > 0) {
    findings.push(
      error(
        specPath("pools", poolName, "nodes"),
        `pool ${poolName} asks for ${formatCount(pool.nodes)} nodes but its capacity blocks hold ${formatCount(blockInstances)} instances`,
        `set nodes to ${formatCount(blockInstances)} or add capacity blocks for the other ${formatCount(left)} under pools.${poolName}.capacity.blocks`,
      ),
    );
    cut(left, null);
  } else if (blockInstances > pool.nodes) {
    findings.push(
      warning(
        specPath("pools", poolName, "capacity", "blocks"),
        `${formatCount(blockInstances - pool.nodes)} instances of pool ${poolName}'s capacity blocks stay unused (blocks hold ${formatCount(blockInstances)}, the pool has ${formatCount(pool.nodes)} nodes)`,
        `raise pools.${poolName}.nodes to ${formatCount(blockInstances)} to use what is paid for`,
      ),
    );
  }
  return out;
}

export function planPoolUnits(factory: string, poolName: string, pool: PoolSpec, unitNodes: number): PoolUnits {
  const findings: Finding[] = [];
  const pieces = chunks(poolName, pool, unitNodes, findings);
  const placement = pool.placement === "cluster" && pool.capacity.source !== "capacity-block" ? "cluster" : "none";
  const totalNodes = pieces.reduce((sum, c) => sum + c.nodes, 0);
  const hostnameDigits = ordinalDigits(totalNodes, HOST_NUMBER_MIN_DIGITS);
  const unitDigits = ordinalDigits(pieces.length, UNIT_INDEX_MIN_DIGITS);

  let reservedLeft = 0;
  if (pool.capacity.source === "odcr") {
    const asked = pool.capacity.reservedNodes ?? pool.nodes;
    reservedLeft = Math.min(asked, pool.nodes);
    if (asked > pool.nodes) {
      findings.push(
        warning(
          specPath("pools", poolName, "capacity", "reservedNodes"),
          `pool ${poolName} reserves ${formatCount(asked)} nodes but has ${formatCount(pool.nodes)}: only ${formatCount(pool.nodes)} are reserved`,
          `set reservedNodes to at most ${formatCount(pool.nodes)}`,
        ),
      );
    }
  }

  const units: ScalableUnitPlan[] = [];
  let firstNode = 1;
  pieces.forEach((piece, i) => {
    const index = i + 1;
    const name = `${poolName}-su${String(index).padStart(unitDigits, "0")}`;
    const reservedNodes = Math.min(piece.nodes, reservedLeft);
    reservedLeft -= reservedNodes;
    units.push({
      name,
      pool: poolName,
      index,
      nodes: piece.nodes,
      availabilityZone: pool.availabilityZone,
      placementGroup: placement === "cluster" ? `${factory}-${name}` : null,
      reservedNodes,
      capacityReservationId: piece.capacityReservationId,
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
