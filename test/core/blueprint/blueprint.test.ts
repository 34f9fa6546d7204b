import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { factorySpec, gigafactorySpec, pool } from "../../fixtures/blueprint/spec";

describe("the blueprint of a gigafactory", () => {
  const { blueprint, findings } = buildBlueprint(gigafactorySpec());

  it("a 100k-GPU spec plans 391 scalable units of 32 nodes", () => {
    expect(blueprint.totalGpus).toBe(100_000);
    expect(blueprint.nodes).toBe(12_500);
    expect(blueprint.scalableUnits).toBe(391);
    expect(blueprint.units).toHaveLength(391);
    expect(blueprint.units.filter((u) => u.nodes === 32)).toHaveLength(390);
    expect(blueprint.units[390]).toMatchObject({ name: "train-su391", nodes: 20, firstNode: 12_480, hostnames: "train-[12480-12499]" });
  });

  it("plans with no error and no warning", () => {
    expect(findings).toEqual([]);
  });

  it("places every unit in a GPU subnet of its AZ", () => {
    const subnets = new Map(blueprint.network.subnets.map((s) => [s.name, s]));
    for (const unit of blueprint.units) {
      const subnet = subnets.get(unit.subnet);
      expect(subnet?.role).toBe("gpu");
      expect(subnet?.availabilityZone).toBe(unit.availabilityZone);
    }
  });

  it("is the same blueprint every time for the same spec", () => {
    expect(JSON.stringify(buildBlueprint(gigafactorySpec()))).toBe(JSON.stringify({ blueprint, findings }));
  });

  it("does not change the spec it reads", () => {
    const spec = gigafactorySpec();
    const before = JSON.stringify(spec);
    buildBlueprint(spec);
    expect(JSON.stringify(spec)).toBe(before);
  });

  it("names its region's partition", () => {
    expect(blueprint.partition).toBe("aws");
    expect(buildBlueprint(factorySpec({ region: "eusc-de-east-1", pools: { train: pool({ availabilityZone: "eusc-de-east-1a" }) } })).blueprint.partition).toBe("aws-eusc");
  });

  it("reports an instance type the catalog does not know at the pool's path, without a stack trace", () => {
    const { blueprint: b, findings: f } = buildBlueprint(factorySpec({ pools: { train: pool({ instanceType: "p9.96xlarge" }) } }));
    expect(f).toContainEqual(expect.objectContaining({ level: "error", path: "gigafactory:factory.pools.train.instanceType" }));
    expect(b.pools).toEqual([]);
  });
});

describe("a factory with no GPU pool", () => {
  it("still sizes its system subnets, or says the VPC is too small, without a stack trace", () => {
    expect(buildBlueprint(factorySpec({ pools: {} })).blueprint.network.subnets.map((s) => s.role)).toEqual(["system", "system", "system", "endpoints", "endpoints", "endpoints"]);
    const tiny = buildBlueprint(factorySpec({ pools: {}, network: { vpcCidrs: ["10.0.0.0/28"] } }));
    expect(tiny.findings).toContainEqual(expect.objectContaining({ level: "error", path: "gigafactory:factory.network.vpcCidrs" }));
  });
});
