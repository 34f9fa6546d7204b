import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe as group, expect, it } from "vitest";
import { gigafactoryInProcess as gigafactory } from "../support/cli-run";
import { stringifySnapshot } from "../../plan/snapshot";
import { PlanBuilder } from "../support/snapshot-builder";
import { factoryPlan } from "../fixtures/policies/factory-plan";

// `gigafactory check --snapshot FILE`: exit codes, the three outputs, one pack, policy config, residency evidence.

const dir = mkdtempSync(join(tmpdir(), "gf-check-"));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// The fixture is a partial plan for the residency and guardrails packs: no runner, no VPC endpoints. The proofs of
// the factory's own paths are not asked of it (test/policies/tenant-isolation holds them on the real plans).
const PARTIAL = { "deploy-path-reaches-api": "disabled", "gpu-nodes-reach-services": "disabled" };
const partial = (config: Record<string, unknown> = {}) => file(`config-${Object.keys(config).join("-") || "none"}.json`, JSON.stringify({ ...PARTIAL, ...config }));

const clean = file("clean.json", stringifySnapshot(factoryPlan().b.snapshot()));
const leaky = (() => {
  const f = factoryPlan();
  f.b.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "replicate", { bucket: "gf-checkpoints-1a2b3c4", rules: [{ destination: { bucket: "arn:aws:s3:::us-archive" } }] }, { provider: f.aws, dependsOn: [f.urns.bucket] });
  f.b.add("aws:cloudfront/distribution:Distribution", "cdn", { enabled: true }, { provider: f.aws });
  return file("leaky.json", stringifySnapshot(f.b.snapshot()));
})();


afterEach(() => {
  process.exitCode = undefined;
});

group("gigafactory check --snapshot", () => {
  it("exits 0 on a clean plan and says which packs ran", async () => {
    const r = await gigafactory("check", "--snapshot", clean, "--config", partial());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^check gigafactory\/test: \d+ resources, packs eu-residency@0\.1\.0, guardrails@0\.1\.0, secrets@0\.1\.0, tenant-isolation@0\.1\.0 — passed with 1 advisory finding/);
  });

  it("exits 1 on a mandatory violation, naming resource, policy, reason and fix", async () => {
    const r = await gigafactory("check", "--snapshot", leaky);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ mandatory  residency-data-egress (eu-residency)\n    resource: replicate (aws:s3/bucketReplicationConfig:BucketReplicationConfig)");
    expect(r.stdout).toContain("    reason:   `rules.0.destination.bucket` sends data to bucket us-archive, which this plan does not create, so its region cannot be proven");
    expect(r.stdout).toContain("    fix:      create the bucket in this plan in an allowed region");
  });

  it("runs one pack with --pack, and refuses a pack that does not exist", async () => {
    const guard = await gigafactory("check", "--snapshot", leaky, "--pack", "guardrails");
    expect(guard.code).toBe(0);
    expect(guard.stdout).toContain("packs guardrails@0.1.0 —");
    const typo = await gigafactory("check", "--snapshot", leaky, "--pack", "eu-residence");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('error check --pack: no pack named "eu-residence" — choose one of eu-residency, guardrails, secrets, tenant-isolation\n');
  });

  it("exits 2 with a clear message on a missing, broken or foreign snapshot, never a stack trace", async () => {
    const missing = await gigafactory("check", "--snapshot", join(dir, "nope.json"));
    expect([missing.code, missing.stderr]).toEqual([2, `error ${join(dir, "nope.json")}: cannot be read (ENOENT) — check the path\n`]);
    const broken = await gigafactory("check", "--snapshot", file("broken.json", "{ not json"));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^error .*broken\.json: not valid JSON/);
    const foreign = await gigafactory("check", "--snapshot", file("foreign.json", JSON.stringify({ format: "gigafactory.plan/v1", project: "p", stack: "s", blueprint: { totalGpus: 0 }, resources: [{ urn: "u" }] })));
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/is not a gigafactory\.plan\/v1 snapshot: resources\.0\.type/);
    const orphan = new PlanBuilder();
    orphan.add("aws:sqs/queue:Queue", "q", {}, { provider: "urn:pulumi:test::gigafactory::pulumi:providers:aws::gone::1" });
    const dangling = await gigafactory("check", "--snapshot", file("dangling.json", stringifySnapshot(orphan.snapshot())));
    expect(dangling.code).toBe(2);
    expect(dangling.stderr).toMatch(/names provider .* which the snapshot does not contain/);
    for (const r of [missing, broken, foreign, dangling]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 on a command line without exactly one plan, or a policy config the CLI would refuse", async () => {
    expect((await gigafactory("check")).code).toBe(2);
    expect((await gigafactory("check", "--snapshot", clean, "--stack", "dev")).code).toBe(2);
    const bad = await gigafactory("check", "--snapshot", clean, "--config", file("bad-config.json", JSON.stringify({ "residency-global-services": { exemptions: [{ resource: "cdn", justification: "because" }] } })));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(":residency-global-services.exemptions[0].justification: must NOT have fewer than 20 characters — write at least 20 characters");
  });

  it("applies a policy config: an exemption with its justification lets a global service through", async () => {
    const config = file("config.json", JSON.stringify({ ...PARTIAL, "residency-global-services": { exemptions: [{ resource: "cdn", justification: "Serves only the public model card, approved by the DPO." }] }, "residency-data-egress": "advisory" }));
    const r = await gigafactory("check", "--snapshot", leaky, "--config", config);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("! advisory   residency-data-egress");
  });

  it("writes JSON and markdown for tools and pull requests", async () => {
    const json = await gigafactory("check", "--snapshot", leaky, "--json", "--config", partial());
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ exitCode: 1, summary: { mandatory: 2, failures: 0 }, packs: [{ name: "eu-residency" }, { name: "guardrails" }, { name: "secrets" }, { name: "tenant-isolation" }] });
    expect(parsed.diagnostics.map((d: { policy: string }) => d.policy)).toEqual(["residency-data-egress", "residency-global-services", "residency-global-control-plane"]);
    const md = join(dir, "check.md");
    const both = await gigafactory("check", "--snapshot", leaky, "--markdown", md);
    expect(both.stdout).toMatch(/^check gigafactory\/test/);
    const markdown = readFileSync(md, "utf8");
    expect(markdown).toMatch(/^### ❌ Policy check: gigafactory\/test/);
    expect(markdown).toContain("| mandatory | `residency-global-services` | cdn (aws:cloudfront/distribution:Distribution) | aws:cloudfront/distribution:Distribution serves data from AWS's global edge, outside every region |");
    expect((await gigafactory("check", "--snapshot", leaky, "--json", "--markdown")).code).toBe(2);
  });
});

group("the markdown for a pull request", () => {
  it("keeps to a comment's size: the first 100 findings, then how many more", async () => {
    const b = new PlanBuilder({ "aws:region": "us-east-1" });
    for (let i = 0; i < 150; i++) b.add("aws:sqs/queue:Queue", `q${i}`, {}, {});
    const md = join(dir, "many.md");
    const r = await gigafactory("check", "--snapshot", file("many.json", stringifySnapshot(b.snapshot())), "--pack", "eu-residency", "--markdown", md);
    expect(r.code).toBe(1);
    const text = readFileSync(md, "utf8");
    expect(text.match(/^\| mandatory \|/gm)).toHaveLength(100);
    expect(text).toContain("… and 50 more: `gigafactory check --json` lists them all.");
    expect(text).toContain("| eu-residency | `residency-kubernetes-cluster` | mandatory | not applicable | 0 |");
  });
});

group("gigafactory check --evidence", () => {
  it("writes every resource's proven region, every flow out, the exemptions, the pack versions and the plan's hash", async () => {
    const evidence = join(dir, "evidence.md");
    const config = file("exempt.json", JSON.stringify({ "residency-global-services": { exemptions: [{ resource: "cdn", justification: "Serves only the public model card, approved by the DPO." }] } }));
    const r = await gigafactory("check", "--snapshot", leaky, "--config", config, "--evidence", evidence);
    expect(r.code).toBe(1);
    const text = readFileSync(evidence, "utf8");
    expect(text).toMatch(/^# Residency evidence: gigafactory\/test\n\n- Plan: `sha256:[0-9a-f]{64}`\n- Policy packs: eu-residency@0\.1\.0, guardrails@0\.1\.0, secrets@0\.1\.0, tenant-isolation@0\.1\.0\n- Allowed regions: eu-north-1, /);
    expect(text).toContain("| gf-lustre | `aws:fsx/lustreFileSystem:LustreFileSystem` | eu-north-1 | provider gf-aws |");
    expect(text).toContain("| gf-efa-device-plugin | `kubernetes:helm.sh/v3:Release` | eu-north-1 | kubeconfig of provider gf-k8s |");
    expect(text).toContain("| cdn | `aws:cloudfront/distribution:Distribution` | global edge | cloudfront is a global service |");
    expect(text).toContain("| gf-flow-log | `logDestination` | eu-north-1 | eu-north-1 | ARN | allowed |");
    expect(text).toContain("| gf-dra-checkpoints | `dataRepositoryPath` | bucket gf-checkpoints-1a2b3c4 in eu-north-1 | eu-north-1 | plan bucket gf-checkpoints | allowed |");
    expect(text).toContain("| replicate | `rules.0.destination.bucket` | bucket us-archive | — | none: the bucket is not created by this plan and an S3 name or ARN carries no region | **unproven** |");
    expect(text).toContain("| `residency-global-services` | cdn | cdn | Serves only the public model card, approved by the DPO. |");
  });

  it("gives the same plan the same hash", async () => {
    const a = join(dir, "a.md");
    const b = join(dir, "b.md");
    await gigafactory("check", "--snapshot", clean, "--evidence", a);
    await gigafactory("check", "--snapshot", file("clean-again.json", readFileSync(clean, "utf8")), "--evidence", b);
    const hash = (p: string) => /Plan: `(sha256:[0-9a-f]+)`/.exec(readFileSync(p, "utf8"))?.[1];
    expect(hash(a)).toBeDefined();
    expect(hash(a)).toBe(hash(b));
  });
});
