import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { factorySpec, pool, tenant } from "../../fixtures/blueprint/spec";

describe("tenants", () => {
  it("gives each tenant its share of the factory's GPUs and its priority's value", () => {
    const spec = factorySpec({ tenants: { a: tenant({ gpuQuota: 128, priority: "high" }), b: tenant({ gpuQuota: 384 }) } });
    const { blueprint, findings } = buildBlueprint(spec);
    expect(blueprint.tenants.map((t) => [t.name, t.share, t.priorityValue])).toEqual([
      ["a", 0.25, 100_000],
      ["b", 0.75, 1000],
    ]);
    expect(findings).toEqual([]);
  });

  it("warns, without an error, when quotas oversubscribe the pools a cohort shares", () => {
    const spec = factorySpec({ tenants: { a: tenant({ gpuQuota: 400 }), b: tenant({ gpuQuota: 400 }) } });
    const { findings } = buildBlueprint(spec);
    expect(findings.filter((f) => f.level === "error")).toEqual([]);
    const warning = findings.find((f) => f.path === "gigafactory:factory.tenants");
    expect(warning?.level).toBe("warning");
    expect(warning?.message).toMatch(/800 GPUs of quota.*512: oversubscribed by 288/);
  });

  it("judges each cohort on its own pools", () => {
    const spec = factorySpec({
      pools: { train: pool({ nodes: 64 }), infer: pool({ nodes: 8, tenants: ["serving"] }) },
      tenants: { research: tenant({ gpuQuota: 512, pools: ["train"] }), serving: tenant({ gpuQuota: 64, pools: ["infer"] }) },
    });
    const { blueprint, findings } = buildBlueprint(spec);
    expect(findings).toEqual([]);
    expect(blueprint.pools.map((p) => [p.name, p.tenants])).toEqual([
      ["train", ["research"]],
      ["infer", ["serving"]],
    ]);
  });

  it("warns when a tenant's quota exceeds the GPUs of every pool it may use", () => {
    const spec = factorySpec({ pools: { train: pool({ nodes: 64 }), infer: pool({ nodes: 8 }) }, tenants: { small: tenant({ gpuQuota: 100, pools: ["infer"] }) } });
    expect(buildBlueprint(spec).findings).toContainEqual(expect.objectContaining({ level: "warning", path: "gigafactory:factory.tenants.small.gpuQuota" }));
  });

  it("tells when one tenant may borrow everything the others lend", () => {
    const spec = factorySpec({
      tenants: {
        greedy: tenant({ gpuQuota: 256, borrowingLimitGpus: 256 }),
        other: tenant({ gpuQuota: 256, lendingLimitGpus: 200 }),
      },
    });
    const { findings } = buildBlueprint(spec);
    expect(findings).toContainEqual(expect.objectContaining({ level: "info", path: "gigafactory:factory.tenants.greedy.borrowingLimitGpus" }));
    expect(findings.some((f) => f.path === "gigafactory:factory.tenants.other.borrowingLimitGpus")).toBe(false);
  });

  it("says it once per cohort, not once per tenant, when every tenant may borrow what all the others lend", () => {
    // The elastic shape: each tenant lends its whole quota and may borrow the rest of the pool.
    const tenants = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`t${i}`, tenant({ gpuQuota: 64, lendingLimitGpus: 64, borrowingLimitGpus: 512 - 64 })]));
    const borrowing = buildBlueprint(factorySpec({ tenants })).findings.filter((f) => /borrow/.test(f.message));
    expect(borrowing).toHaveLength(1);
    expect(borrowing[0]).toMatchObject({ level: "info", path: "gigafactory:factory.tenants" });
    expect(borrowing[0].message).toMatch(/^8 tenants: t0, t1, t2, t3, t4 and 3 more may borrow/);
  });

  it("does not warn about borrowing that leaves the others' lent GPUs partly free", () => {
    const spec = factorySpec({
      tenants: { a: tenant({ gpuQuota: 256, borrowingLimitGpus: 100 }), b: tenant({ gpuQuota: 256, lendingLimitGpus: 200 }) },
    });
    expect(buildBlueprint(spec).findings).toEqual([]);
  });
});
