import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import * as B from "../../../core/catalog/spec-bounds";
import { designFactory } from "../../../core/design";
import { formatFinding } from "../../../core/spec/format";
import { loadStack } from "../../../core/spec/load";
import { CONFIG_KEY, type Finding } from "../../../core/spec/schema";
import { expectForm } from "../../fixtures/spec/finding-form";
import { aiFactoryDoc } from "../../fixtures/spec/specs";

// Hostile specs of every family (numbers past any ceiling, maps and lists past their bounds, keys that name an
// object's internals, deep nesting, long and control-laden text, unknown YAML tags), written as stack files
// and answered as `gigafactory plan` answers them: quickly, with an error, one line per finding in the form
// `error <yaml.path>: <what is wrong> — <what to do>`, never an exception.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gf-hostile-"));
let counter = 0;

/** Writes the document as a stack file, loads and designs it as the plan does; the time it took in ms. */
function answer(yamlText: string): { findings: Finding[]; planned: boolean; ms: number } {
  const stack = `h${counter++}`;
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), yamlText);
  // CPU time, not wall time: the answer is one synchronous pass, and a busy machine must not fail the bound.
  const started = process.cpuUsage();
  const loaded = loadStack(dir, stack);
  let findings = loaded.findings;
  let planned = false;
  if (!findings.some((f) => f.level === "error")) {
    const design = designFactory({ raw: loaded.config[CONFIG_KEY], region: "eu-north-1", stack, stackDir: dir });
    findings = [...findings, ...design.findings];
    planned = design.blueprint !== undefined;
  }
  const used = process.cpuUsage(started);
  return { findings, planned, ms: (used.user + used.system) / 1000 };
}

const stackText = (factory: unknown) => stringify({ config: { "aws:region": "eu-north-1", [CONFIG_KEY]: factory } });

type Doc = Record<string, any>;
type Family = { name: string; build: (doc: Doc) => void };

const manyKeys = (n: number, value: (i: number) => unknown) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value(i)]));
const deep = (depth: number): unknown => {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = { n: v };
  return v;
};

const bigNumber = fc.oneof(fc.integer({ min: B.MAX_FACTORY_GPUS + 1, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(1e9, 1e15, 1e300));
const RESERVED = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];

const families: fc.Arbitrary<Family> = fc.oneof(
  bigNumber.map((n) => ({ name: `pool nodes ${n}`, build: (d: Doc) => (d.pools.train.nodes = n) })),
  bigNumber.map((n) => ({ name: `pool gpus ${n}`, build: (d: Doc) => ((d.pools.train.gpus = n), delete d.pools.train.nodes) })),
  bigNumber.map((n) => ({ name: `gpu quota ${n}`, build: (d: Doc) => (d.tenants.acme.gpuQuota = n) })),
  fc.constantFrom("storage.datasetTB", "storage.checkpoint.keep", "storage.lustre.metadataIops", "network.flowLogRetentionDays").chain((at) =>
    bigNumber.map((n) => ({ name: `${at} ${n}`, build: (d: Doc) => setAt(d, at, n) })),
  ),
  fc.integer({ min: B.MAX_TAGS + 1, max: 400 }).map((n) => ({ name: `${n} tags`, build: (d: Doc) => (d.tags = manyKeys(n, () => "v")) })),
  fc.integer({ min: B.MAX_POOLS + 1, max: 300 }).map((n) => ({ name: `${n} pools`, build: (d: Doc) => (d.pools = manyKeys(n, () => ({ instanceType: "p5.48xlarge", nodes: 1, availabilityZone: "eu-north-1a" }))) })),
  fc.integer({ min: B.MAX_TENANTS + 1, max: B.MAX_TENANTS + 500 }).map((n) => ({ name: `${n} tenants`, build: (d: Doc) => (d.tenants = manyKeys(n, () => ({ gpuQuota: 1 }))) })),
  fc.integer({ min: B.MAX_PRIORITIES + 1, max: 300 }).map((n) => ({ name: `${n} priorities`, build: (d: Doc) => (d.priorities = manyKeys(n, (i) => i)) })),
  fc.constantFrom(...RESERVED).chain((key) =>
    fc.constantFrom("tenants", "pools", "tags", "priorities", "pools.train.labels").map((at) => ({ name: `reserved key ${key} in ${at}`, build: (d: Doc) => defineKey(getAt(d, at) ?? setAt(d, at, {}), key, at === "tenants" ? { gpuQuota: 8 } : at === "pools" ? d.pools.train : "v") })),
  ),
  fc.integer({ min: B.MAX_NESTING + 1, max: 400 }).map((n) => ({ name: `nested ${n} deep`, build: (d: Doc) => (d.tenants.acme.contact = deep(n)) })),
  fc.integer({ min: B.MAX_TEXT_CHARS + 1, max: 200_000 }).map((n) => ({ name: `text of ${n} characters`, build: (d: Doc) => (d.costCenter = "x".repeat(n)) })),
  fc.constantFrom("\n", "\r\nerror x: y", "\u001b[31m", "\u2028", "\u202e", "\t\u0000").map((c) => ({ name: `control ${JSON.stringify(c)} in text`, build: (d: Doc) => (d.costCenter = `cc${c}z`) })),
);

function getAt(d: Doc, at: string): any {
  return at.split(".").reduce<any>((o, k) => (o && Object.hasOwn(o, k) ? o[k] : undefined), d);
}
function setAt(d: Doc, at: string, v: unknown): any {
  const keys = at.split(".");
  let o = d;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys[keys.length - 1]] = v;
  return v;
}
function defineKey(o: object, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

describe("hostile specs", () => {
  it("every family is refused with exit-2 errors in the promised form, quickly, and never planned", () => {
    fc.assert(
      fc.property(families, (family) => {
        const doc = aiFactoryDoc();
        family.build(doc);
        const { findings, planned, ms } = answer(stackText(doc));
        expect(planned, family.name).toBe(false);
        expect(findings.some((f) => f.level === "error"), family.name).toBe(true);
        expectForm(findings);
        expect(findings.length, family.name).toBeLessThanOrEqual(30);
        expect(ms, family.name).toBeLessThan(5_000);
      }),
      { numRuns: 60 },
    );
  });

  it("an unknown YAML tag anywhere is an error naming its YAML path and line, never ignored", () => {
    const paths = ["costCenter", "pools.train.instanceType", "tenants.acme.gpuQuota", "name"];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.constantFrom("!ruby/object:Gem::Installer", "!!python/object/apply:os.system", "!custom", "!!binary"), (at, tag) => {
        const doc = aiFactoryDoc();
        const key = at.split(".").pop()!;
        const text = stackText(doc).replace(new RegExp(`(\\n\\s+${key}: )`), `$1${tag} `);
        const { findings, planned } = answer(text);
        expect(planned).toBe(false);
        const tagged = findings.find((f) => /unknown YAML tag|not valid YAML/.test(f.message));
        expect(tagged?.path).toBe(`${CONFIG_KEY}.${at}`);
        expect(tagged?.message).toMatch(/at line \d+, column \d+/);
        expectForm(findings);
      }),
      { numRuns: 16 },
    );
  });

  it("the largest factory the bounds allow, 45,000 nodes in units of one, is sized and answered in seconds", () => {
    const doc = aiFactoryDoc();
    doc.scalableUnit = { nodes: 1 };
    doc.pools.train.nodes = B.MAX_FACTORY_NODES;
    const { findings, ms } = answer(stackText(doc));
    expect(findings.some((f) => f.level === "error")).toBe(true);
    expectForm(findings);
    expect(ms).toBeLessThan(10_000);
  });

  it("a file far past any spec's size is refused before it is read, in well under a second", () => {
    const file = path.join(dir, "Pulumi.huge.yaml");
    fs.writeFileSync(file, `${stackText(aiFactoryDoc())}#${"x".repeat(50 * 1024 * 1024)}\n`);
    const started = performance.now();
    const loaded = loadStack(dir, "huge");
    expect(performance.now() - started).toBeLessThan(500);
    expect(loaded.findings.map((f) => formatFinding(f))).toEqual([expect.stringMatching(/^error config: .*Pulumi\.huge\.yaml is 50\.0 MiB, larger than any spec \(4 MiB holds 1,000 tenants\) — /)]);
  });

  it("a stack file of 250,000 tag keys is answered in seconds, with one line", () => {
    const tags = Array.from({ length: 250_000 }, (_, i) => `t${i}: v`).join(", ");
    const text = stackText(aiFactoryDoc()).replace(`${CONFIG_KEY}:\n`, `${CONFIG_KEY}:\n    tags: { ${tags.slice(0, B.MAX_FILE_BYTES - 4096).replace(/, [^,]*$/, "")} }\n`);
    const { findings, ms } = answer(text);
    expect(findings.map((f) => formatFinding(f))).toEqual([expect.stringMatching(/^error gigafactory:factory\.tags: the document holds more than 100,000 keys and list items/)]);
    expect(ms).toBeLessThan(15_000);
  });
});
