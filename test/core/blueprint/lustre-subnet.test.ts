import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { lustreSubnet, planLustreSubnet } from "../../../core/blueprint/lustre-subnet";
import type { SubnetPlan } from "../../../core/blueprint/types";
import { factorySpec, pool } from "../../fixtures/blueprint/spec";

const subnet = (name: string, role: SubnetPlan["role"], availabilityZone: string): SubnetPlan => ({
  name,
  role,
  availabilityZone,
  cidr: "10.0.0.0/20",
  vpcCidr: "10.0.0.0/16",
  usableAddresses: 4091,
  plannedAddresses: 0,
  utilisation: 0,
});

describe("the Lustre file system's subnet", () => {
  it("is a GPU subnet of the AZ of the pool with the most GPUs, where its clients are", () => {
    const { blueprint, findings } = buildBlueprint(
      factorySpec({ pools: { small: pool({ nodes: 8, availabilityZone: "eu-north-1a" }), large: pool({ nodes: 64, availabilityZone: "eu-north-1b" }) } }),
    );
    expect(findings.filter((f) => f.level === "error")).toEqual([]);
    const chosen = blueprint.network.subnets.find((s) => s.name === blueprint.storage.subnet);
    expect(chosen).toMatchObject({ role: "gpu", availabilityZone: "eu-north-1b" });
    expect(blueprint.storage.availabilityZone).toBe("eu-north-1b");
  });

  it("prefers the AZ's GPU subnet to its system subnet, and takes the system one where the AZ has no GPU subnet", () => {
    const subnets = [subnet("system-a", "system", "eu-north-1a"), subnet("gpu-b", "gpu", "eu-north-1b"), subnet("gpu-a", "gpu", "eu-north-1a")];
    expect(lustreSubnet(subnets, "eu-north-1a")?.name).toBe("gpu-a");
    expect(lustreSubnet([subnet("endpoints-c", "endpoints", "eu-north-1c"), subnet("system-c", "system", "eu-north-1c")], "eu-north-1c")?.name).toBe("system-c");
  });

  it("is an error at the pool's AZ, with what to do, when the AZ has no GPU or system subnet", () => {
    const planned = planLustreSubnet([subnet("gpu-a", "gpu", "eu-north-1a"), subnet("endpoints-c", "endpoints", "eu-north-1c")], "eu-north-1c", "train");
    expect(planned.subnet).toBeNull();
    expect(planned.findings).toEqual([
      {
        path: "gigafactory:factory.pools.train.availabilityZone",
        level: "error",
        message: "the Lustre file system goes in eu-north-1c, next to pool train, which has the most GPUs, but the network has no GPU or system subnet there",
        hint: "add eu-north-1c to network.systemAvailabilityZones, so the file system has a subnet in its AZ",
      },
    ]);
  });

  it("adds no error of its own when the network could not be laid out at all (the addressing says why)", () => {
    expect(planLustreSubnet([], "eu-north-1a", "train")).toEqual({ subnet: null, findings: [] });
  });
});

describe("the Lustre file system's AZ as pools grow", () => {
  const twoPools = (aNodes: number, bNodes: number, lustre: { efa: boolean; nextToPool?: string }) =>
    factorySpec({
      pools: { a: pool({ nodes: aNodes, availabilityZone: "eu-north-1a" }), b: pool({ nodes: bNodes, availabilityZone: "eu-north-1b" }) },
      storage: { lustre },
    });

  it("stays next to the pinned pool when another grows past it, without a warning", () => {
    for (const b of [32, 64, 96]) {
      const { blueprint, findings } = buildBlueprint(twoPools(64, b, { efa: false, nextToPool: "a" }));
      expect(blueprint.storage.availabilityZone).toBe("eu-north-1a");
      expect(findings.filter((f) => f.path === "gigafactory:factory.storage.lustre.nextToPool")).toEqual([]);
    }
  });

  it("follows the pool with the most GPUs where none is pinned, and warns that growth would move it, saying which to pin", () => {
    const before = buildBlueprint(twoPools(64, 64, { efa: false }));
    const after = buildBlueprint(twoPools(64, 96, { efa: false }));
    expect([before.blueprint.storage.availabilityZone, after.blueprint.storage.availabilityZone]).toEqual(["eu-north-1a", "eu-north-1b"]);
    const w = before.findings.find((f) => f.path === "gigafactory:factory.storage.lustre.nextToPool");
    expect(w).toMatchObject({ level: "warning", hint: "set storage.lustre.nextToPool: a to keep it where it is whatever the pools become" });
    // One pool cannot be overtaken: nothing to say.
    const one = buildBlueprint(factorySpec({ pools: { a: pool({ nodes: 64 }) }, storage: { lustre: { efa: false } } }));
    expect(one.findings.filter((f) => f.path === "gigafactory:factory.storage.lustre.nextToPool")).toEqual([]);
  });
});
