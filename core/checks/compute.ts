import type { Blueprint } from "../blueprint/types";
import { instanceType } from "../catalog/instances";
import { error } from "../spec/findings";
import { specPath } from "../spec/paths";
import type { FactorySpec, Finding } from "../spec/schema";
import { unitCapacity } from "../blueprint/capacity";
import { isAvailabilityZoneId } from "../spec/reservations";
import { interfaceLayout } from "../blueprint/interfaces";

// What goes wrong when GPU pools meet the fabric and the node groups, past the spec's own checks
// (core/spec/validators cover capacity-block limits, placement with capacity blocks, unknown EFA
// layouts and pods per node). Pure: the spec or the blueprint in, findings out.

/**
 * A type whose EFA layout the catalog gives but which cannot be wired as given: more EFA interfaces than
 * network cards, or a card 0 too small for the primary and an EFA-only interface. An error, not a guess.
 */
export function validateInterfaceLayouts(spec: FactorySpec): Finding[] {
  const findings: Finding[] = [];
  for (const [name, pool] of Object.entries(spec.pools)) {
    const type = instanceType(pool.instanceType);
    // Unknown types and unknown layouts are reported by the spec's pool validator.
    if (!type || type.efaLayout === null) continue;
    const layout = interfaceLayout(type);
    if ("problem" in layout) {
      findings.push(error(specPath("pools", name, "instanceType"), layout.problem, "correct the type's networkCards, interfacesPerCard and efaInterfaces in the catalog, or use another type"));
    }
  }
  return findings;
}

/**
 * Every scalable unit in one AZ with its pool (EFA and cluster placement groups do not cross zones) and on
 * capacity its pool can give it. A unit larger than a managed node group is the grouping's error (blueprint/node-groups.ts).
 */
export function validateUnitPlacement(blueprint: Blueprint): Finding[] {
  const findings: Finding[] = [];
  const subnets = new Map(blueprint.network.subnets.map((s) => [s.name, s]));
  for (const pool of blueprint.pools) {
    const units = blueprint.units.filter((u) => u.pool === pool.name);
    const zones = new Set(units.map((u) => subnets.get(u.subnet)?.availabilityZone ?? u.availabilityZone));
    zones.add(pool.availabilityZone);
    if (zones.size > 1) {
      findings.push(
        error(
          specPath("pools", pool.name, isAvailabilityZoneId(pool.availabilityZone) ? "availabilityZoneId" : "availabilityZone"),
          `pool ${pool.name}'s units land in ${[...zones].sort().join(", ")}: EFA traffic and cluster placement groups stay inside one AZ`,
          `keep the pool in ${pool.availabilityZone}, or split it into one pool per AZ`,
        ),
      );
    }
    for (const unit of units) {
      const capacity = unitCapacity(pool, unit);
      if ("problem" in capacity) findings.push(error(specPath("pools", pool.name, "capacity"), capacity.problem, "size the pool to its capacity source"));
    }
  }
  return findings;
}
