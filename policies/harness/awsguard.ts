import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { Policies, Policy } from "@pulumi/policy";
import type { PlanSnapshot, SnapshotResource } from "../../plan/snapshot";
import { runPacks, type CheckResult, type PolicyDiagnostic } from "./run";

// AWSGuard (@pulumi/awsguard, docs/sources.md#awsguard) over a plan, every policy at its default configuration.
// It is installed in a folder of its own (policies/awsguard: `npm ci --prefix policies/awsguard`): it targets @pulumi/aws 4,
// whose S3 bucket carried its logging, versioning and encryption inline, where @pulumi/aws 7 has a resource for
// each. The plan is shown to AWSGuard in the older shape (those settings folded into their bucket), then its
// policies run through the offline harness.

export const AWSGUARD_DIR = path.join(__dirname, "..", "awsguard");
const MODULES = ["apiGateway", "compute", "database", "elasticsearch", "network", "security", "storage"];

export function awsGuardInstalled(): boolean {
  return fs.existsSync(path.join(AWSGUARD_DIR, "node_modules", "@pulumi", "awsguard", "package.json"));
}

export interface AwsGuardPolicy {
  policy: Policy;
  /** The resource types it validates, as AWSGuard's provider names them. */
  types: string[];
}

/** Every policy AWSGuard registers, with the types it checks (read from its modules' validateResourceOfType calls). */
export function awsGuardPolicies(): AwsGuardPolicy[] {
  const load = createRequire(path.join(AWSGUARD_DIR, "package.json"));
  const root = path.dirname(load.resolve("@pulumi/awsguard/package.json"));
  const aws = createRequire(path.join(root, "package.json"))("@pulumi/aws") as Record<string, Record<string, { __pulumiType?: string }>>;
  const out: AwsGuardPolicy[] = [];
  for (const name of MODULES) {
    const mod = load(`@pulumi/awsguard/${name}`) as Record<string, unknown>;
    const source = fs.readFileSync(path.join(root, `${name}.js`), "utf8");
    for (const [exported, value] of Object.entries(mod)) {
      const policy = value as Policy;
      if (!policy || typeof policy !== "object" || typeof policy.name !== "string") continue;
      const start = source.indexOf(`exports.${exported} = {`);
      const end = source.indexOf("registerPolicy(", start);
      const block = start >= 0 ? source.slice(start, end > start ? end : undefined) : "";
      const types = [...block.matchAll(/ResourcesOfType\(aws\.(\w+)\.(\w+)|ResourceOfType\(aws\.(\w+)\.(\w+)/g)].map((m) => aws[m[1] ?? m[3]]?.[m[2] ?? m[4]]?.__pulumiType ?? `aws.${m[1] ?? m[3]}.${m[2] ?? m[4]}`);
      out.push({ policy, types: [...new Set(types)] });
    }
  }
  return out;
}

const LOGGING = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];
const VERSIONING = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];
const ENCRYPTION = ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"];

/** The plan as @pulumi/aws 4 described it: a bucket's logging, versioning and encryption on the bucket. */
export function inProviderV4Shape(snapshot: PlanSnapshot): PlanSnapshot {
  const copy = structuredClone(snapshot);
  const settingsOf = (bucket: SnapshotResource, types: readonly string[]) => copy.resources.filter((r) => types.includes(r.type) && r.dependencies.includes(bucket.urn) && bucketInputOf(r, copy) === bucket.urn);
  for (const bucket of copy.resources.filter((r) => r.type === "aws:s3/bucket:Bucket")) {
    const loggings = settingsOf(bucket, LOGGING).map((l) => ({ targetBucket: l.inputs.targetBucket, targetPrefix: l.inputs.targetPrefix }));
    if (loggings.length > 0) bucket.inputs.loggings = loggings;
    const versioning = settingsOf(bucket, VERSIONING)[0];
    if (versioning) bucket.inputs.versioning = { enabled: (versioning.inputs.versioningConfiguration as { status?: string } | undefined)?.status === "Enabled" };
    const encryption = settingsOf(bucket, ENCRYPTION)[0];
    if (encryption) bucket.inputs.serverSideEncryptionConfiguration = { rule: (encryption.inputs.rules as unknown[] | undefined)?.[0] };
  }
  return copy;
}

/** The bucket a setting's `bucket` input names: the one of its dependencies whose id or name it carries. */
function bucketInputOf(setting: SnapshotResource, snapshot: PlanSnapshot): string | undefined {
  const value = setting.inputs.bucket;
  const buckets = snapshot.resources.filter((r) => r.type === "aws:s3/bucket:Bucket" && setting.dependencies.includes(r.urn));
  return (buckets.find((b) => value === b.inputs.bucket || (typeof value === "string" && value.startsWith(`${b.name}-`))) ?? (buckets.length === 1 ? buckets[0] : undefined))?.urn;
}

export interface AwsGuardExemption {
  policy: string;
  /** True for the resources it covers. */
  covers(r: SnapshotResource): boolean;
  justification: string;
}

/** What the factory does not do on purpose, each with its reason. */
export const AWSGUARD_EXEMPTIONS: readonly AwsGuardExemption[] = [
  {
    policy: "s3-bucket-logging-enabled",
    covers: (r) => (r.inputs.tags as Record<string, string> | undefined)?.["gigafactory:bucket-role"] === "access-logs",
    justification:
      "the bucket that receives the server access logs: logging it into itself would log every delivery again without end, and S3 allows no other destination than a bucket in the same region and account (docs/sources.md#s3-server-access-logging)",
  },
];

export interface AwsGuardRun {
  result: CheckResult;
  /** Violations no exemption covers. */
  violations: PolicyDiagnostic[];
  exempted: { diagnostic: PolicyDiagnostic; justification: string }[];
  /** Policies that found nothing to check, each with why. */
  notApplicable: { policy: string; reason: string }[];
}

export async function runAwsGuard(snapshot: PlanSnapshot): Promise<AwsGuardRun> {
  const guards = awsGuardPolicies();
  const shaped = inProviderV4Shape(snapshot);
  const result = await runPacks(shaped, [{ name: "awsguard", version: "0.3.1", policies: guards.map((g) => g.policy) as Policies }]);
  const byUrn = new Map(shaped.resources.map((r) => [r.urn, r]));
  const exempted: AwsGuardRun["exempted"] = [];
  const violations = result.diagnostics.filter((d) => {
    const r = d.urn ? byUrn.get(d.urn) : undefined;
    const exemption = r && AWSGUARD_EXEMPTIONS.find((e) => e.policy === d.policy && e.covers(r));
    if (exemption) exempted.push({ diagnostic: d, justification: exemption.justification });
    return !exemption;
  });
  const present = new Set(shaped.resources.map((r) => r.type));
  const notApplicable = guards
    .filter((g) => !g.types.some((t) => present.has(t)))
    .map((g) => ({ policy: g.policy.name, reason: g.types.length > 0 ? `the plan has no ${g.types.join(" or ")}` : "it names no resource type it checks" }));
  return { result, violations, exempted, notApplicable };
}

// `npx tsx policies/harness/awsguard.ts plan.json`: the run as lines a reviewer reads; exit 1 on a violation.
if (require.main === module) {
  void (async () => {
    const { readSnapshot } = await import("../../plan/snapshot");
    const run = await runAwsGuard(readSnapshot(process.argv[2] ?? ""));
    for (const d of run.violations) process.stdout.write(`violation ${d.policy} ${d.resourceName ?? "(plan)"}: ${d.message}\n`);
    for (const e of run.exempted) process.stdout.write(`exempted  ${e.diagnostic.policy} ${e.diagnostic.resourceName}: ${e.justification}\n`);
    for (const n of run.notApplicable) process.stdout.write(`not applicable ${n.policy}: ${n.reason}\n`);
    process.stdout.write(`${run.result.runs.length} AWSGuard policies, ${run.violations.length} violations, ${run.result.failures.length} failures\n`);
    process.exitCode = run.violations.length + run.result.failures.length > 0 ? 1 : 0;
  })();
}
