import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { region } from "../../../core/catalog/regions";
import { PRESET_DEFAULTS } from "../../../core/spec/presets";
import { defaultFactoryName, resolveSpec } from "../../../core/spec/resolve";
import { PRESETS, type FactoryInput, type PresetName } from "../../../core/spec/schema";
import { aiFactoryDoc, errorsOf, validate } from "../../fixtures/spec/specs";

// What a preset decides, and how the rest of the document overrides it.

const P = "gigafactory:factory";

/** A document of the preset's own scale: its GPUs in p5en nodes over the region's zones, one tenant. */
/**
 * A pool on its preset's capacity: on-demand as it is; ODCRs can only be the ones AWS delivered, which no preset can
 * name, so the pool names one reservation of its size in the zone's AZ ID (the n-th of the region).
 */
function onPresetCapacity(preset: PresetName, regionName: string, n: number, p: { instanceType: string; nodes: number; availabilityZone: string }): Record<string, unknown> {
  if (PRESET_DEFAULTS[preset].capacitySource !== "odcr") return p;
  const zoneId = region(regionName)!.availabilityZoneIds[n];
  const { availabilityZone: _, ...rest } = p;
  return { ...rest, availabilityZoneId: zoneId, capacity: { source: "odcr", reservations: [{ reservationId: `cr-${String(n).padStart(17, "0")}`, availabilityZoneId: zoneId, instances: p.nodes }] } };
}

function atScale(preset: PresetName, gpus: number): Record<string, any> {
  const zones = region("eu-north-1")?.availabilityZones ?? [];
  const nodes = gpus / 8;
  const perZone = Math.ceil(nodes / zones.length);
  const pools: Record<string, unknown> = {};
  zones.forEach((zone, i) => {
    const n = Math.min(perZone, nodes - i * perZone);
    if (n > 0) pools[`train-${zone.slice(-1)}`] = onPresetCapacity(preset, "eu-north-1", i, { instanceType: "p5en.48xlarge", nodes: n, availabilityZone: zone });
  });
  return { preset, costCenter: "cc", pools, tenants: { research: { gpuQuota: 8 } } };
}

describe("presets", () => {
  it("never define pools or tenants", () => {
    for (const preset of PRESETS) {
      expect(Object.keys(PRESET_DEFAULTS[preset])).not.toContain("pools");
      expect(Object.keys(PRESET_DEFAULTS[preset])).not.toContain("tenants");
    }
  });

  it("ai-factory and gigafactory build SuperPOD scalable units of 32 nodes from ODCRs", () => {
    for (const preset of ["ai-factory", "gigafactory"] as const) {
      expect(PRESET_DEFAULTS[preset].scalableUnit.nodes).toBe(32);
      expect(PRESET_DEFAULTS[preset].capacitySource).toBe("odcr");
    }
  });

  it("checkpoint at 14 bytes per parameter, the upper end of a resumable checkpoint", () => {
    for (const preset of PRESETS) expect(PRESET_DEFAULTS[preset].storage.checkpoint.bytesPerParameter).toBe(14);
  });

  it("offer the priorities critical, standard and preemptible, in that order, and default tenants to standard", () => {
    for (const preset of PRESETS) {
      const p = PRESET_DEFAULTS[preset].priorities;
      expect(p.critical).toBeGreaterThan(p.standard);
      expect(p.standard).toBeGreaterThan(p.preemptible);
      expect(Object.keys(p)).toContain(PRESET_DEFAULTS[preset].tenantPriority);
    }
  });

  it("the ai-factory's address space stays within AWS's default of five CIDR blocks per VPC", () => {
    expect(PRESET_DEFAULTS["ai-factory"].network.vpcCidrs).toHaveLength(5);
  });

  it("each preset's own defaults pass validation in every EU region that offers p5en", () => {
    for (const preset of PRESETS) {
      for (const r of ["eu-north-1", "eu-south-2"]) {
        const doc = { preset, costCenter: "cc", pools: { train: onPresetCapacity(preset, r, 0, { instanceType: "p5en.48xlarge", nodes: 2, availabilityZone: `${r}a` }) } };
        const v = validate(doc, r);
        expect(errorsOf(v), `${preset} in ${r}`).toEqual([]);
        expect(v.findings, `${preset} in ${r}`).toEqual([]);
      }
    }
  });

  it.each([
    ["dev", 16],
    ["ai-factory", 25_000],
    ["gigafactory", 100_000],
  ] as const)("a %s spec of %i GPUs on the preset's defaults plans without an error", (preset, gpus) => {
    const v = validate(atScale(preset, gpus));
    expect(errorsOf(v)).toEqual([]);
    const planned = buildBlueprint(v.spec!);
    expect(planned.findings.filter((f) => f.level === "error")).toEqual([]);
    expect(planned.blueprint.totalGpus).toBe(gpus);
  });
});

describe("resolving a spec", () => {
  const input = (doc: Record<string, unknown>) => doc as unknown as FactoryInput;

  it("fills every field from the preset where the document is silent", () => {
    const spec = resolveSpec(input({ preset: "gigafactory", pools: {} }), { region: "eu-north-1", stack: "prod" });
    const d = PRESET_DEFAULTS.gigafactory;
    expect(spec.scalableUnit.nodes).toBe(32);
    expect(spec.network).toEqual({
      vpcCidrs: d.network.vpcCidrs,
      podAddressing: "prefix-delegation",
      maxPodsPerNode: d.network.maxPodsPerNode,
      systemAvailabilityZones: ["eu-north-1a", "eu-north-1b", "eu-north-1c"],
      natGateway: false,
      flowLogRetentionDays: d.network.flowLogRetentionDays,
    });
    expect(spec.storage.checkpoint).toEqual(d.storage.checkpoint);
    expect(spec.kubernetes.version).toBe("1.33");
    expect(spec.dataClassification).toBe("confidential");
    expect(spec.name).toBe("prod");
    expect(spec.tags).toEqual({});
  });

  it("lets the document override any default", () => {
    const spec = resolveSpec(
      input({ preset: "dev", scalableUnit: { nodes: 16 }, network: { maxPodsPerNode: 48, podAddressing: "secondary-ip" }, storage: { checkpoint: { seconds: 30 } }, priorities: { batch: 10 } }),
      { region: "eu-south-2", stack: "dev" },
    );
    expect(spec.scalableUnit.nodes).toBe(16);
    expect(spec.network.maxPodsPerNode).toBe(48);
    expect(spec.network.podAddressing).toBe("secondary-ip");
    expect(spec.storage.checkpoint.seconds).toBe(30);
    expect(spec.storage.checkpoint.bytesPerParameter).toBe(14);
    expect(spec.priorities).toEqual({ critical: 1000, standard: 100, preemptible: 0, batch: 10 });
  });

  it("sizes a pool given in GPUs in nodes, and gives it the preset's capacity, placement and pods", () => {
    const spec = validate(aiFactoryDoc()).spec!;
    expect(spec.pools.train).toEqual({
      instanceType: "p5en.48xlarge",
      nodes: 64,
      availabilityZone: "eu-north-1a",
      capacity: { source: "odcr", create: true },
      placement: "cluster",
      maxPodsPerNode: 32,
      tenants: ["acme", "beta"],
      labels: {},
      slurm: { coreSpecCount: 0 },
      image: { release: "1.33-v20251120" },
      rollout: { soakMinutes: 60 },
    });
    const doc = aiFactoryDoc();
    doc.pools.train = { instanceType: "p5.48xlarge", gpus: 512, availabilityZone: "eu-north-1b", capacity: { source: "odcr", create: true } };
    expect(validate(doc).spec?.pools.train.nodes).toBe(64);
    // The preset's ODCRs are never created silently: a pool that names none is told to.
    delete doc.pools.train.capacity;
    expect(validate(doc).findings).toContainEqual(expect.objectContaining({ level: "error", path: "gigafactory:factory.pools.train.capacity", message: expect.stringContaining("(the ai-factory preset's capacity)") }));
  });

  it("gives tenants the factory's cost centre, classification and the preset's priority unless they say otherwise", () => {
    const doc = aiFactoryDoc();
    doc.dataClassification = "internal";
    doc.tenants.beta.costCenter = "cc-beta";
    const spec = validate(doc).spec!;
    expect(spec.tenants.acme).toMatchObject({ priority: "standard", costCenter: "cc-test", dataClassification: "internal", pools: ["train"] });
    expect(spec.tenants.beta).toMatchObject({ priority: "preemptible", costCenter: "cc-beta" });
  });

  it("a tenant may use every pool that admits it, and a pool admits the tenants that may use it", () => {
    const doc = aiFactoryDoc();
    doc.pools.inference = { instanceType: "p5.48xlarge", nodes: 32, availabilityZone: "eu-north-1b", capacity: { source: "odcr", create: true }, tenants: ["beta"] };
    doc.tenants.acme.pools = ["train"];
    const spec = validate(doc).spec!;
    expect(spec.tenants.acme.pools).toEqual(["train"]);
    expect(spec.tenants.beta.pools).toEqual(["train", "inference"]);
    expect(spec.pools.train.tenants).toEqual(["acme", "beta"]);
    expect(spec.pools.inference.tenants).toEqual(["beta"]);
  });

  it("lets a tenant borrow what is idle in its pools and lend all of its quota by default", () => {
    const spec = validate(aiFactoryDoc()).spec!;
    expect(spec.tenants.acme.borrowingLimitGpus).toBe(512 - 256);
    expect(spec.tenants.acme.lendingLimitGpus).toBe(256);
  });

  it("names the factory after its stack, as a DNS label", () => {
    expect(defaultFactoryName("Prod_EU.1")).toBe("prod-eu-1");
    expect(defaultFactoryName("42")).toBe("gigafactory");
    expect(defaultFactoryName("a-very-long-stack-name-for-the-factory")).toHaveLength(24);
  });

  it("the validated spec never repeats the region in the document, it takes the stack's", () => {
    expect(validate(aiFactoryDoc(), "eu-north-1").spec?.region).toBe("eu-north-1");
    expect(errorsOf(validate({ ...aiFactoryDoc(), region: "eu-north-1" })).map((f) => f.path)).toEqual([`${P}.region`]);
  });
});
