import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { stringifySnapshot, type PlanSnapshot } from "../../../plan/snapshot";
import { runPacks } from "../../../policies/harness/run";
import { TENANT_ISOLATION_PACK } from "../../../policies/packs";
import { gigafactoryInProcess as gigafactory } from "../../support/cli-run";
import { plannedStack } from "../../support/planned-stacks";
import { editPolicy, resource } from "./support";

// `gigafactory check` with the proofs: exit 1 on a broken property, 2 on a malformed policy document (named, no
// trace), the proofs in the auditor's evidence; and a layer's preview, which proves what it holds and reports what
// it cannot see as advice.

const dir = mkdtempSync(join(tmpdir(), "gf-proofs-"));
let plan: PlanSnapshot;
let planFile: string;
beforeAll(async () => {
  const stack = await plannedStack("dev");
  plan = stack.snapshot;
  planFile = stack.file;
}, 15 * 60_000);
afterEach(() => {
  process.exitCode = undefined;
});

const saved = (name: string, s: PlanSnapshot) => {
  const file = join(dir, name);
  writeFileSync(file, stringifySnapshot(s));
  return file;
};

describe("gigafactory check with the tenant-isolation pack", () => {
  it("passes the dev plan and files the proofs in the evidence", async () => {
    const evidence = join(dir, "evidence.md");
    const r = await gigafactory("check", "--snapshot", planFile, "--pack", "tenant-isolation", "--evidence", evidence);
    expect(r.code).toBe(0);
    const text = readFileSync(evidence, "utf8");
    expect(text).toContain("## Isolation and reachability proofs");
    expect(text).toContain("2 tenants isolated: S3 ✓ KMS ✓ Lustre ✓ namespace ✓ network ✓");
    expect(text).toMatch(/\| `tenant-key-isolated` \| each tenant's KMS key is used by its own principals and by no other tenant's \| 2 tenants, \d+ roles \| proven \|/);
  });

  it("exits 1 on a broken property, naming it", async () => {
    const s = structuredClone(plan);
    resource(s, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "net-sg-endpoints-in-0").inputs.cidrIpv4 = "0.0.0.0/0";
    const r = await gigafactory("check", "--snapshot", saved("open.json", s), "--pack", "tenant-isolation");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ mandatory  no-external-flows (tenant-isolation)");
  });

  it("exits 2 on a malformed policy document, naming the resource, without a trace", async () => {
    const s = structuredClone(plan);
    editPolicy(resource(s, "aws:s3/accessPoint:AccessPoint", "team-a-datasets-access"), "policy", (d) => {
      d.Statement[0].Action = { not: "a list" };
    });
    const r = await gigafactory("check", "--snapshot", saved("malformed.json", s));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error .*malformed\.json: gf-dev-scheduling-team-a-datasets-access\.policy: Statement\[0\]\.Action must be a string or a list of strings in urn:pulumi:dev::gigafactory-tenants::.*team-a-datasets-access — write the policy as IAM's JSON/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("a layer's preview", () => {
  const layer = (s: PlanSnapshot, name: string): PlanSnapshot => ({ ...s, layers: [], resources: s.resources.filter((r) => r.layer === name) });

  it("proves what the tenants layer holds and reports what it cannot see as advice", async () => {
    const result = await runPacks(layer(plan, "tenants"), [TENANT_ISOLATION_PACK]);
    expect(result.diagnostics.filter((d) => d.enforcementLevel === "mandatory")).toEqual([]);
    const advice = result.diagnostics.filter((d) => d.policy === "proof-coverage").map((d) => d.message);
    expect(advice).toContainEqual(expect.stringMatching(/^tenant-network-isolated: the subnets pods take addresses from are not all in the plan .* not in this layer's view \(layers seen: tenants\)/));
  });

  it("still refuses what it sees broken: a second tenant in an access point's policy", async () => {
    const s = structuredClone(plan);
    const theirs = resource(s, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "team-b-workload-identity").inputs.roleArn as string;
    editPolicy(resource(s, "aws:s3/accessPoint:AccessPoint", "team-a-checkpoints-access"), "policy", (d) => (d.Statement[0].Principal as { AWS: string[] }).AWS.push(theirs));
    const result = await runPacks(layer(s, "tenants"), [TENANT_ISOLATION_PACK]);
    expect(result.diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.message)).toContainEqual(expect.stringMatching(/^team-a: team-b's role gf-dev-team-b-workload is let into team-a's prefix by the access point gf-dev-team-a-checkpoints/));
  });

  it("refuses a tenant's NetworkPolicy removed from the layer that holds it", async () => {
    const s = structuredClone(plan);
    s.resources = s.resources.filter((r) => !(r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && r.name.endsWith("team-b-network-policy")));
    const result = await runPacks(layer(s, "tenants"), [TENANT_ISOLATION_PACK]);
    expect(result.diagnostics.filter((d) => d.enforcementLevel === "mandatory" && d.policy === "tenant-network-isolated").map((d) => d.message)).toContainEqual(expect.stringMatching(/^team-b: no NetworkPolicy of the namespace selects all its pods for ingress/));
  });
});
