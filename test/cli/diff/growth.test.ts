import { beforeAll, describe, expect, it } from "vitest";
import { diffSnapshots } from "../../../cli/diff/index";
import type { DiffResult } from "../../../cli/diff/types";
import { isStateBearing } from "../../../plan/state-bearing";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { inPairs, layerOf, planOf, projectWith } from "../../fixtures/diff/real-plans";
import { plannedSnapshot } from "../../support/planned-stacks";

// A gigafactory pool that grows: AWS delivers one more reservation, the stack names it and raises the pool's nodes.
// The review of the real plans shows only new node groups and in-place updates: no data resource (the Lustre file
// system, the buckets, the accounting database) is replaced or deleted, and no node group it had is touched.

const DATA_TYPES = ["aws:fsx/lustreFileSystem:LustreFileSystem", "aws:s3/bucket:Bucket", "aws:rds/instance:Instance"];
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem";

/** A pool of the gigafactory grown by `units` units of 32 nodes on a new delivered reservation of their size. */
function grown(pool: "h200-a" | "h200-b", units: number): (yaml: string) => string {
  const zone = pool === "h200-a" ? "eun1-az1" : "eun1-az2";
  return (yaml) => {
    const nodes = `        nodes: 4800\n        availabilityZoneId: ${zone}\n`;
    if (!yaml.includes(nodes)) throw new Error(`pool ${pool} of the gigafactory stack is no longer 4,800 nodes in ${zone}`);
    const lines = yaml.replace(nodes, `        nodes: ${4800 + units * 32}\n        availabilityZoneId: ${zone}\n`).split("\n");
    const last = lines.map((l) => l.includes(`availabilityZoneId: ${zone}, instances:`)).lastIndexOf(true);
    lines.splice(last + 1, 0, `            - { reservationId: cr-0c0ffee00000000${String(units).padStart(2, "0")}, availabilityZoneId: ${zone}, instances: ${units * 32} }`);
    return lines.join("\n");
  };
}

let before: PlanSnapshot;
let twoUnits: PlanSnapshot;
let eightUnits: PlanSnapshot;
let otherPool: PlanSnapshot;
let muchLarger: PlanSnapshot;

beforeAll(async () => {
  [before, [twoUnits, eightUnits, otherPool, muchLarger]] = await Promise.all([
    plannedSnapshot("gigafactory"),
    inPairs([
      () => planOf("gigafactory", projectWith("gigafactory", grown("h200-a", 2))),
      () => planOf("gigafactory", projectWith("gigafactory", grown("h200-a", 8))),
      () => planOf("gigafactory", projectWith("gigafactory", grown("h200-b", 2))),
      // What this one asks is the data layer's alone: planned up to it, compared with the data layer of the plan before.
      () => planOf("gigafactory", projectWith("gigafactory", (y) => grown("h200-b", 59)(grown("h200-a", 60)(y))), { layer: "data" }),
    ]),
  ]);
}, 900_000);

const ofType = (d: DiffResult, type: string) => d.changes.filter((c) => c.type === type);

function expectGrowthOnly(d: DiffResult, snapshotAfter: PlanSnapshot, newUnits: string[]): void {
  // Nothing state-bearing (data, keys, volumes) is replaced or deleted, and the data layer's resources not at all.
  expect(d.changes.filter((c) => isStateBearing(c.type) && (c.kind === "replace" || c.kind === "delete"))).toEqual([]);
  for (const type of DATA_TYPES) for (const c of ofType(d, type)) expect(c).toMatchObject({ kind: "update", disruption: "in-place" });
  expect(d.changes.filter((c) => c.kind === "replace" || c.kind === "delete")).toEqual([]);
  // The node groups it had are as they were; the new units come in new groups.
  expect(ofType(d, NODE_GROUP).map((c) => c.kind)).toEqual(ofType(d, NODE_GROUP).map(() => "create"));
  const created = ofType(d, NODE_GROUP).map((c) => c.name);
  expect(created.length).toBeGreaterThan(0);
  const groupOf = new Map((snapshotAfter.blueprint as unknown as { units: { name: string; nodeGroup: string }[] }).units.map((u) => [u.name, u.nodeGroup]));
  for (const unit of newUnits) expect(created.some((n) => n.includes(groupOf.get(unit)!))).toBe(true);
  expect(d.meaning.unitsAdded).toEqual(newUnits);
  // Capacity comes from the reservation AWS delivered: the plan creates none.
  expect(snapshotAfter.resources.filter((r) => r.type === "aws:ec2/capacityReservation:CapacityReservation")).toEqual([]);
  expect(["none", "in-place"]).toContain(d.disruption);
}

describe("the gigafactory stack as it is", () => {
  it("creates no capacity reservation and no placement group, and every GPU template targets a reservation its spec names, alone", () => {
    expect(before.resources.filter((r) => r.type === "aws:ec2/capacityReservation:CapacityReservation" || r.type === "aws:ec2/placementGroup:PlacementGroup")).toEqual([]);
    const spec = before.spec as unknown as { pools: Record<string, { capacity: { reservations: { reservationId?: string; resourceGroupArn?: string }[] } }> };
    const named = new Set(Object.values(spec.pools).flatMap((p) => p.capacity.reservations.map((r) => r.reservationId ?? r.resourceGroupArn)));
    const gpu = before.resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.inputs.capacityReservationSpecification !== undefined);
    expect(gpu.length).toBe(named.size);
    for (const lt of gpu) {
      const spec = lt.inputs.capacityReservationSpecification as { capacityReservationPreference: string; capacityReservationTarget: Record<string, string> };
      expect(spec.capacityReservationPreference).toBe("capacity-reservations-only");
      expect(named.has(spec.capacityReservationTarget.capacityReservationId ?? spec.capacityReservationTarget.capacityReservationResourceGroupArn)).toBe(true);
    }
    // Every managed node group within EKS's hard limits.
    const groups = before.resources.filter((r) => r.type === NODE_GROUP);
    expect(groups.length).toBeLessThanOrEqual(100);
    for (const g of groups) expect((g.inputs.scalingConfig as { maxSize: number }).maxSize).toBeLessThanOrEqual(450);
  });
});

describe("a gigafactory pool grown by two units", () => {
  it("adds a node group for them, replaces or deletes nothing, and leaves the data layer as it is", () => {
    const d = diffSnapshots(before, twoUnits);
    expectGrowthOnly(d, twoUnits, ["h200-a-su151", "h200-a-su152"]);
    // The launch template of the new reservation is new; the others are untouched.
    expect(ofType(d, "aws:ec2/launchTemplate:LaunchTemplate").map((c) => [c.kind, c.name])).toEqual([["create", "gf-nordics-h200-a-lt-cr-0c0ffee0000000002"]]);
    expect(ofType(d, "aws:ec2/subnet:Subnet")).toEqual([]);
  });
});

describe("a pool grown past the one its file system sits next to", () => {
  it("leaves the file system in its AZ (pinned by storage.lustre.nextToPool): no new file system", () => {
    const d = diffSnapshots(before, otherPool);
    expectGrowthOnly(d, otherPool, ["h200-b-su151", "h200-b-su152"]);
    expect(ofType(d, LUSTRE)).toEqual([]);
  });
});

describe("a gigafactory pool grown past what its Lustre file system reads", () => {
  it("grows the file system in place, never a new one, and touches no node group it had", () => {
    const d = diffSnapshots(before, eightUnits);
    expectGrowthOnly(d, eightUnits, Array.from({ length: 8 }, (_, i) => `h200-a-su${151 + i}`));
    const [lustre] = ofType(d, LUSTRE);
    expect(lustre).toMatchObject({ kind: "update", disruption: "in-place" });
    const capacity = lustre.inputs.find((i) => i.path === "storageCapacity");
    expect(Number(capacity?.after)).toBeGreaterThan(Number(capacity?.before));
  });
});

describe("both big pools grown by some 60 units each, far past a re-layout of their GPU subnets", () => {
  it("keeps the data layer whole: the file system and its subnet stay, whatever GPU subnets move", () => {
    const d = diffSnapshots(layerOf(before, "data"), muchLarger);
    expect(d.changes.every((c) => c.layer === "data")).toBe(true);
    const data = d.changes;
    expect(data.filter((c) => c.kind === "replace" || c.kind === "delete")).toEqual([]);
    for (const c of ofType(d, LUSTRE)) expect(c).toMatchObject({ kind: "update", disruption: "in-place" });
    const lustreSubnet = (s: PlanSnapshot) => (s.blueprint as unknown as { storage: { subnet: string } }).storage.subnet;
    expect(lustreSubnet(muchLarger)).toBe(lustreSubnet(before));
    const subnetCidr = (s: PlanSnapshot, name: string) => (s.blueprint as unknown as { network: { subnets: { name: string; cidr: string }[] } }).network.subnets.find((n) => n.name === name)?.cidr;
    expect(subnetCidr(muchLarger, lustreSubnet(before))).toBe(subnetCidr(before, lustreSubnet(before)));
  });
});
