import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringifySnapshot } from "../../plan/snapshot";
import { FINDING_FORM } from "../fixtures/spec/finding-form";
import { gigafactory, STACK_FRAME } from "../support/cli-run";
import { plannedSnapshot } from "../support/planned-stacks";

// Hostile input as a user meets it: `gigafactory plan` answers each spec with exit 2 and one line per finding in
// the promised form, `check` answers a snapshot that breaks a policy with exit 1, and a broken one with exit 2;
// never a stack trace, always in well under 30 seconds.

const scratch = mkdtempSync(join(tmpdir(), "gf-hostile-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const POOL = "preset: dev\ncostCenter: cc\npools:\n  try:\n    instanceType: p5.48xlarge\n    nodes: 2\n    availabilityZone: eu-north-1a\ntenants:\n  team-a:\n    gpuQuota: 8\n";

function project(name: string, stackText: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Pulumi.yaml"), "name: gigafactory\nruntime: nodejs\nmain: index.ts\n");
  writeFileSync(join(dir, "Pulumi.s.yaml"), stackText);
  return dir;
}
const factory = (body: string) => `config:\n  aws:region: eu-north-1\n  gigafactory:factory:\n${body.replace(/^/gm, "    ")}\n`;

const CASES: [name: string, text: () => string, first: RegExp][] = [
  ["a billion nodes", () => factory(POOL.replace("nodes: 2", "nodes: 1000000000")), /^error gigafactory:factory\.pools\.try\.nodes: 1,000,000,000 nodes is more than any factory can use/],
  ["a tenant named __proto__", () => factory(POOL.replace("team-a:", "__proto__:")), /^error gigafactory:factory\.tenants\.__proto__: the key "__proto__" is the name of an object's internals/],
  ["an unknown YAML tag", () => factory(POOL.replace("costCenter: cc", "costCenter: !ruby/object:Gem::Installer cc")), /^error gigafactory:factory\.costCenter: unknown YAML tag at line \d+, column \d+/],
  ["a cost centre with a line break", () => factory(POOL.replace("costCenter: cc", 'costCenter: "cc\\nerror forged: x — y"')), /^error gigafactory:factory\.costCenter: .*"cc\\nerror forged/],
  ["tenantsFile: .", () => factory(`${POOL}tenantsFile: .\n`), /^error gigafactory:factory\.tenantsFile: tenantsFile \. cannot be used: it names the folder of the stack files itself/],
  ["broken YAML", () => factory(POOL).replace("    preset: dev", "    preset: dev\n  bad: [1, 2"), /^error config\.bad(\[\d+\])?: not valid YAML at line \d+, column \d+/],
  ["50 MB of comment", () => `${factory(POOL)}#${"x".repeat(50 * 1024 * 1024)}\n`, /^error config: .* is 50\.0 MiB, larger than any spec/],
  ["a directory's secret in another region", () => factory(`${POOL}slurm: { identity: { sssd: { secretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:corp/sssd-AbC123" } } }\n`), /^error gigafactory:factory\.slurm\.identity\.sssd\.secretArn: the secret is in eu-west-1, not the stack's region eu-north-1 — replicate/],
  ["25,000 tag keys", () => factory(`${POOL}tags:\n${Array.from({ length: 25_000 }, (_, i) => `  k${i}: v`).join("\n")}`), /^error gigafactory:factory\.tags: 25,000 tags, more than 50/],
];

describe("gigafactory plan, hostile specs", () => {
  it.each(CASES)("answers %s with exit 2, one line per finding in the promised form, quickly", async (name, text, first) => {
    const dir = project(name.replace(/\W+/g, "-"), text());
    const started = performance.now();
    const r = await gigafactory(["plan", "--stack", "s", "--dir", dir]);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(STACK_FRAME);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(first);
    for (const line of lines) expect(line.replace(/ \([^()]*:\d+:\d+\)$/, "")).toMatch(FINDING_FORM);
  });
});

describe("gigafactory check, hostile snapshots", () => {
  it("exits 1 on a snapshot whose inputs carry a database password in plain text, naming it", async () => {
    const s = structuredClone(await plannedSnapshot("dev"));
    s.resources.find((r) => r.type === "aws:rds/instance:Instance")!.inputs.password = "correct-horse-battery";
    const file = join(scratch, "leaky.json");
    writeFileSync(file, stringifySnapshot(s));
    const r = await gigafactory(["check", "--snapshot", file, "--pack", "secrets"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/`password` holds a secret in plain text/);
  });

  it("exits 2 on a snapshot with a key naming an object's internals, at its JSON path", async () => {
    const text = stringifySnapshot(structuredClone(await plannedSnapshot("dev"))).replace('"format"', `"__proto__": {}, "format"`);
    const file = join(scratch, "proto.json");
    writeFileSync(file, text);
    const r = await gigafactory(["check", "--snapshot", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error .*proto\.json: __proto__: the key "__proto__" names an object's internals — /);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});
