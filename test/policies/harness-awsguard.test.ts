import { describe, expect, it } from "vitest";
import { awsGuardInstalled, runAwsGuard } from "../../policies/harness/awsguard";
import { plannedSnapshot } from "../support/planned-stacks";

// AWSGuard, installed apart (`npm ci --prefix policies/awsguard`), over the gigafactory plan: every policy at its
// default configuration, no violation, each exemption justified, each policy that finds nothing to check listed.

describe.skipIf(!awsGuardInstalled())("AWSGuard over the gigafactory plan", () => {
  it("finds no violation: every bucket logs its server access into the access-log bucket, which alone is exempted with its reason", async () => {
    const run = await runAwsGuard(await plannedSnapshot("gigafactory"));
    expect(run.result.failures).toEqual([]);
    expect(run.violations.map((d) => `${d.policy} ${d.resourceName}: ${d.message}`)).toEqual([]);
    expect(run.exempted.map((e) => `${e.diagnostic.policy} ${e.diagnostic.resourceName}`)).toEqual(["s3-bucket-logging-enabled gf-nordics-data-access-logs"]);
    expect(run.exempted[0].justification).toMatch(/log every delivery again/);
    // The policies that apply ran on the plan's resources; the others say why not.
    const ran = run.result.runs.filter((r) => !run.notApplicable.some((n) => n.policy === r.policy)).map((r) => r.policy);
    expect(ran).toEqual(expect.arrayContaining(["s3-bucket-logging-enabled", "cmk-backing-key-rotation-enabled", "rds-storage-encrypted", "rds-instance-public-access"]));
    expect(run.notApplicable.length).toBeGreaterThan(0);
    for (const n of run.notApplicable) expect(n.reason).toMatch(/^the plan has no aws:/);
  });

  it("sees the buckets' logging through the mapping to its provider's shape: without it, the three buckets are found", async () => {
    const plan = structuredClone(await plannedSnapshot("gigafactory"));
    plan.resources = plan.resources.filter((r) => r.type !== "aws:s3/bucketLogging:BucketLogging");
    const run = await runAwsGuard(plan);
    expect(run.violations.map((d) => d.resourceName).sort()).toEqual(["gf-nordics-data-checkpoints", "gf-nordics-data-datasets", "gf-nordics-data-logs"]);
  });
});
