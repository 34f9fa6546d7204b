import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import {
  isValidLustreCapacityGiB,
  LUSTRE_CAPACITY_HEADROOM,
  LUSTRE_EFA_FROM_MBPS,
  LUSTRE_EFA_STEP_GIB,
  LUSTRE_MAX_CAPACITY_GIB,
  LUSTRE_TIERS_MBPS_PER_TIB,
  lustreCostPerMonthEUR,
  lustreThroughputMBps,
  planStorage,
} from "../../../core/blueprint/storage";
import { isValidMetadataIops, metadataIopsAtLeast } from "../../../core/blueprint/metadata";
import { factorySpec, gigafactorySpec, pool } from "../../fixtures/blueprint/spec";

type Over = { modelParameters?: number; bytesPerParameter?: number; seconds?: number; keep?: number; datasetTB?: number; readMBpsPerGpu?: number };
const storage = (over: Over & { lustre?: { efa?: boolean; metadataIops?: number; tierMBpsPerTiB?: number } }, totalGpus: number) =>
  planStorage({
    storage: {
      checkpoint: { modelParameters: over.modelParameters ?? 70e9, bytesPerParameter: over.bytesPerParameter ?? 14, seconds: over.seconds ?? 120, keep: over.keep ?? 3 },
      datasetTB: over.datasetTB ?? 10,
      readMBpsPerGpu: over.readMBpsPerGpu ?? 1,
      lustre: over.lustre,
    },
    totalGpus,
    availabilityZone: "eu-north-1a",
  });

describe("what the file system is created with", () => {
  it("warns that EFA is fixed at creation when the spec leaves it to the throughput, and names the setting that pins it", () => {
    const { storage: s, findings } = storage({}, 512);
    expect(s.efaChoice).toBe("from-throughput");
    expect(findings).toEqual([
      expect.objectContaining({ level: "warning", path: "gigafactory:factory.storage.lustre.efa", hint: "set storage.lustre.efa: false to keep this choice whatever the objectives become" }),
    ]);
    expect(findings[0].message).toMatch(/PERSISTENT_2 with EFA and GPUDirect Storage off/);
  });

  it("keeps a pinned EFA choice whatever the throughput, in the EFA capacity steps", () => {
    const on = storage({ lustre: { efa: true } }, 512).storage;
    expect(on).toMatchObject({ efaEnabled: true, efaChoice: "pinned" });
    expect(isValidLustreCapacityGiB(on.storageCapacityGiB, { tier: on.perUnitStorageThroughputMBpsPerTiB })).toBe(true);
    const off = storage({ modelParameters: 1e12, seconds: 60, lustre: { efa: false } }, 512).storage;
    expect(off.requiredThroughputMBps).toBeGreaterThan(LUSTRE_EFA_FROM_MBPS);
    expect(off.efaEnabled).toBe(false);
  });

  it("keeps a pinned tier of an EFA file system and meets growing objectives with capacity alone; unpinned, warns", () => {
    const small = storage({ lustre: { efa: true, tierMBpsPerTiB: 125 } }, 512).storage;
    const grown = storage({ lustre: { efa: true, tierMBpsPerTiB: 125 } }, 16_384).storage;
    expect([small.perUnitStorageThroughputMBpsPerTiB, grown.perUnitStorageThroughputMBpsPerTiB]).toEqual([125, 125]);
    expect(grown.storageCapacityGiB).toBeGreaterThan(small.storageCapacityGiB);
    expect(grown.throughputMBps).toBeGreaterThanOrEqual(grown.requiredThroughputMBps);
    // Unpinned, the cheapest tier moves with the objectives: the plan says to pin the one it creates.
    const unpinned = storage({ lustre: { efa: true } }, 16_384);
    expect(unpinned.findings).toContainEqual(
      expect.objectContaining({ level: "warning", path: "gigafactory:factory.storage.lustre.tierMBpsPerTiB", hint: `set storage.lustre.tierMBpsPerTiB: ${unpinned.storage.perUnitStorageThroughputMBpsPerTiB}: growth is then met with capacity, in place` }),
    );
  });

  it("provisions the metadata IOPS the spec asks for, and refuses a figure FSx does not accept with the nearest one", () => {
    expect(storage({ lustre: { efa: false } }, 8).storage.metadata).toMatchObject({ mode: "AUTOMATIC", choice: "from-objectives" });
    expect(storage({ lustre: { efa: false, metadataIops: 24_000 } }, 8).storage.metadata).toMatchObject({ mode: "USER_PROVISIONED", iops: 24_000, choice: "pinned" });
    const bad = storage({ lustre: { efa: false, metadataIops: 20_000 } }, 8);
    expect(bad.findings).toEqual([expect.objectContaining({ level: "error", path: "gigafactory:factory.storage.lustre.metadataIops" })]);
    expect(bad.findings[0].hint).toMatch(/^use 24,000/);
    expect(storage({ lustre: { efa: false, metadataIops: 500_000 } }, 8).findings[0].hint).toMatch(/at most 192,000/);
  });

  it("only ever suggests metadata IOPS that FSx accepts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 192_000 }), (iops) => {
        const next = metadataIopsAtLeast(iops)!;
        return isValidMetadataIops(next) && next >= iops && (isValidMetadataIops(iops) ? next === iops : true);
      }),
    );
  });
});

describe("Lustre sizing", () => {
  it("writes a 70B model's checkpoint (0.98 TB) within 2 minutes", () => {
    const { storage: s, findings } = storage({ lustre: { efa: false } }, 512);
    expect(findings).toEqual([]);
    expect(s.checkpointBytes).toBe(980e9);
    expect(s.requiredWriteMBps).toBeCloseTo(8166.667, 3);
    expect(s.throughputMBps).toBeGreaterThanOrEqual(s.requiredWriteMBps);
    expect(s.checkpointSeconds).toBeLessThanOrEqual(120);
    expect(s.meetsObjective).toBe(true);
  });

  it("picks 1.2 TiB, the smallest file system, for a tiny objective", () => {
    const { storage: s } = storage({ modelParameters: 1e9, bytesPerParameter: 2, seconds: 3600, keep: 1, datasetTB: 0, readMBpsPerGpu: 0 }, 8);
    expect(s.storageCapacityGiB).toBe(1200);
    expect(s.perUnitStorageThroughputMBpsPerTiB).toBe(125);
  });

  it("says what checkpoint time is achievable when one file system cannot write fast enough", () => {
    // 5T parameters × 16 B = 80 TB in 30 s = 2,666,667 MB/s; the plan stops at 1,996,800 MB/s: 41 s.
    const { storage: s, findings } = storage({ modelParameters: 5e12, bytesPerParameter: 16, seconds: 30, keep: 1, datasetTB: 0 }, 8);
    expect(s.meetsObjective).toBe(false);
    const error = findings.find((f) => f.path === "gigafactory:factory.storage.checkpoint.seconds");
    expect(error?.level).toBe("error");
    expect(error?.hint).toMatch(/at least 41\b/);
    expect(s.storageCapacityGiB).toBe(LUSTRE_MAX_CAPACITY_GIB);
    expect(s.checkpointSeconds).toBeCloseTo(40, 0);
  });

  it("writes a 1T model's 14 TB checkpoint in 60 s from one file system, above the default storage quota", () => {
    // 233,333 MB/s: 233,600 GiB at 1000 MB/s/TiB, beyond the 100,800 GiB default quota, which is raised.
    const spec = gigafactorySpec({ storage: { datasetTB: 20, readMBpsPerGpu: 0.5, checkpoint: { modelParameters: 1e12, bytesPerParameter: 14, seconds: 60, keep: 3 }, lustre: { efa: true, tierMBpsPerTiB: 1000 } } });
    const { blueprint, findings } = buildBlueprint(spec);
    expect(findings).toEqual([]);
    expect(blueprint.storage).toMatchObject({ meetsObjective: true, perUnitStorageThroughputMBpsPerTiB: 1000, storageCapacityGiB: 235_200 });
    expect(blueprint.storage.checkpointSeconds).toBeLessThanOrEqual(60);
    expect(blueprint.quotas.find((q) => q.key === "fsx.lustre-persistent-2-storage-gib")).toMatchObject({ needed: 235_200, defaultValue: 100_800, raise: true });
  });

  it("says so when the dataset cannot fit one file system", () => {
    const { findings } = storage({ datasetTB: 2000 }, 8);
    expect(findings).toContainEqual(expect.objectContaining({ level: "error", path: "gigafactory:factory.storage.datasetTB" }));
  });

  it("says so when every GPU's read rate is more than one file system gives", () => {
    const { findings } = storage({ readMBpsPerGpu: 25 }, 100_000);
    const error = findings.find((f) => f.path === "gigafactory:factory.storage.readMBpsPerGpu");
    expect(error?.level).toBe("error");
    expect(error?.hint).toMatch(/at most 19\.968/);
  });

  it("sits in the AZ of the pool with the most GPUs", () => {
    const spec = factorySpec({ pools: { small: pool({ nodes: 8, availabilityZone: "eu-north-1b" }), big: pool({ nodes: 64, availabilityZone: "eu-north-1c" }) } });
    expect(buildBlueprint(spec).blueprint.storage.availabilityZone).toBe("eu-north-1c");
  });

  it("serves a gigafactory's 14 TB checkpoint in under 5 minutes from one file system", () => {
    const { blueprint } = buildBlueprint(gigafactorySpec());
    expect(blueprint.storage.meetsObjective).toBe(true);
    expect(blueprint.storage.checkpointSeconds).toBeLessThanOrEqual(300);
    expect(blueprint.storage.readMBpsPerGpu).toBeGreaterThanOrEqual(0.5);
  });
});

describe("Lustre sizing (property)", () => {
  const objective = fc.record({
    modelParameters: fc.double({ min: 1e8, max: 5e12, noNaN: true }),
    bytesPerParameter: fc.double({ min: 1, max: 18, noNaN: true }),
    seconds: fc.double({ min: 5, max: 7200, noNaN: true }),
    keep: fc.integer({ min: 1, max: 10 }),
    datasetTB: fc.double({ min: 0, max: 3000, noNaN: true }),
    readMBpsPerGpu: fc.double({ min: 0, max: 40, noNaN: true }),
  });

  it("always chooses a capacity AWS accepts, and meets the objective at the lowest cost or says why", () => {
    fc.assert(
      fc.property(objective, fc.integer({ min: 8, max: 100_000 }), fc.option(fc.boolean(), { nil: undefined }), (o, gpus, pinnedEfa) => {
        const { storage: all, findings: every } = { ...storage({ ...o, lustre: { efa: pinnedEfa } }, gpus) };
        const s = all;
        // The create-time warning is there exactly when the spec leaves EFA to the blueprint.
        const warned = every.some((f) => f.level === "warning" && f.path === "gigafactory:factory.storage.lustre.efa");
        expect(warned).toBe(pinnedEfa === undefined);
        const findings = every.filter((f) => f.level !== "warning");
        const efa = s.efaEnabled ? { tier: s.perUnitStorageThroughputMBpsPerTiB } : undefined;
        expect(isValidLustreCapacityGiB(s.storageCapacityGiB, efa)).toBe(true);
        // EFA as pinned, else only where the throughput needs it: small file systems keep the fine-grained steps.
        expect(s.efaEnabled).toBe(pinnedEfa ?? s.requiredThroughputMBps >= LUSTRE_EFA_FROM_MBPS);
        expect(s.storageCapacityGiB).toBeLessThanOrEqual(LUSTRE_MAX_CAPACITY_GIB);
        expect(LUSTRE_TIERS_MBPS_PER_TIB).toContain(s.perUnitStorageThroughputMBpsPerTiB);
        const dataGiB = ((o.datasetTB * 1e12 + o.keep * s.checkpointBytes) * LUSTRE_CAPACITY_HEADROOM) / 2 ** 30;
        const needMBps = Math.max(s.checkpointBytes / o.seconds / 1e6, gpus * o.readMBpsPerGpu);
        const meets = (gib: number, tier: number) => gib >= dataGiB && lustreThroughputMBps(gib, tier) >= needMBps;
        if (!s.meetsObjective) {
          expect(findings.some((f) => f.level === "error" && f.path.startsWith("gigafactory:factory.storage."))).toBe(true);
          expect(meets(LUSTRE_MAX_CAPACITY_GIB, 1000)).toBe(false);
          return;
        }
        expect(findings).toEqual([]);
        expect(meets(s.storageCapacityGiB, s.perUnitStorageThroughputMBpsPerTiB)).toBe(true);
        // No cheaper (tier, capacity) AWS accepts meets the objective.
        let cheapest = Infinity;
        for (const tier of LUSTRE_TIERS_MBPS_PER_TIB) {
          // The smallest capacity that meets the objective is the cheapest of its tier.
          const step = s.efaEnabled ? LUSTRE_EFA_STEP_GIB[tier] : 2400;
          for (let gib = s.efaEnabled ? step : 1200; gib <= LUSTRE_MAX_CAPACITY_GIB; gib = gib === 1200 ? 2400 : gib + step) {
            if (meets(gib, tier)) {
              cheapest = Math.min(cheapest, lustreCostPerMonthEUR(gib, tier));
              break;
            }
          }
        }
        expect(lustreCostPerMonthEUR(s.storageCapacityGiB, s.perUnitStorageThroughputMBpsPerTiB)).toBeLessThanOrEqual(cheapest + 1e-9);
      }),
      { numRuns: 300 },
    );
  });
});
