import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { interfaceLayout } from "../../../core/blueprint/interfaces";
import { LABEL_SCALABLE_UNIT, LABEL_TENANT } from "../../../core/blueprint/labels";
import type { Blueprint, ScalableUnitPlan, UnitLaunchPlan } from "../../../core/blueprint/types";
import { validateUnitPlacement } from "../../../core/checks/compute";
import { INSTANCE_TYPES } from "../../../core/catalog/instances";
import { factorySpec, pool, tenant } from "../../fixtures/blueprint/spec";

// What every GPU pool's nodes boot with and how every scalable unit launches them, decided in the blueprint so
// that the node pool component only declares it.

const blocks = [
  { reservationId: "cr-0123456789abcdef0", instances: 4 },
  { reservationId: "cr-0123456789abcdef1", instances: 2 },
];
const { blueprint } = buildBlueprint(
  factorySpec({
    scalableUnit: { nodes: 2 },
    tenants: { acme: tenant({ gpuQuota: 16, pools: ["spot"] }), beta: tenant({ gpuQuota: 16, pools: ["train"] }), gamma: tenant({ gpuQuota: 16, pools: ["train"] }) },
    pools: {
      train: pool({ instanceType: "p5.48xlarge", nodes: 4, capacity: { source: "on-demand" }, placement: "cluster", labels: { team: "research" } }),
      reserved: pool({ instanceType: "p5en.48xlarge", nodes: 5, capacity: { source: "odcr", create: true }, placement: "cluster" }),
      block: pool({ instanceType: "p5.48xlarge", nodes: 6, capacity: { source: "capacity-block", blocks }, placement: "none" }),
      spot: pool({ instanceType: "p4d.24xlarge", nodes: 4, capacity: { source: "spot" }, placement: "none" }),
    },
  }),
);
const unitsOf = (b: Blueprint, p: string): ScalableUnitPlan[] => b.units.filter((u) => u.pool === p);
const launchOf = (u: ScalableUnitPlan): UnitLaunchPlan => {
  if (u.launch === null) throw new Error(`unit ${u.name} has no launch plan`);
  return u.launch;
};

describe("a GPU pool's nodes", () => {
  it("wire the catalog's interface layout: 32 EFA interfaces of a p5.48xlarge, each on its own network card", () => {
    const train = blueprint.pools.find((p) => p.name === "train")!;
    expect(train.interfaces).toEqual((interfaceLayout(INSTANCE_TYPES["p5.48xlarge"]) as { slots: unknown }).slots);
    expect(train.interfaces!.filter((s) => s.interfaceType !== "interface")).toHaveLength(32);
  });

  it("boot the NVIDIA AMI of the release the spec pins, tainted for GPUs, striping their NVMe drives", () => {
    expect(blueprint.pools.find((p) => p.name === "train")).toMatchObject({
      amiParameter: "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/nvidia/amazon-eks-node-al2023-x86_64-nvidia-1.33-v20251120/image_id",
      image: { release: "1.33-v20251120", amiName: "amazon-eks-node-al2023-x86_64-nvidia-1.33-v20251120" },
      taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
      stripeLocalNvme: true,
      kubeletMaxPods: 32,
    });
  });

  it("admit no more pods than network card 0 addresses in secondary-ip mode, whatever the pool asks", () => {
    const spec = factorySpec({ network: { podAddressing: "secondary-ip" }, pools: { train: pool({ instanceType: "p5.48xlarge", nodes: 4, maxPodsPerNode: 200 }) } });
    expect(buildBlueprint(spec).blueprint.pools[0].kubeletMaxPods).toBe(100);
  });

  it("of a type whose layout the catalog does not know get no interfaces rather than a guess", () => {
    const trn = buildBlueprint(factorySpec({ pools: { neuron: pool({ instanceType: "trn2.48xlarge", nodes: 4 }) } })).blueprint.pools[0];
    expect(trn.interfaces).toBeNull();
    expect(trn.taints).toEqual([{ key: "aws.amazon.com/neuron", value: "true", effect: "NoSchedule" }]);
    expect(trn.amiParameter).toContain("/neuron/");
  });

  it("carry the tenant label of a pool's one tenant, and shared where tenants share it", () => {
    expect(blueprint.pools.find((p) => p.name === "spot")!.tenancy).toBe("acme");
    const train = blueprint.pools.find((p) => p.name === "train")!;
    expect(train.tenants).toEqual(["beta", "gamma"]);
    expect(train.tenancy).toBe("shared");
    expect(launchOf(unitsOf(blueprint, "spot")[0]).nodeGroup.labels[LABEL_TENANT]).toBe("acme");
  });
});

describe("a scalable unit's launch", () => {
  it("in a cluster placement group has a template of its own, named after the unit and labelled with it at registration", () => {
    const [first, second] = unitsOf(blueprint, "train").map(launchOf);
    expect(first.role).toBe("su001");
    expect(first.capacity).toMatchObject({ capacityType: "ON_DEMAND", placementGroup: "gf-train-su001", reservation: null });
    expect(first.launchTemplate).toMatchObject({ key: "group:train-su001", role: "su001" });
    expect(first.launchTemplate.labels[LABEL_SCALABLE_UNIT]).toBe("train-su001");
    expect(second.launchTemplate.key).not.toBe(first.launchTemplate.key);
  });

  it("keeps the spec's own labels beside the factory's, which they never override", () => {
    const labels = launchOf(unitsOf(blueprint, "train")[0]).nodeGroup.labels;
    expect(labels).toMatchObject({ team: "research", "gigafactory.io/pool": "train", [LABEL_SCALABLE_UNIT]: "train-su001" });
  });

  it("reserves an ODCR the stack creates inside the group's placement group for all its nodes, targeted alone", () => {
    const launches = unitsOf(blueprint, "reserved").map(launchOf);
    expect(launches.map((l) => l.capacity.reservation?.instanceCount)).toEqual([2, 2, 1]);
    for (const l of launches) expect(l.capacity).toMatchObject({ reservation: { matchCriteria: "targeted" }, target: { kind: "own-reservation" }, reservationPreference: "capacity-reservations-only" });
  });

  it("of a capacity block shares the block's template, labelled with the unit only by its node group", () => {
    const launches = unitsOf(blueprint, "block").map(launchOf);
    expect(launches.map((l) => l.launchTemplate.key)).toEqual(["block:cr-0123456789abcdef0", "block:cr-0123456789abcdef0", "block:cr-0123456789abcdef1"]);
    expect(launches.map((l) => l.launchTemplate.role)).toEqual(["cr-0123456789abcdef0", "cr-0123456789abcdef0", "cr-0123456789abcdef1"]);
    for (const l of launches) {
      expect(l.launchTemplate.labels[LABEL_SCALABLE_UNIT]).toBeUndefined();
      expect(l.nodeGroup.labels[LABEL_SCALABLE_UNIT]).toBeDefined();
      expect(l.capacity).toMatchObject({ capacityType: "CAPACITY_BLOCK", marketType: "capacity-block", placementGroup: null });
      expect(l.nodeGroup).toMatchObject({ capacityType: "CAPACITY_BLOCK", desiredSizeManagedByEks: true, scaling: { minSize: 0 } });
    }
  });

  it("without a placement group or reservation shares one template with its pool, named after the pool alone", () => {
    const launches = unitsOf(blueprint, "spot").map(launchOf);
    expect(new Set(launches.map((l) => l.launchTemplate.key))).toEqual(new Set(["pool"]));
    expect(launches.map((l) => l.launchTemplate.role)).toEqual([null, null]);
    expect(launches[0].capacity.capacityType).toBe("SPOT");
  });

  it("runs its node group whole, at the unit's size, replacing its nodes together", () => {
    const unit = unitsOf(blueprint, "train")[0];
    expect(launchOf(unit).nodeGroup).toMatchObject({ nodeGroupName: "train-su001", scaling: { minSize: 2, maxSize: 2, desiredSize: 2 }, updateConfig: { maxUnavailable: 2, updateStrategy: "MINIMAL" } });
  });

  it("is left open for a unit no capacity block serves, which the design reports as an error", () => {
    const spec = factorySpec({
      scalableUnit: { nodes: 2 },
      pools: { block: pool({ instanceType: "p5.48xlarge", nodes: 8, capacity: { source: "capacity-block", blocks }, placement: "none" }) },
    });
    const { blueprint: short, findings } = buildBlueprint(spec);
    const unserved = short.units.filter((u) => u.capacityReservationId === null);
    expect(unserved.length).toBeGreaterThan(0);
    for (const u of unserved) expect(u.launch).toBeNull();
    expect(findings).toContainEqual(expect.objectContaining({ level: "error", path: "gigafactory:factory.pools.block.nodes" }));
    expect(validateUnitPlacement(short)).toContainEqual(expect.objectContaining({ level: "error", message: expect.stringContaining("has no capacity block to run on") }));
  });
});
