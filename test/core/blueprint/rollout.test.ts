import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { planPoolRollout } from "../../../core/blueprint/rollout";
import type { GpuNodeGroupPlan } from "../../../core/blueprint/types";
import { factorySpec, pool } from "../../fixtures/blueprint/spec";

// A pool's launch-template changes reach its node groups in waves of whole groups: what each wave holds, which
// launch template version each group runs while a rollout is under way, and a wave the pool cannot cut.

const groupsOf = (sizes: number[]): GpuNodeGroupPlan[] =>
  sizes.map((units, i) => ({
    name: `train-g${i + 1}`,
    pool: "train",
    units: Array.from({ length: units }, (_, u) => `train-g${i + 1}-u${u}`),
    nodes: units * 32,
    largestUnitNodes: 32,
    reservedNodes: 0,
    availabilityZone: "eu-north-1a",
    subnet: "gpu-a",
    placementGroup: null,
    capacityReservationId: null,
    capacityReservationGroupArn: null,
    wave: 1,
    launchTemplateVersion: "latest",
  }));

describe("a pool's rollout waves", () => {
  it("hold whole node groups, in pool order, never more units than the spec allows where a group fits", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 14 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 60 }), fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }), (sizes, waveUnits, wave) => {
        const groups = groupsOf(sizes);
        const { plan, findings } = planPoolRollout("train", { waveUnits, soakMinutes: 60, ...(wave ? { wave } : {}) }, groups, sizes.reduce((s, n) => s + n, 0), 14);
        // Every group in exactly one wave, waves in order, each wave within the spec unless one group alone is larger.
        expect(plan.waves.flatMap((w) => w.nodeGroups)).toEqual(groups.map((g) => g.name));
        for (const w of plan.waves) expect(w.units <= waveUnits || w.nodeGroups.length === 1).toBe(true);
        expect(findings.some((f) => f.level === "error")).toBe(Math.max(...sizes) > waveUnits);
        // Under way: the waves up to `wave` follow the newest version, the rest the default one.
        for (const g of groups) expect(g.launchTemplateVersion).toBe(plan.currentWave === null || g.wave <= plan.currentWave ? "latest" : "default");
        if (wave !== undefined && wave < plan.waves.length) expect(plan.currentWave).toBe(wave);
        else expect(plan.currentWave).toBeNull();
      }),
    );
  });

  it("of a gigafactory-sized pool are one node group each by default, and a rollout under way keeps the template's default version", () => {
    const spec = factorySpec({
      scalableUnit: { nodes: 32, unitsPerNodeGroup: 4 },
      pools: { train: pool({ nodes: 32 * 12, capacity: { source: "on-demand" }, rollout: { soakMinutes: 30, wave: 1 } }) },
    });
    const { blueprint, findings } = buildBlueprint(spec);
    expect(findings.filter((f) => f.level === "error")).toEqual([]);
    const train = blueprint.pools[0];
    expect(train.rollout).toMatchObject({ waveUnits: 4, soakMinutes: 30, maxUnavailable: null, currentWave: 1 });
    expect(train.rollout.waves.map((w) => w.units)).toEqual([4, 4, 4]);
    expect(blueprint.nodeGroups.map((g) => [g.wave, g.launchTemplateVersion])).toEqual([
      [1, "latest"],
      [2, "default"],
      [3, "default"],
    ]);
    const launches = blueprint.units.map((u) => u.launch!);
    expect(new Set(launches.map((l) => l.launchTemplate.updateDefaultVersion))).toEqual(new Set([false]));
    expect(launches.map((l) => l.nodeGroup.launchTemplateVersion)).toContain("default");
  });

  it("smaller than one node group is an error at the field that asks for it", () => {
    const spec = factorySpec({
      scalableUnit: { nodes: 32, unitsPerNodeGroup: 4 },
      pools: { train: pool({ nodes: 32 * 8, capacity: { source: "on-demand" }, rollout: { soakMinutes: 60, wavePercent: 10 } }) },
    });
    const [f] = buildBlueprint(spec).findings.filter((x) => x.level === "error");
    expect(f).toMatchObject({ path: "gigafactory:factory.pools.train.rollout.wavePercent", hint: expect.stringContaining("waveUnits: 4") });
  });
});
