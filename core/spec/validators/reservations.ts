import { instanceType } from "../../catalog/instances";
import { error, warning } from "../findings";
import { isAvailabilityZoneId, parseAvailabilityZoneId, parseReservationGroupArn, parseReservationId } from "../reservations";
import type { Finding } from "../schema";
import { poolPath, type SpecCheck } from "./context";

// Capacity AWS has delivered, as each pool names it: every reservation id, resource group ARN and AZ ID parses and
// belongs to the stack's region, a pool on named capacity is placed by the AZ ID its capacity sits in, the
// reservations hold at least the pool's nodes, and no reservation is named twice. Creating reservations from the
// stack is an explicit `create: true`; at factory scale it is a request AWS refuses (InsufficientInstanceCapacity).

/**
 * On-demand or spot P-family instances in one cluster placement group: more than this many is a launch that commonly
 * fails for lack of capacity in one spot of the fabric (docs/sources.md#ec2-placement-groups [P]: reserve capacity in
 * the group) [U: project threshold, a handful].
 */
export const UNRESERVED_CLUSTER_NODES_MAX = 8;

/** Nodes the stack may reserve itself before the request is as large as a factory's: AWS rarely grants more at once [U: project threshold]. */
export const CREATED_RESERVATION_NODES_MAX = 64;

export function validateReservations(check: SpecCheck): Finding[] {
  const findings: Finding[] = [];
  // Every id and group named, with where, so that one named twice is reported at its second place.
  const named = new Map<string, string>();
  const once = (key: string, shown: string, path: string) => {
    const first = named.get(key);
    if (first !== undefined) findings.push(error(path, `${shown} is named twice (first at ${first})`, "name each reservation once: a reservation serves one pool, and its instances are counted once"));
    else named.set(key, path);
  };

  for (const [name, pool] of Object.entries(check.input.pools ?? {})) {
    const resolved = check.spec.pools[name];
    // The preset's source where the pool names none: its ODCRs are never created silently either.
    const capacity = pool.capacity ?? resolved.capacity;
    const byId = pool.availabilityZoneId !== undefined;
    const poolZone = resolved.availabilityZone;
    let toldByName = false;
    const zoneOf = (text: string, path: string): string | undefined => {
      const parsed = parseAvailabilityZoneId(text, check.region);
      if (!parsed.ok) {
        findings.push(error(path, parsed.problem, parsed.hint));
        return undefined;
      }
      if (!byId) {
        if (toldByName) return parsed.value;
        toldByName = true;
        findings.push(
          error(
            poolPath(name, "availabilityZone"),
            `pool ${name} runs on capacity in ${parsed.value} but is placed by the zone name ${pool.availabilityZone ?? "(none)"}: a name maps to a different zone in each account`,
            `replace availabilityZone with availabilityZoneId: ${parsed.value}`,
          ),
        );
      } else if (isAvailabilityZoneId(poolZone) && parsed.value !== poolZone) {
        findings.push(error(path, `the capacity is in ${parsed.value}, pool ${name} in ${poolZone}: instances launch only into capacity of their own zone`, `move the pool to availabilityZoneId: ${parsed.value}, or name capacity of ${poolZone}`));
      }
      return parsed.value;
    };

    if (capacity?.source === "capacity-block") {
      capacity.blocks.forEach((block, i) => {
        const path = poolPath(name, "capacity", "blocks", i, "reservationId");
        const id = parseReservationId(block.reservationId);
        if (!id.ok) findings.push(error(path, id.problem, id.hint));
        else once(id.value, `capacity reservation ${id.value}`, path);
        if (block.availabilityZoneId !== undefined) zoneOf(block.availabilityZoneId, poolPath(name, "capacity", "blocks", i, "availabilityZoneId"));
      });
    }

    if (capacity?.source === "odcr") {
      const capacityPath = poolPath(name, "capacity");
      if (capacity.reservations !== undefined && capacity.create === true) {
        findings.push(error(poolPath(name, "capacity", "create"), `pool ${name} both names reservations and asks the stack to create them`, "keep reservations: (the capacity AWS has delivered) and remove create"));
      } else if (capacity.reservations === undefined && capacity.create !== true) {
        findings.push(
          error(
            capacityPath,
            `pool ${name} takes ODCRs but names none${pool.capacity === undefined ? ` (the ${check.input.preset} preset's capacity)` : ""}, and creating them is not asked for`,
            `list the reservations AWS has delivered under pools.${name}.capacity.reservations ({ reservationId: cr-…, availabilityZoneId: …, instances: N }), or, for a small stack, set create: true`,
          ),
        );
      } else if (capacity.create === true && byId) {
        findings.push(
          error(
            poolPath(name, "availabilityZoneId"),
            `pool ${name} asks the stack to create its reservations in ${pool.availabilityZoneId}: the provider creates a reservation by the zone's name only`,
            "place the pool by availabilityZone (the name) when the stack creates its reservations",
          ),
        );
      } else if (capacity.create === true && resolved.nodes > CREATED_RESERVATION_NODES_MAX) {
        findings.push(
          warning(
            poolPath(name, "capacity", "create"),
            `pool ${name} asks the stack to reserve ${resolved.nodes} nodes: CreateCapacityReservation is an immediate request against spare capacity, which AWS refuses at this size`,
            `ask AWS for the capacity first and name what it delivers under pools.${name}.capacity.reservations`,
          ),
        );
      }
      let held = 0;
      (capacity.reservations ?? []).forEach((r, i) => {
        const at = (field: string) => poolPath(name, "capacity", "reservations", i, field);
        held += r.instances;
        zoneOf(r.availabilityZoneId, at("availabilityZoneId"));
        if ((r.reservationId === undefined) === (r.resourceGroupArn === undefined)) {
          findings.push(error(poolPath(name, "capacity", "reservations", i), "a reservation is named by reservationId or by resourceGroupArn, one of the two", "write reservationId: cr-… for one reservation, or resourceGroupArn: arn:…:group/… for a group of them"));
          return;
        }
        if (r.reservationId !== undefined) {
          const id = parseReservationId(r.reservationId);
          if (!id.ok) findings.push(error(at("reservationId"), id.problem, id.hint));
          else once(id.value, `capacity reservation ${id.value}`, at("reservationId"));
        } else {
          const group = parseReservationGroupArn(r.resourceGroupArn, check.region);
          if (!group.ok) findings.push(error(at("resourceGroupArn"), group.problem, group.hint));
          else once(group.value.arn, `resource group ${group.value.name}`, at("resourceGroupArn"));
        }
      });
      if (capacity.reservations !== undefined) {
        if (held < resolved.nodes) {
          findings.push(
            error(
              poolPath(name, "capacity", "reservations"),
              `pool ${name} asks for ${resolved.nodes} nodes but its reservations hold ${held} instances: the other ${resolved.nodes - held} would have no capacity`,
              `name reservations for ${resolved.nodes - held} more instances, or lower the pool to ${held} nodes (nothing falls back to on-demand)`,
            ),
          );
        } else if (held > resolved.nodes) {
          findings.push(
            warning(
              poolPath(name, "capacity", "reservations"),
              `${held - resolved.nodes} reserved instances of pool ${name} stay unused (its reservations hold ${held}, the pool has ${resolved.nodes} nodes); a reservation is billed whether used or not`,
              `raise pools.${name}.nodes to ${held}, or release what the pool does not use`,
            ),
          );
        }
        // docs/sources.md#ec2-capacity-reservations-in-placement-groups [P]: a reservation is in a placement group only when made in it.
        if (resolved.placement === "cluster") {
          findings.push(
            error(
              pool.placement !== undefined ? poolPath(name, "placement") : capacityPath,
              `pool ${name} runs on reservations AWS has delivered and asks for cluster placement groups: a placement group made now holds none of their capacity (a reservation is in a placement group only when made in it)`,
              "remove placement: cluster (delivered reservations use placement: none); EC2's instance topology still places the nodes in the fabric",
            ),
          );
        }
      }
    }

    const type = instanceType(pool.instanceType);
    const unreserved = capacity.source;
    if (type?.family.startsWith("p") && unreserved === "on-demand" && resolved.placement === "cluster" && resolved.nodes > UNRESERVED_CLUSTER_NODES_MAX) {
      findings.push(
        warning(
          pool.capacity !== undefined ? poolPath(name, "capacity", "source") : poolPath(name),
          `pool ${name} runs ${resolved.nodes} ${unreserved} ${type.name} nodes in cluster placement groups: ${unreserved} P-family capacity for more than ${UNRESERVED_CLUSTER_NODES_MAX} nodes in one placement group is rarely there when asked for`,
          "name the reservations or capacity blocks AWS has delivered (capacity: { source: odcr, reservations: [...] }), or keep the pool to a handful of nodes",
        ),
      );
    }
  }
  return findings;
}
