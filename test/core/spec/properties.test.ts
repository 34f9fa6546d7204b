import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadStack, readTenantsFile } from "../../../core/spec/load";
import type { PathSegment } from "../../../core/spec/paths";
import { VALIDATION_FAILED, validateSpec, type Validated } from "../../../core/spec/validate";
import { aiFactoryDoc } from "../../fixtures/spec/specs";

// Properties over documents no one would write on purpose: validation answers every one with findings
// (or a spec), never with an exception, and a spec comes back exactly when no finding is an error.

const REGIONS = fc.oneof(fc.constantFrom("eu-north-1", "eu-south-2", "eu-west-2", "eusc-de-east-1", "eu-nort-1"), fc.string(), fc.constant(undefined));

function wellFormed(v: Validated): void {
  const hasError = v.findings.some((f) => f.level === "error");
  expect(v.spec !== undefined).toBe(!hasError);
  for (const f of v.findings) {
    expect(["error", "warning", "info"]).toContain(f.level);
    expect(typeof f.path === "string" && f.path.length > 0).toBe(true);
    expect(typeof f.message === "string" && f.message.length > 0).toBe(true);
    expect(typeof f.hint).toBe("string");
    expect(f.message.startsWith(VALIDATION_FAILED)).toBe(false);
  }
}

/** Every path to a value inside a document (maps and lists). */
function pathsOf(doc: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  const out: PathSegment[][] = [prefix];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (doc && typeof doc === "object") for (const [k, v] of Object.entries(doc)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

type Mutation = { kind: "delete" } | { kind: "replace"; value: unknown } | { kind: "rename"; key: string };

function mutate(doc: Record<string, unknown>, at: PathSegment[], m: Mutation): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  if (at.length === 0) return m.kind === "replace" ? m.value : copy;
  let parent: any = copy;
  for (const s of at.slice(0, -1)) parent = parent[s];
  const last = at[at.length - 1];
  if (m.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else if (m.kind === "replace") {
    parent[last] = m.value;
  } else if (!Array.isArray(parent)) {
    const value = parent[last];
    delete parent[last];
    Object.defineProperty(parent, m.key, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom("", "0B", "1T", "p6-b200.48xlarge", "eu-north-1d", "cr-0123456789abcdef0", "10.0.0.0/8", "odcr", "capacity-block", "__proto__", "constructor"));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: "delete" as const }),
  leaf.map((value) => ({ kind: "replace" as const, value })),
  fc.anything().map((value) => ({ kind: "replace" as const, value })),
  fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "toString", "instanceTyp", "nodes", "gpus")).map((key) => ({ kind: "rename" as const, key })),
);

/** The valid spec with a capacity-block pool, a tenants file and every section, so mutations reach them all. */
function richDoc(): Record<string, unknown> {
  const doc = aiFactoryDoc();
  doc.pools.burst = { instanceType: "p5.48xlarge", nodes: 32, availabilityZone: "eu-north-1b", capacity: { source: "capacity-block", blocks: [{ reservationId: "cr-0123456789abcdef0", instances: 32 }] }, tenants: ["acme"], labels: { "example.org/team": "ml" } };
  doc.network = { vpcCidrs: ["10.0.0.0/16", "10.1.0.0/16"], podAddressing: "prefix-delegation", maxPodsPerNode: 32, systemAvailabilityZones: ["eu-north-1a", "eu-north-1b"], natGateway: false, flowLogRetentionDays: 90 };
  doc.storage = { checkpoint: { modelParameters: "70B", bytesPerParameter: 14, seconds: 60, keep: 2 }, datasetTB: 10, readMBpsPerGpu: 1 };
  doc.priorities = { urgent: 5000 };
  doc.scalableUnit = { nodes: 16 };
  doc.kubernetes = { version: "1.33" };
  doc.tags = { team: "ml" };
  doc.tenants.acme.pools = ["train", "burst"];
  doc.tenantsFile = "tenants.t.yaml";
  return doc;
}
const tenantsFile = () => ({ path: "tenants.t.yaml", raw: { tenants: { gamma: { gpuQuota: 8, priority: "urgent" } } } });

describe("validateSpec on any input", () => {
  it("the rich document itself is valid, so every mutation starts from a spec that holds", () => {
    const v = validateSpec(richDoc(), { stack: "p", region: "eu-north-1", tenantsFile: tenantsFile() });
    expect(v.findings.filter((f) => f.level === "error")).toEqual([]);
    expect(v.spec).toBeDefined();
  });

  it("answers any value with findings or a spec, never an exception", () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), REGIONS, (raw, region) => {
        wellFormed(validateSpec(raw, { stack: "p", region }));
      }),
      { numRuns: 250 },
    );
  });

  it("answers any value as a tenants file too", () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        wellFormed(validateSpec({ ...aiFactoryDoc(), tenantsFile: "t.yaml" }, { stack: "p", region: "eu-north-1", tenantsFile: { path: "t.yaml", raw } }));
      }),
      { numRuns: 200 },
    );
  });

  it("answers every mutation of a valid spec (deleted keys, wrong types, random leaves, renamed keys)", () => {
    const doc = richDoc();
    const paths = pathsOf(doc);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...paths), mutation), { minLength: 1, maxLength: 4 }), fc.boolean(), (mutations, withFile) => {
        let mutated: unknown = doc;
        for (const [at, m] of mutations) {
          if (mutated && typeof mutated === "object" && !Array.isArray(mutated)) {
            try {
              mutated = mutate(mutated as Record<string, unknown>, at, m);
            } catch {
              // The path no longer exists after an earlier mutation: keep the document as it is.
            }
          }
        }
        wellFormed(validateSpec(mutated, { stack: "p", region: "eu-north-1", tenantsFile: withFile ? tenantsFile() : undefined }));
      }),
      { numRuns: 300 },
    );
  });

  it("answers every leaf of a valid spec replaced by a random string", () => {
    const doc = richDoc();
    const leaves = pathsOf(doc).filter((p) => p.length > 0);
    fc.assert(
      fc.property(fc.constantFrom(...leaves), fc.string(), (at, s) => {
        wellFormed(validateSpec(mutate(doc, at, { kind: "replace", value: s }), { stack: "p", region: "eu-north-1", tenantsFile: tenantsFile() }));
      }),
      { numRuns: 300 },
    );
  });

  it("answers a document that contains itself", () => {
    const doc: Record<string, any> = aiFactoryDoc();
    doc.pools.train.labels = doc;
    doc.tags = doc.pools;
    wellFormed(validateSpec(doc, { stack: "p", region: "eu-north-1" }));
  });

  it("answers a list with holes in it, as code can build and YAML cannot, with findings", () => {
    const doc: Record<string, any> = aiFactoryDoc();
    doc.tenants.acme.pools = [];
    doc.tenants.acme.pools[1] = {};
    const validated = validateSpec(doc, { stack: "p", region: "eu-north-1" });
    wellFormed(validated);
    expect(validated.findings.map((f) => f.path)).toContain("gigafactory:factory.tenants.acme.pools[0]");
  });
});

describe("generated valid specs", () => {
  const pool = fc.record({
    instanceType: fc.constantFrom("p5.48xlarge", "p5en.48xlarge", "p4d.24xlarge"),
    nodes: fc.integer({ min: 1, max: 2000 }),
    availabilityZoneId: fc.constantFrom("eun1-az1", "eun1-az2", "eun1-az3"),
  });
  // Each pool on a reservation of its own, delivered in its zone and as large as the pool.
  const delivered = (p: { nodes: number; availabilityZoneId: string }, i: number) => ({
    ...p,
    capacity: { source: "odcr", reservations: [{ reservationId: `cr-${i.toString(16).padStart(17, "0")}`, availabilityZoneId: p.availabilityZoneId, instances: p.nodes }] },
  });
  const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), { minLength: 1, maxLength: 5 });

  it("validate, and the spec's pools and tenants refer to each other both ways", () => {
    fc.assert(
      fc.property(names, fc.array(pool, { minLength: 5, maxLength: 5 }), names, (poolNames, pools, tenantNames) => {
        const doc = {
          preset: "gigafactory",
          costCenter: "cc",
          pools: Object.fromEntries(poolNames.map((n, i) => [n, delivered(pools[i], i)])),
          tenants: Object.fromEntries(tenantNames.map((n) => [n, { gpuQuota: 8 }])),
        };
        const v = validateSpec(doc, { stack: "p", region: "eu-north-1" });
        wellFormed(v);
        expect(v.spec).toBeDefined();
        for (const [p, spec] of Object.entries(v.spec!.pools)) {
          for (const t of spec.tenants) expect(v.spec!.tenants[t].pools).toContain(p);
        }
        for (const [t, spec] of Object.entries(v.spec!.tenants)) {
          for (const p of spec.pools) expect(v.spec!.pools[p].tenants).toContain(t);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("loading any text", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gf-prop-"));
  const yamlish = fc
    .array(fc.oneof(fc.constantFrom("config:", "\n", "  ", "- ", ": ", "gigafactory:factory:", "aws:region: eu-north-1", "&a ", "*a", "!!str ", "{", "}", "[", "]", "'", '"', "#", "\t", "---", "? ", "|", ">", "<<: *a"), fc.string()), { maxLength: 40 })
    .map((parts) => parts.join(""));
  const asStack = fc.anything().map((v) => stringify({ config: { "aws:region": "eu-north-1", "gigafactory:factory": v } }));
  const text = fc.oneof(fc.string(), yamlish, asStack);

  it("loadStack answers any file with findings or config, never an exception, and locate never throws", () => {
    fc.assert(
      fc.property(text, fc.string(), (content, p) => {
        fs.writeFileSync(path.join(dir, "Pulumi.any.yaml"), content);
        const loaded = loadStack(dir, "any");
        expect(Array.isArray(loaded.findings)).toBe(true);
        loaded.locate(p);
        loaded.locate(`gigafactory:factory.${p}`);
        const v = validateSpec(loaded.config["gigafactory:factory"], { stack: "any", region: "eu-north-1" });
        wellFormed(v);
        for (const f of v.findings) loaded.locate(f.path);
      }),
      { numRuns: 200 },
    );
  });

  it("readTenantsFile answers any file, never an exception", () => {
    fc.assert(
      fc.property(text, (content) => {
        fs.writeFileSync(path.join(dir, "tenants.any.yaml"), content);
        const read = readTenantsFile(dir, "tenants.any.yaml");
        expect(Array.isArray(read.findings)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
