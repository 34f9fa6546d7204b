import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { planPoolUnits } from "../../../core/blueprint/units";
import { factorySpec, pool } from "../../fixtures/blueprint/spec";

describe("scalable units", () => {
  it("a pool of 33 nodes gives units of 32 and 1", () => {
    const { units } = planPoolUnits("gf", "train", pool({ nodes: 33 }), 32);
    expect(units.map((u) => u.nodes)).toEqual([32, 1]);
    expect(units.map((u) => u.name)).toEqual(["train-su001", "train-su002"]);
    expect(units.map((u) => u.hostnames)).toEqual(["train-[00000-00031]", "train-00032"]);
  });

  it("every node is in exactly one unit, in order, none larger than the unit size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 512 }), (nodes, unitNodes) => {
        const { units } = planPoolUnits("gf", "p", pool({ nodes }), unitNodes);
        let next = 0;
        const misplaced = units.filter((u) => {
          const wrong = u.firstNode !== next || u.nodes < 1 || u.nodes > unitNodes;
          next += u.nodes;
          return wrong;
        });
        expect(misplaced).toEqual([]);
        expect(next).toBe(nodes);
        expect(units).toHaveLength(Math.ceil(nodes / unitNodes));
      }),
    );
  });

  it("numbers units with 3 digits, more when a pool has over 999 units", () => {
    const { units } = planPoolUnits("gf", "train", pool({ nodes: 1000 }), 1);
    expect(units[0].name).toBe("train-su0001");
    expect(units[999].name).toBe("train-su1000");
  });

  it("gives a cluster placement group per unit named after the factory and unit", () => {
    const { blueprint } = buildBlueprint(factorySpec({ pools: { train: pool({ nodes: 64, placement: "cluster" }) } }));
    expect(blueprint.units.map((u) => u.placementGroup)).toEqual(["gf-train-su001", "gf-train-su002"]);
  });

  it("gives no placement group where the pool's placement is none", () => {
    const { units, placement } = planPoolUnits("gf", "train", pool({ placement: "none" }), 32);
    expect(placement).toBe("none");
    expect(units.every((u) => u.placementGroup === null)).toBe(true);
  });

  it("gives capacity blocks no placement group, even when the pool asks for cluster placement", () => {
    const capacity = { source: "capacity-block" as const, blocks: [{ reservationId: "cr-0123456789abcdef0", instances: 64 }] };
    const { units, placement } = planPoolUnits("gf", "burst", pool({ nodes: 64, capacity, placement: "cluster" }), 32);
    expect(placement).toBe("none");
    expect(units.map((u) => [u.nodes, u.placementGroup, u.capacityReservationId])).toEqual([
      [32, null, "cr-0123456789abcdef0"],
      [32, null, "cr-0123456789abcdef0"],
    ]);
  });

  it("cuts units along capacity blocks so that no unit spans two blocks", () => {
    const blocks = fc.array(fc.record({ reservationId: fc.constantFrom("cr-00000000000000001", "cr-00000000000000002", "cr-00000000000000003"), instances: fc.constantFrom(1, 2, 4, 8, 16, 32, 64) }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(blocks, fc.integer({ min: 1, max: 64 }), (bs, unitNodes) => {
        // Distinct ids: one per block.
        const distinct = bs.map((b, i) => ({ ...b, reservationId: `cr-${String(i).padStart(17, "0")}` }));
        const nodes = distinct.reduce((s, b) => s + b.instances, 0);
        const { units, findings } = planPoolUnits("gf", "burst", pool({ nodes, capacity: { source: "capacity-block", blocks: distinct }, placement: "none" }), unitNodes);
        expect(findings).toEqual([]);
        for (const b of distinct) {
          const served = units.filter((u) => u.capacityReservationId === b.reservationId);
          expect(served.reduce((s, u) => s + u.nodes, 0)).toBe(b.instances);
          expect(served.every((u) => u.nodes <= unitNodes)).toBe(true);
        }
      }),
    );
  });

  it("fills blocks of 8 and 64 with units of 8, 32 and 32", () => {
    const blocks = [
      { reservationId: "cr-0000000000000000a", instances: 8 },
      { reservationId: "cr-0000000000000000b", instances: 64 },
    ];
    const { units } = planPoolUnits("gf", "burst", pool({ nodes: 72, capacity: { source: "capacity-block", blocks }, placement: "none" }), 32);
    expect(units.map((u) => [u.nodes, u.capacityReservationId])).toEqual([
      [8, "cr-0000000000000000a"],
      [32, "cr-0000000000000000b"],
      [32, "cr-0000000000000000b"],
    ]);
  });

  it("refuses more nodes than the capacity blocks hold, and warns when blocks go unused", () => {
    const blocks = [{ reservationId: "cr-0123456789abcdef0", instances: 16 }];
    const over = planPoolUnits("gf", "burst", pool({ nodes: 20, capacity: { source: "capacity-block", blocks }, placement: "none" }), 32);
    expect(over.findings).toContainEqual(expect.objectContaining({ level: "error", path: "gigafactory:factory.pools.burst.nodes" }));
    const under = planPoolUnits("gf", "burst", pool({ nodes: 8, capacity: { source: "capacity-block", blocks }, placement: "none" }), 32);
    expect(under.findings).toContainEqual(expect.objectContaining({ level: "warning", path: "gigafactory:factory.pools.burst.capacity.blocks" }));
  });

  it("cuts the units along the delivered reservations, so no unit spans two, and reserves every node", () => {
    const reservations = [
      { reservationId: "cr-0123456789abcdef0", availabilityZoneId: "eun1-az1", instances: 40 },
      { resourceGroupArn: "arn:aws:resource-groups:eu-north-1:111122223333:group/g", availabilityZoneId: "eun1-az1", instances: 60 },
    ];
    const { units, placement } = planPoolUnits("gf", "train", pool({ nodes: 100, availabilityZone: "eun1-az1", capacity: { source: "odcr", reservations }, placement: "none" }), 32);
    expect(placement).toBe("none");
    expect(units.map((u) => [u.nodes, u.capacityReservationId ?? u.capacityReservationGroupArn])).toEqual([
      [32, "cr-0123456789abcdef0"],
      [8, "cr-0123456789abcdef0"],
      [32, reservations[1].resourceGroupArn],
      [28, reservations[1].resourceGroupArn],
    ]);
    expect(units.map((u) => u.reservedNodes)).toEqual([32, 8, 32, 28]);
    expect(units.every((u) => u.placementGroup === null && u.availabilityZone === "eun1-az1")).toBe(true);
  });

  it("reserves every node of a pool whose reservations the stack creates, and none for on-demand", () => {
    expect(planPoolUnits("gf", "t", pool({ nodes: 40, capacity: { source: "odcr", create: true } }), 32).units.map((u) => u.reservedNodes)).toEqual([32, 8]);
    expect(planPoolUnits("gf", "t", pool({ nodes: 40, capacity: { source: "on-demand" } }), 32).units.map((u) => u.reservedNodes)).toEqual([0, 0]);
  });

  it("widens host numbers past 5 digits for pools above 99,999 nodes", () => {
    const { units, hostnameDigits } = planPoolUnits("gf", "big", pool({ nodes: 100_000 }), 450);
    expect(hostnameDigits).toBe(6);
    expect(units[0].hostnames).toBe("big-[000000-000449]");
  });
});
