import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { apportion, poolNominalQuotas, tenantPoolQuotas } from "../../../core/blueprint/tenants";
import { factorySpec, pool, tenant } from "../../fixtures/blueprint/spec";
import { designedStack } from "../../fixtures/kubernetes/stacks";

// The split of each tenant's quota over its pools, which Kueue's queues hold per ResourceFlavor, adds up to the
// spec's figures; a pool whose share of quotas is more than its GPUs is a warning.

describe("apportioning a quota over pools", () => {
  it("sums exactly to the total, each part within one unit of its exact share", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 1, maxLength: 8 }), (total, weights) => {
        const parts = apportion(total, weights);
        const sum = weights.reduce((s, w) => s + w, 0);
        expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
        parts.forEach((p, i) => expect(Math.abs(p - (total * weights[i]) / sum)).toBeLessThan(1));
      }),
    );
  });

  it("gives nothing where there is no weight", () => {
    expect(apportion(10, [0, 0])).toEqual([0, 0]);
    expect(apportion(10, [0, 5])).toEqual([0, 10]);
  });

  it("splits nominal and borrowing by the pools' GPUs and lends no more on a pool than the nominal there", () => {
    const gpus = new Map([
      ["a", 300],
      ["b", 100],
    ]);
    const q = tenantPoolQuotas({ pools: ["a", "b"], gpuQuota: 100, borrowingLimitGpus: 40, lendingLimitGpus: 30 }, gpus);
    expect(q).toEqual([
      { pool: "a", nominalGpus: 75, borrowingLimitGpus: 30, lendingLimitGpus: 23 },
      { pool: "b", nominalGpus: 25, borrowingLimitGpus: 10, lendingLimitGpus: 7 },
    ]);
  });

  it("holds every gigafactory tenant's quota, borrowing and lending to the GPU, over 128 tenants", () => {
    const { blueprint } = designedStack("gigafactory");
    expect(blueprint.tenants.length).toBeGreaterThanOrEqual(100);
    const gpus = new Map(blueprint.pools.map((p) => [p.name, p.gpus]));
    for (const t of blueprint.tenants) {
      const q = tenantPoolQuotas(t, gpus);
      expect(q.reduce((s, x) => s + x.nominalGpus, 0), t.name).toBe(t.gpuQuota);
      expect(q.reduce((s, x) => s + x.borrowingLimitGpus, 0), t.name).toBe(t.borrowingLimitGpus);
      expect(q.reduce((s, x) => s + x.lendingLimitGpus, 0), t.name).toBe(Math.min(t.gpuQuota, t.lendingLimitGpus));
    }
    for (const [p, nominal] of poolNominalQuotas(blueprint.tenants, gpus)) expect(nominal, p).toBeLessThanOrEqual(gpus.get(p)!);
  });
});

describe("the blueprint's quota checks", () => {
  it("warn when one pool's share of the quotas is more than its GPUs, though the cohort as a whole fits", () => {
    // Two pools of 64 GPUs; x holds all of a, y spreads 64 over both: a carries 96 of quota.
    const spec = factorySpec({
      pools: { a: pool({ nodes: 8 }), b: pool({ nodes: 8 }) },
      tenants: { x: tenant({ gpuQuota: 64, pools: ["a"] }), y: tenant({ gpuQuota: 64, pools: ["a", "b"] }) },
    });
    const { findings } = buildBlueprint(spec);
    const warning = findings.find((f) => f.path === "gigafactory:factory.pools.a");
    expect(warning).toMatchObject({ level: "warning" });
    expect(warning?.message).toMatch(/pool a add up to 96 GPUs, more than its 64/);
    expect(findings.some((f) => f.path === "gigafactory:factory.tenants" && /oversubscribed/.test(f.message))).toBe(false);
  });

  it("say nothing of a pool when its tenants are pinned so each pool's quotas fit", () => {
    const spec = factorySpec({
      pools: { a: pool({ nodes: 8 }), b: pool({ nodes: 8 }) },
      tenants: { x: tenant({ gpuQuota: 64, pools: ["a"] }), y: tenant({ gpuQuota: 64, pools: ["b"] }) },
    });
    expect(buildBlueprint(spec).findings.filter((f) => f.path.startsWith("gigafactory:factory.pools."))).toEqual([]);
  });
});
