import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { HOURS_PER_MONTH } from "../../../core/blueprint/cost";
import { onDemandPrice } from "../../../core/catalog";
import { factorySpec, gigafactorySpec, pool, slash16s } from "../../fixtures/blueprint/spec";

describe("topology", () => {
  it("gives Kueue and Slurm the three EKS network-node layers, widest first, then the host", () => {
    const { blueprint } = buildBlueprint(factorySpec());
    expect(blueprint.topology.levels.map((l) => l.nodeLabel)).toEqual([
      "topology.k8s.aws/network-node-layer-1",
      "topology.k8s.aws/network-node-layer-2",
      "topology.k8s.aws/network-node-layer-3",
      "kubernetes.io/hostname",
    ]);
  });

  it("takes four layers when a pool's type has four (p6-b200)", () => {
    const spec = factorySpec({ pools: { h200: pool(), b200: pool({ instanceType: "p6-b200.48xlarge", availabilityZone: "eu-north-1b" }) } });
    const levels = buildBlueprint(spec).blueprint.topology.levels;
    expect(levels).toHaveLength(5);
    expect(levels[3].nodeLabel).toBe("topology.k8s.aws/network-node-layer-4");
    expect(levels[4].nodeLabel).toBe("kubernetes.io/hostname");
  });

  it("makes a leaf switch per unit holding its hosts and a spine per pool, with no core for one pool", () => {
    const { blueprint } = buildBlueprint(factorySpec({ pools: { train: pool({ nodes: 40 }) } }));
    expect(blueprint.topology.switches).toEqual([
      { name: "train-su001", level: "leaf", children: ["train-[00000-00031]"] },
      { name: "train-su002", level: "leaf", children: ["train-[00032-00039]"] },
      { name: "train-spine", level: "spine", children: ["train-su001", "train-su002"] },
    ]);
  });

  it("joins the spines of the pools of one availability zone under a core named after the factory and the zone", () => {
    const { blueprint } = buildBlueprint(factorySpec({ pools: { train: pool(), infer: pool({ nodes: 8 }) } }));
    expect(blueprint.topology.switches.filter((s) => s.level === "core")).toEqual([{ name: "gf-eu-north-1a-core", level: "core", children: ["train-spine", "infer-spine"] }]);
  });

  it("joins no pools of different availability zones: EFA stays in its zone, and so does every job", () => {
    const { blueprint } = buildBlueprint(
      factorySpec({ pools: { a1: pool({ nodes: 8 }), a2: pool({ nodes: 8 }), b1: pool({ nodes: 8, availabilityZone: "eu-north-1b" }) } }),
    );
    const cores = blueprint.topology.switches.filter((s) => s.level === "core");
    expect(cores).toEqual([{ name: "gf-eu-north-1a-core", level: "core", children: ["a1-spine", "a2-spine"] }]);
    const zoneOf = new Map(blueprint.pools.map((p) => [`${p.name}-spine`, p.availabilityZone]));
    for (const core of cores) expect(new Set(core.children.map((c) => zoneOf.get(c))).size).toBe(1);
  });

  it("puts every unit of a gigafactory under exactly one leaf", () => {
    const { blueprint } = buildBlueprint(gigafactorySpec());
    const leaves = blueprint.topology.switches.filter((s) => s.level === "leaf");
    expect(leaves.map((l) => l.name)).toEqual(blueprint.units.map((u) => u.name));
  });
});

describe("fabric", () => {
  it("counts 16 EFA interfaces and 3,200 Gbps per p5en node: 200,000 interfaces and 40 Pbps for 12,500 nodes", () => {
    const { blueprint } = buildBlueprint(gigafactorySpec());
    expect(blueprint.fabric.efaInterfaces).toBe(200_000);
    expect(blueprint.fabric.aggregateTbps).toBe(40_000);
    expect(blueprint.fabric.pools).toEqual([{ pool: "train", efaInterfacesPerNode: 16, gbpsPerNode: 3200, gbpsPerUnit: 102_400 }]);
  });
});

describe("power", () => {
  it("puts 12,500 p5 nodes at 127.5 MW of IT load (10.2 kW each)", () => {
    const spec = gigafactorySpec({ pools: { train: pool({ instanceType: "p5.48xlarge", nodes: 12_500 }) }, network: { vpcCidrs: slash16s(16) } });
    const { blueprint } = buildBlueprint(spec);
    expect(blueprint.powerKW).toBe(127_500);
    expect(blueprint.pools[0].powerKW).toBe(127_500);
  });

  it("adds up pools of different types", () => {
    const spec = factorySpec({ pools: { a: pool({ nodes: 3 }), b: pool({ instanceType: "p4d.24xlarge", nodes: 2 }) } });
    // 3 × 10.2 kW + 2 × 6.5 kW, free of floating-point noise.
    expect(buildBlueprint(spec).blueprint.powerKW).toBe(43.6);
  });
});

describe("cost", () => {
  it("prices every node at the catalog's on-demand figure, per hour and per 730-hour month with the file system", () => {
    const { blueprint } = buildBlueprint(gigafactorySpec());
    const perNode = onDemandPrice("p5en.48xlarge", "eu-north-1")?.onDemandEURPerHour ?? NaN;
    expect(blueprint.costPerHourEUR).toBeCloseTo(12_500 * perNode, 2);
    expect(blueprint.costPerMonthEUR).toBeCloseTo(blueprint.costPerHourEUR * HOURS_PER_MONTH + blueprint.storage.costPerMonthEUR, 2);
    expect(blueprint.estimates.some((e) => e.includes("[U]"))).toBe(true);
  });

  it("prices spot at the on-demand figure and says it is an upper bound", () => {
    const onDemand = buildBlueprint(factorySpec({ pools: { p: pool({ capacity: { source: "on-demand" } }) } })).blueprint;
    const spot = buildBlueprint(factorySpec({ pools: { p: pool({ capacity: { source: "spot" }, placement: "none" }) } })).blueprint;
    expect(spot.costPerHourEUR).toBe(onDemand.costPerHourEUR);
    expect(spot.estimates.some((e) => /spot.*upper bound/.test(e))).toBe(true);
  });
});
