import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { addressesPerNode } from "../../../core/blueprint/pods";
import { cidrSize, contains, isAligned, overlaps, parseCidr, type Cidr } from "../../../core/lib/cidr";
import { factorySpec, gigafactorySpec, pool, slash16s } from "../../fixtures/blueprint/spec";
import type { FactorySpec } from "../../../core/spec/schema";

const ADDRESSING_ERROR_PATHS = /^gigafactory:factory\.(network\.vpcCidrs(\[\d+\])?|scalableUnit\.nodes)$/;

describe("addresses per node", () => {
  it("take whole /28 prefixes plus a warm one under prefix delegation, and one primary address", () => {
    expect(addressesPerNode("prefix-delegation", 110)).toBe((Math.ceil(110 / 16) + 1) * 16 + 1);
    expect(addressesPerNode("prefix-delegation", 32)).toBe(49);
  });

  it("take one address per pod and a small warm pool in secondary-ip mode, plus each pod interface's primary", () => {
    expect(addressesPerNode("secondary-ip", 32)).toBe(1 + 32 + 5);
    // 110 pods + 5 warm need 3 interfaces of 49 slots: 2 more primaries.
    expect(addressesPerNode("secondary-ip", 110)).toBe(3 + 110 + 5);
  });
});

describe("subnets", () => {
  it("carve a /20 system and a /24 endpoints subnet per system AZ", () => {
    const { blueprint } = buildBlueprint(factorySpec());
    const byRole = (role: string) => blueprint.network.subnets.filter((s) => s.role === role);
    expect(byRole("system").map((s) => [s.availabilityZone, s.cidr.split("/")[1]])).toEqual([
      ["eu-north-1a", "20"],
      ["eu-north-1b", "20"],
      ["eu-north-1c", "20"],
    ]);
    expect(byRole("endpoints").map((s) => s.cidr.split("/")[1])).toEqual(["24", "24", "24"]);
    expect(byRole("endpoints")[0].plannedAddresses).toBe(15);
  });

  it("size the smallest GPU subnet that holds its units at 80%", () => {
    // 64 nodes × 49 addresses = 3,136: a /20 (4,091 usable, 3,272 at 80%) holds it, a /21 does not.
    const { blueprint } = buildBlueprint(factorySpec());
    const gpu = blueprint.network.subnets.filter((s) => s.role === "gpu");
    // After the three system /20s and the three endpoints /24s, which come first.
    expect(gpu.map((s) => [s.cidr, s.plannedAddresses])).toEqual([["10.0.64.0/20", 3136]]);
  });

  it("keep the system and endpoints subnets where they are however much the GPU pools grow", () => {
    const fixed = (nodes: number) =>
      buildBlueprint(gigafactorySpec({ pools: { train: pool({ nodes }) } })).blueprint.network.subnets.filter((s) => s.role !== "gpu").map((s) => [s.name, s.cidr]);
    const before = fixed(12_500);
    expect(before).toHaveLength(6);
    for (const nodes of [12_564, 13_140, 14_100]) expect(fixed(nodes)).toEqual(before);
  });

  it("spread a gigafactory's units over /16 subnets none above 80% used", () => {
    const { blueprint } = buildBlueprint(gigafactorySpec());
    const gpu = blueprint.network.subnets.filter((s) => s.role === "gpu");
    expect(gpu).toHaveLength(12);
    expect(blueprint.network.maxSubnetUtilisation).toBeLessThanOrEqual(0.8);
    expect(blueprint.pools[0].addressesPerNode).toBe(49);
  });

  it("name the VPC block each is cut from, so a subnet of a secondary block waits for the block's association", () => {
    const { blueprint } = buildBlueprint(gigafactorySpec());
    const blocks = new Set(blueprint.network.subnets.map((s) => s.vpcCidr));
    expect(blocks.size).toBeGreaterThan(1);
    for (const s of blueprint.network.subnets) {
      expect(blueprint.network.vpcCidrs).toContain(s.vpcCidr);
      expect(contains(parseCidr(s.vpcCidr)!, parseCidr(s.cidr)!), `${s.name} in ${s.vpcCidr}`).toBe(true);
    }
  });

  it("refuse a factory that does not fit its VPC CIDRs, saying how many /16 blocks to add, with no subnets claimed", () => {
    const { blueprint, findings } = buildBlueprint(gigafactorySpec({ network: { vpcCidrs: slash16s(4) } }));
    const error = findings.find((f) => f.path === "gigafactory:factory.network.vpcCidrs");
    expect(error?.level).toBe("error");
    expect(error?.message).toMatch(/needs 615,641 addresses/);
    expect(error?.message).toMatch(/hold 262,144/);
    expect(error?.hint).toMatch(/add 9 \/16 blocks to network\.vpcCidrs \(e\.g\. 10\.4\.0\.0\/16, 10\.5\.0\.0\/16, \.\.\.; 13 blocks in all/);
    expect(error?.hint).toMatch(/lower pools\.train\.maxPodsPerNode/);
    expect(blueprint.network.subnets).toEqual([]);
    expect(blueprint.units.every((u) => u.subnet === "")).toBe(true);
    // The advice holds: with the blocks added, it fits.
    expect(buildBlueprint(gigafactorySpec({ network: { vpcCidrs: slash16s(13) } })).findings).toEqual([]);
    expect(buildBlueprint(gigafactorySpec({ network: { vpcCidrs: slash16s(12) } })).findings.some((f) => f.level === "error")).toBe(true);
  });

  it("refuse a scalable unit too big for any subnet, naming the largest unit that fits", () => {
    const spec = factorySpec({ scalableUnit: { nodes: 450 }, pools: { train: pool({ nodes: 900, maxPodsPerNode: 250 }) }, network: { vpcCidrs: slash16s(10) } });
    const { findings } = buildBlueprint(spec);
    const error = findings.find((f) => f.path === "gigafactory:factory.scalableUnit.nodes");
    // 250 pods: (16 + 1) × 16 + 1 = 273 addresses a node; a /16 holds 52,424 at 80%: 192 nodes.
    expect(error?.hint).toMatch(/at most 192 nodes/);
  });

  it("refuse malformed, misaligned and overlapping VPC CIDR blocks at their index", () => {
    const { findings } = buildBlueprint(factorySpec({ network: { vpcCidrs: ["10.0.0.0/16", "10.0.1.0/16", "10.0.0.0/24", "10.9.0.0/8", "banana"] } }));
    expect(findings.filter((f) => f.level === "error").map((f) => f.path)).toEqual([
      "gigafactory:factory.network.vpcCidrs[1]",
      "gigafactory:factory.network.vpcCidrs[2]",
      "gigafactory:factory.network.vpcCidrs[3]",
      "gigafactory:factory.network.vpcCidrs[4]",
    ]);
    expect(findings[0].hint).toMatch(/write 10\.0\.0\.0\/16/);
  });

  it("warn when secondary-ip pods outgrow the interfaces network card 0 leaves", () => {
    // p5: 2 interfaces on card 0, one of them efa-only: 49 pod addresses.
    const spec = factorySpec({ pools: { train: pool({ instanceType: "p5.48xlarge", maxPodsPerNode: 100 }) }, network: { podAddressing: "secondary-ip" } });
    const warning = buildBlueprint(spec).findings.find((f) => f.path === "gigafactory:factory.pools.train.maxPodsPerNode");
    expect(warning?.level).toBe("warning");
    expect(warning?.hint).toMatch(/prefix-delegation/);
  });
});

// Random factories: pools in 1-3 AZs, unit sizes, pods per node, addressing modes, and VPC CIDR blocks.
// Placement none: tiny units would otherwise also pass the placement-group limit, a finding at the same path.
// Blocks in distinct 10.x.0.0/16 ranges (so they never overlap), from /16 to /22.
const blockArb = fc.record({ third: fc.integer({ min: 0, max: 255 }), prefix: fc.integer({ min: 16, max: 22 }) });
const blocksArb = fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 12 }).chain((seconds) =>
  fc.tuple(...seconds.map((second) => blockArb.map(({ third, prefix }) => {
    const size = cidrSize(prefix);
    const base = Math.floor((10 * 2 ** 24 + second * 2 ** 16 + third * 2 ** 8) / size) * size;
    return `${Math.floor(base / 2 ** 24)}.${Math.floor(base / 2 ** 16) % 256}.${Math.floor(base / 2 ** 8) % 256}.0/${prefix}`;
  }))),
);
const poolArb = fc.record({
  nodes: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 3000 })),
  zone: fc.constantFrom("eu-north-1a", "eu-north-1b", "eu-north-1c"),
  maxPodsPerNode: fc.integer({ min: 4, max: 250 }),
  instanceType: fc.constantFrom("p5en.48xlarge", "p5.48xlarge", "p4d.24xlarge"),
});
const specArb = fc
  .record({
    pools: fc.array(poolArb, { minLength: 1, maxLength: 4 }),
    unitNodes: fc.integer({ min: 1, max: 128 }),
    mode: fc.constantFrom("prefix-delegation" as const, "secondary-ip" as const),
    blocks: blocksArb,
    systemZones: fc.subarray(["eu-north-1a", "eu-north-1b", "eu-north-1c"], { minLength: 1 }),
  })
  .map(
    ({ pools, unitNodes, mode, blocks, systemZones }): FactorySpec =>
      factorySpec({
        scalableUnit: { nodes: unitNodes },
        pools: Object.fromEntries(pools.map((p, i) => [`pool${i}`, pool({ nodes: p.nodes, availabilityZone: p.zone, maxPodsPerNode: p.maxPodsPerNode, instanceType: p.instanceType, placement: "none" })])),
        network: { vpcCidrs: blocks, podAddressing: mode, systemAvailabilityZones: systemZones },
      }),
  );

describe("address arithmetic (property)", () => {
  it("either fits every unit in aligned, disjoint subnets inside the VPC CIDRs at most 80% used, or says why and claims nothing", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const { blueprint, findings } = buildBlueprint(spec);
        const { subnets } = blueprint.network;
        const addressingErrors = findings.filter((f) => f.level === "error" && ADDRESSING_ERROR_PATHS.test(f.path));
        if (subnets.length === 0) {
          expect(addressingErrors.length).toBeGreaterThan(0);
          expect(blueprint.units.every((u) => u.subnet === "")).toBe(true);
          return;
        }
        expect(addressingErrors).toEqual([]);
        const vpc = spec.network.vpcCidrs.map((c) => parseCidr(c) as Cidr);
        const cidrs = subnets.map((s) => parseCidr(s.cidr) as Cidr);
        cidrs.forEach((c, i) => {
          expect(isAligned(c)).toBe(true);
          expect(c.prefix).toBeGreaterThanOrEqual(16);
          expect(c.prefix).toBeLessThanOrEqual(28);
          expect(vpc.some((b) => contains(b, c))).toBe(true);
          for (let j = i + 1; j < cidrs.length; j++) expect(overlaps(c, cidrs[j])).toBe(false);
        });
        const perNode = new Map(blueprint.pools.map((p) => [p.name, p.addressesPerNode]));
        for (const s of subnets) {
          expect(s.usableAddresses).toBe(cidrSize((parseCidr(s.cidr) as Cidr).prefix) - 5);
          expect(s.plannedAddresses).toBeLessThanOrEqual(0.8 * s.usableAddresses);
          expect(s.utilisation).toBeLessThanOrEqual(0.8);
          if (s.role !== "gpu") continue;
          const units = blueprint.units.filter((u) => u.subnet === s.name);
          expect(units.every((u) => u.availabilityZone === s.availabilityZone)).toBe(true);
          expect(units.reduce((sum, u) => sum + u.nodes * (perNode.get(u.pool) ?? 0), 0)).toBe(s.plannedAddresses);
        }
        const gpuSubnets = new Set(subnets.filter((s) => s.role === "gpu").map((s) => s.name));
        expect(blueprint.units.every((u) => gpuSubnets.has(u.subnet))).toBe(true);
        expect(blueprint.network.maxSubnetUtilisation).toBeLessThanOrEqual(0.8);
      }),
      { numRuns: 300 },
    );
  });
});

describe("unit size against subnet size", () => {
  it("judges a pool by its real units: 8 nodes in a pool are one unit of 8, whatever the unit size", () => {
    const spec = factorySpec({ scalableUnit: { nodes: 450 }, pools: { train: pool({ nodes: 8, maxPodsPerNode: 250 }) } });
    expect(buildBlueprint(spec).findings.filter((f) => f.level === "error")).toEqual([]);
  });
});
