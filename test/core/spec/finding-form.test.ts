import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadStack, readTenantsFile } from "../../../core/spec/load";
import type { PathSegment } from "../../../core/spec/paths";
import type { Finding } from "../../../core/spec/schema";
import { aiFactoryDoc, validate } from "../../fixtures/spec/specs";
import { expectForm } from "../../fixtures/spec/finding-form";

// Every error the validators can produce, in the promised form: each path of a spec that uses every section,
// given every kind of wrong value (and taken away, and given an unknown sibling), and every YAML problem the
// loader reports. Each finding reads `error <yaml.path>: <what is wrong> — <what to do>` on one line.

function everySection(): Record<string, any> {
  const doc = aiFactoryDoc();
  doc.pools.burst = { instanceType: "p5.48xlarge", nodes: 32, availabilityZone: "eu-north-1b", capacity: { source: "capacity-block", blocks: [{ reservationId: "cr-0123456789abcdef0", instances: 32 }] }, placement: "none", tenants: ["acme"], labels: { "example.org/team": "ml" }, slurm: { realMemoryMiB: 1000, coreSpecCount: 2 }, maxPodsPerNode: 50 };
  doc.network = { vpcCidrs: ["10.0.0.0/16"], podAddressing: "prefix-delegation", maxPodsPerNode: 32, systemAvailabilityZones: ["eu-north-1a", "eu-north-1b"], natGateway: false, flowLogRetentionDays: 90 };
  doc.access = { runner: { enabled: true, timeoutMinutes: 60 }, operatorCidrs: ["10.8.0.0/16"], operatorSecurityGroupIds: ["sg-0123456789abcdef0"], publicEndpointCidrs: [] };
  doc.storage = { checkpoint: { modelParameters: "70B", bytesPerParameter: 14, seconds: 60, keep: 2 }, datasetTB: 10, readMBpsPerGpu: 1, datasetFiles: "4M", lustre: { efa: true, metadataIops: 12000 } };
  doc.priorities = { urgent: 5000 };
  doc.scalableUnit = { nodes: 16 };
  doc.kubernetes = { version: "1.33" };
  doc.quotas = { requestIncreases: false };
  doc.slurm = { identity: { sssd: { secretArn: "arn:aws:secretsmanager:eu-north-1:111122223333:secret:directory/sssd-conf-AbC123" } } };
  doc.tags = { team: "ml" };
  doc.dataClassification = "internal";
  doc.tenants.acme = { gpuQuota: 64, priority: "urgent", costCenter: "cc-acme", dataClassification: "confidential", pools: ["train", "burst"], borrowingLimitGpus: 8, lendingLimitGpus: 8, contact: "ops@acme.example" };
  return doc;
}

function pathsOf(doc: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  const out: PathSegment[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (doc && typeof doc === "object") for (const [k, v] of Object.entries(doc)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

const WRONG: unknown[] = [null, -1, 0, 0.5, 7, 1e9, "", "x".repeat(300), "bad\nerror forged: line — do", "EU-NORTH-1A", [], ["a", 1], {}, { nope: 1 }, true];

function variants(doc: Record<string, any>, at: PathSegment[]): unknown[] {
  const out: unknown[] = [];
  const edit = (f: (parent: any, last: PathSegment) => void) => {
    const copy = structuredClone(doc);
    let parent: any = copy;
    for (const s of at.slice(0, -1)) parent = parent[s];
    f(parent, at[at.length - 1]);
    out.push(copy);
  };
  for (const value of WRONG) edit((p, last) => (p[last] = value));
  edit((p, last) => (Array.isArray(p) ? p.splice(last as number, 1) : delete p[last]));
  edit((p) => {
    if (!Array.isArray(p)) p.unknownKeyz = 1;
  });
  return out;
}

describe("every finding in the promised form", () => {
  it("the validators' findings for every wrong value at every path of a spec", () => {
    const doc = everySection();
    expect(validate(doc).findings.filter((f) => f.level === "error")).toEqual([]);
    const seen = new Map<string, Finding>();
    for (const at of pathsOf(doc)) {
      for (const variant of variants(doc, at)) {
        for (const f of validate(variant).findings) seen.set(`${f.level} ${f.path} ${f.message}`, f);
      }
    }
    expect(seen.size).toBeGreaterThan(300);
    expectForm([...seen.values()]);
  });

  it("the loader's findings for broken, tagged, duplicated, aliased and misplaced YAML", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gf-form-"));
    const texts = [
      "config:\n  aws:region: eu-north-1\n  gigafactory:factory: [1, 2\n",
      "config:\n  aws:region: eu-north-1\n  aws:region: eu-west-1\n",
      "config:\n  gigafactory:factory:\n    preset: !ruby/object:Foo dev\n",
      "config:\n  gigafactory:factory: &a\n    x: *a\n",
      "config:\n\tgigafactory:factory: {}\n",
      "just text",
      "config: 3\n",
      "config:\n  gigafactory:factory: 3\n  aws:region: [eu]\n",
      "config:\n  gigafactory:factory:\n    tenantsFile: .\n    preset: dev\n",
      "",
    ];
    const findings: Finding[] = [];
    texts.forEach((text, i) => {
      fs.writeFileSync(path.join(dir, `Pulumi.s${i}.yaml`), text);
      findings.push(...loadStack(dir, `s${i}`).findings);
    });
    findings.push(...loadStack(dir, "missing").findings);
    fs.writeFileSync(path.join(dir, "tenants.t.yaml"), "tenants:\n  a: {gpuQuota: 1}\n  a: {gpuQuota: 2}\n");
    findings.push(...readTenantsFile(dir, "tenants.t.yaml").findings, ...readTenantsFile(dir, ".").findings, ...readTenantsFile(dir, "../x.yaml").findings, ...readTenantsFile(dir, "none.yaml").findings);
    expect(findings.length).toBeGreaterThan(12);
    expectForm(findings);
  });
});
