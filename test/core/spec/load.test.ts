import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { designFactory } from "../../../core/design";
import { formatFinding, hasErrors } from "../../../core/spec/format";
import { loadStack, readTenantsFile } from "../../../core/spec/load";
import { validateSpec } from "../../../core/spec/validate";

// Stack files as they are on disk: read, located, and reported with file:line:column.

const DIR = path.join(__dirname, "../../fixtures", "spec");
const STACKS = path.join(__dirname, "../../..", "stacks");

describe("loading a stack file", () => {
  it("reads the stack's config with its region and factory", () => {
    const loaded = loadStack(DIR, "good");
    expect(loaded.findings).toEqual([]);
    expect(loaded.file).toBe(path.join(DIR, "Pulumi.good.yaml"));
    expect(loaded.config["aws:region"]).toBe("eu-north-1");
    expect(loaded.config["gigafactory:factory"]).toMatchObject({ preset: "dev" });
  });

  it("locates a finding's path at the line and column where its key is written", () => {
    const loaded = loadStack(DIR, "good");
    expect(loaded.locate("gigafactory:factory.pools.train.instanceType")).toEqual({ line: 8, column: 9 });
    expect(loaded.locate("aws:region")).toEqual({ line: 3, column: 3 });
    expect(loaded.locate("gigafactory:factory")).toEqual({ line: 4, column: 3 });
  });

  it("locates a missing key at the nearest key that is written", () => {
    expect(loadStack(DIR, "good").locate("gigafactory:factory.pools.train.capacity.source")).toEqual({ line: 7, column: 7 });
  });

  it("a typo in a key is reported with its did-you-mean at file:line:column", () => {
    const loaded = loadStack(DIR, "typo");
    const v = validateSpec(loaded.config["gigafactory:factory"], { stack: "typo", region: "eu-north-1" });
    const typo = v.findings.find((f) => f.path.endsWith("instanceTyp"))!;
    expect(formatFinding(typo, { file: "Pulumi.typo.yaml", ...loaded.locate(typo.path)! })).toBe(
      "error gigafactory:factory.pools.train.instanceTyp: unknown key instanceTyp — did you mean instanceType? keys here: instanceType, nodes, gpus, availabilityZone, availabilityZoneId, capacity, placement, maxPodsPerNode, tenants, labels, slurm, image, rollout (Pulumi.typo.yaml:7:9)",
    );
  });

  it("broken YAML is an error naming the line and column", () => {
    const loaded = loadStack(DIR, "broken");
    expect(hasErrors(loaded.findings)).toBe(true);
    expect(loaded.findings[0].message).toMatch(/^not valid YAML at line \d+, column \d+: /);
    // The YAML path as far as the broken document holds it, never the file's path.
    expect(loaded.findings[0].path).not.toContain(loaded.file);
    expect(loaded.findings[0].path).toMatch(/^(config|gigafactory:factory|aws:region)/);
  });

  it("a duplicate key is an error at its second occurrence", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gf-spec-"));
    fs.writeFileSync(path.join(dir, "Pulumi.dup.yaml"), "config:\n  aws:region: eu-north-1\n  aws:region: eu-west-1\n");
    const f = loadStack(dir, "dup").findings[0];
    expect(f.path).toBe("aws:region");
    expect(f.message).toMatch(/^duplicate key at line 3, column 3: the key "aws:region" is written twice/);
    expect(f.hint).toMatch(/each key may appear once/);
  });

  it("a missing stack file lists the stacks that exist, with a did-you-mean", () => {
    const loaded = loadStack(STACKS, "gigafactry");
    expect(loaded.findings).toHaveLength(1);
    expect(loaded.findings[0].hint).toBe("did you mean gigafactory? stacks: ai-factory, dev, gigafactory");
  });

  it("a stack name with a path in it finds no file outside the folder", () => {
    expect(hasErrors(loadStack(DIR, "../../package").findings)).toBe(true);
  });

  it("a fully qualified stack name reads the short name's file", () => {
    expect(loadStack(DIR, "acme/gigafactory/good").findings).toEqual([]);
  });

  it("a stack without gigafactory:factory is an error", () => {
    const f = loadStack(DIR, "nofactory").findings;
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ path: "gigafactory:factory", level: "error" });
  });

  it("a gigafactory:factory that is a list is an error", () => {
    expect(loadStack(DIR, "listfactory").findings[0].message).toMatch(/must be a map of keys, got a list/);
  });

  it("reads factory: as the project's own gigafactory:factory, and locates paths in it", () => {
    const loaded = loadStack(DIR, "short");
    expect(loaded.findings).toEqual([]);
    expect(loaded.config["gigafactory:factory"]).toMatchObject({ preset: "dev" });
    expect(loaded.locate("gigafactory:factory.pools.train.gpus")).toEqual({ line: 9, column: 9 });
  });

  it("a YAML alias to its own parent is an error, not a hang", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gf-spec-"));
    fs.writeFileSync(path.join(dir, "Pulumi.loop.yaml"), "config: &c\n  aws:region: eu-north-1\n  gigafactory:factory:\n    loop: *c\n");
    expect(loadStack(dir, "loop").findings[0].message).toMatch(/refers to itself/);
  });

  it("the repository's own stacks load and validate without errors", () => {
    for (const stack of ["dev", "ai-factory", "gigafactory"]) {
      const loaded = loadStack(STACKS, stack);
      expect(loaded.findings, stack).toEqual([]);
      const raw = loaded.config["gigafactory:factory"] as Record<string, unknown>;
      const file = typeof raw.tenantsFile === "string" ? readTenantsFile(STACKS, raw.tenantsFile) : undefined;
      expect(file?.findings ?? [], stack).toEqual([]);
      const v = validateSpec(raw, {
        stack,
        region: loaded.config["aws:region"] as string,
        tenantsFile: file && typeof raw.tenantsFile === "string" ? { path: raw.tenantsFile, raw: file.raw } : undefined,
      });
      expect(v.findings.filter((f) => f.level === "error"), stack).toEqual([]);
      expect(v.spec, stack).toBeDefined();
    }
  });
});

describe("reading a tenants file", () => {
  it("reads the file and validates its tenants under the file's name", () => {
    const loaded = loadStack(DIR, "withtenants");
    const file = readTenantsFile(DIR, "tenants.withtenants.yaml");
    expect(file.findings).toEqual([]);
    const v = validateSpec(loaded.config["gigafactory:factory"], { stack: "withtenants", region: "eu-north-1", tenantsFile: { path: "tenants.withtenants.yaml", raw: file.raw } });
    const f = v.findings.find((x) => x.path === "tenants.withtenants.yaml:tenants.beta.gpuQuotaa")!;
    expect(f.hint).toMatch(/^did you mean gpuQuota\?/);
    expect(file.locate(f.path)).toEqual({ line: 7, column: 5 });
  });

  it("is read by the design of a stack that names it", () => {
    const loaded = loadStack(DIR, "withtenants");
    const design = designFactory({ raw: loaded.config["gigafactory:factory"], region: "eu-north-1", stack: "withtenants", stackDir: DIR });
    expect(design.findings.map((f) => f.path)).toContain("tenants.withtenants.yaml:tenants.beta.gpuQuotaa");
  });

  it("a duplicate tenant in the file is a YAML error with its line", () => {
    const file = readTenantsFile(DIR, "tenants.broken.yaml");
    expect(file.raw).toBeUndefined();
    expect(file.findings[0].path).toBe("tenants.broken.yaml:tenants.acme");
    expect(file.findings[0].message).toMatch(/^duplicate key at line 4, column 3: the key "acme" is written twice/);
  });

  it("a missing file is an error at tenantsFile", () => {
    const file = readTenantsFile(DIR, "tenants.nowhere.yaml");
    expect(file.findings[0]).toMatchObject({ path: "gigafactory:factory.tenantsFile", level: "error" });
    expect(file.findings[0].hint).toMatch(/tenants\.withtenants\.yaml/);
  });

  it("a path that leaves the stack folder is refused before anything is read", () => {
    for (const p of ["../blueprint/spec.ts", "/etc/passwd", "sub/../../x.yaml"]) {
      const file = readTenantsFile(DIR, p);
      expect(file.raw, p).toBeUndefined();
      expect(file.findings[0].message, p).toMatch(/cannot be used/);
    }
  });

  it("a link that leads outside the stack folder is refused", () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "gf-out-"));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gf-spec-"));
    fs.writeFileSync(path.join(outside, "t.yaml"), "tenants: {}\n");
    fs.symlinkSync(path.join(outside, "t.yaml"), path.join(dir, "tenants.yaml"));
    expect(readTenantsFile(dir, "tenants.yaml").findings[0].message).toMatch(/links outside/);
  });
});

describe("formatting a finding", () => {
  const f = { path: "gigafactory:factory.pools.train.instanceType", level: "error" as const, message: "p6-b200.48xlarge is not offered in eu-north-1", hint: "use p5en.48xlarge or p5.48xlarge, or choose another region" };

  it("reads level, path, message and hint on one line", () => {
    expect(formatFinding(f)).toBe("error gigafactory:factory.pools.train.instanceType: p6-b200.48xlarge is not offered in eu-north-1 — use p5en.48xlarge or p5.48xlarge, or choose another region");
  });

  it("appends where the path is written when known", () => {
    expect(formatFinding(f, { file: "stacks/Pulumi.gigafactory.yaml", line: 12, column: 7 })).toMatch(/ \(stacks\/Pulumi\.gigafactory\.yaml:12:7\)$/);
    expect(formatFinding(f, "stacks/Pulumi.gigafactory.yaml:12:7")).toMatch(/ \(stacks\/Pulumi\.gigafactory\.yaml:12:7\)$/);
  });

  it("leaves out the dash when there is no hint", () => {
    expect(formatFinding({ ...f, level: "warning", hint: "" })).toBe("warning gigafactory:factory.pools.train.instanceType: p6-b200.48xlarge is not offered in eu-north-1");
  });

  it("hasErrors ignores warnings and infos", () => {
    expect(hasErrors([{ ...f, level: "warning" }, { ...f, level: "info" }])).toBe(false);
    expect(hasErrors([{ ...f, level: "warning" }, f])).toBe(true);
  });
});
