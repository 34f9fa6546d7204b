import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { gigafactoryInProcess as gigafactory } from "../support/cli-run";
import { renderFiles, type Renderer } from "../../cli/commands/render-run";
import { renderSlurm } from "../../core/render/slurm";
import { stackBlueprint } from "../fixtures/slurm/stacks";

// `gigafactory render --stack S --out DIR`: the Slurm files under DIR/slurm, exit 0; bad input, exit 2 and no files.

const scratch = mkdtempSync(join(tmpdir(), "gf-render-"));


/** A Pulumi project of one stack whose factory is `factory` (YAML under gigafactory:factory). */
function project(name: string, region: string, factory: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Pulumi.yaml"), "name: gigafactory\nruntime: nodejs\nmain: index.ts\n");
  writeFileSync(join(dir, "Pulumi.s.yaml"), `config:\n  aws:region: ${region}\n  gigafactory:factory:\n${factory.replace(/^/gm, "    ")}\n`);
  return dir;
}

const POOL = "preset: dev\npools:\n  train:\n    instanceType: p5.48xlarge\n    nodes: 2\n    availabilityZone: eu-north-1a\n";

afterEach(() => {
  process.exitCode = undefined;
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("gigafactory render", () => {
  it("writes the dev stack's Slurm files under slurm/ and exits 0", async () => {
    const out = join(scratch, "dev");
    const r = await gigafactory("render", "--stack", "dev", "--out", out);
    expect(r.code, r.stderr).toBe(0);
    const expected = renderSlurm(stackBlueprint("dev"));
    expect(r.stdout.trim().split("\n").filter((line) => line.startsWith(join(out, "slurm")))).toEqual(expected.map((f) => join(out, f.path)));
    for (const f of expected) expect(readFileSync(join(out, f.path), "utf8")).toBe(f.content);
    expect(statSync(join(out, "slurm", "accounts.sh")).mode & 0o777).toBe(0o755);
    expect(statSync(join(out, "slurm", "slurm.conf")).mode & 0o777).toBe(0o644);
  });

  it("fixes each file's mode over files already there, and names --out when it cannot write", async () => {
    const out = join(scratch, "again");
    mkdirSync(join(out, "slurm"), { recursive: true });
    writeFileSync(join(out, "slurm", "accounts.sh"), "old\n", { mode: 0o600 });
    writeFileSync(join(out, "slurm", "slurm.conf"), "old\n", { mode: 0o755 });
    const r = await gigafactory("render", "--stack", "dev", "--out", out);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(join(out, "slurm", "accounts.sh")).mode & 0o777).toBe(0o755);
    expect(statSync(join(out, "slurm", "slurm.conf")).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(out, "slurm", "slurm.conf"), "utf8")).not.toBe("old\n");

    const file = join(scratch, "a-file");
    writeFileSync(file, "");
    const refused = await gigafactory("render", "--stack", "dev", "--out", file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^error ${file}/\\S+: cannot be written \\((ENOTDIR|EEXIST)\\) — check that --out names a folder you can write to$`, "m"));
  });

  it("exits 2 with the tenant's path when a tenant cannot be a Slurm account, and writes nothing", async () => {
    const dir = project("root-tenant", "eu-north-1", `${POOL}tenants:\n  root:\n    gpuQuota: 8\n`);
    const out = join(scratch, "root-out");
    const r = await gigafactory("render", "--stack", "s", "--dir", dir, "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error gigafactory:factory\.tenants\.root: tenant root would be Slurm's account root/m);
    expect(existsSync(out)).toBe(false);
  });

  it("exits 2 when a pool would be a partition name Slurm reserves", async () => {
    const dir = project("pool-default", "eu-north-1", POOL.replace("  train:", "  default:"));
    const r = await gigafactory("render", "--stack", "s", "--dir", dir, "--out", join(scratch, "default-out"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error gigafactory:factory\.pools\.default: pool default would be the Slurm partition default/m);
  });

  it("exits 2 with the field's path when a pool promises Slurm more memory than its nodes have", async () => {
    const dir = project("big-memory", "eu-north-1", `${POOL}    slurm:\n      realMemoryMiB: 4194304\n`);
    const out = join(scratch, "big-memory-out");
    const r = await gigafactory("render", "--stack", "s", "--dir", dir, "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error gigafactory:factory\.pools\.train\.slurm\.realMemoryMiB: .*Low RealMemory/m);
    expect(existsSync(out)).toBe(false);
  });

  it("exits 2 when a pool keeps every core from jobs, and on an unknown Slurm field", async () => {
    const cores = await gigafactory("render", "--stack", "s", "--dir", project("all-cores", "eu-north-1", `${POOL}    slurm:\n      coreSpecCount: 96\n`), "--out", join(scratch, "cores-out"));
    expect(cores.code).toBe(2);
    expect(cores.stderr).toMatch(/^error gigafactory:factory\.pools\.train\.slurm\.coreSpecCount: /m);
    const typo = await gigafactory("render", "--stack", "s", "--dir", project("slurm-typo", "eu-north-1", `${POOL}    slurm:\n      realMemory: 1000\n`), "--out", join(scratch, "typo-out"));
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/gigafactory:factory\.pools\.train\.slurm/);
  });

  it("exits 2 on a spec the design rejects, printing its findings like plan does", async () => {
    const dir = project("bad-region", "us-east-1", POOL);
    const r = await gigafactory("render", "--stack", "s", "--dir", dir, "--out", join(scratch, "bad-out"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error aws:region: /m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("keeps every renderer's files inside its own folder", () => {
    const input = { spec: {} as never, blueprint: {} as never };
    const stray: Renderer = { folder: "kubernetes", render: () => [{ path: "slurm/slurm.conf", content: "" }] };
    expect(() => renderFiles(input, [stray])).toThrow(/outside its folder/);
    const twice: Renderer = { folder: "acceptance", render: () => [{ path: "acceptance/a.yaml", content: "" }, { path: "acceptance/./a.yaml", content: "" }] };
    expect(() => renderFiles(input, [twice])).toThrow(/acceptance\/a.yaml is written twice/);
  });
});
