import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diffSnapshots } from "../../../cli/diff/index";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../../cli/diff/markdown";
import { factoryMermaid } from "../../../cli/diff/mermaid";
import type { DiffResult } from "../../../cli/diff/types";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { planOf, projectWith, replaceOnce } from "../../fixtures/diff/real-plans";
import { gigafactory } from "../../support/cli-run";
import { plannedSnapshot } from "../../support/planned-stacks";

// The review of a realistic pull request on the gigafactory: a tenant added, a pool grown by two units on a new
// reservation, the checkpoint objective tightened (with the tier no longer pinned, so the objective picks it), and
// Kubernetes bumped to the next minor, as a platform engineer reads it. The first screen names the tenant and its quota; the Lustre replacement is traced to the
// checkpoint field; slurm's files show as unified diffs; the whole fits one GitHub comment.

const LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem";
const TENANT = "nordlys-health";

/** The stack file: h200-a grown by two units of 32 on a delivered reservation, the checkpoint in 60 s, the tier unpinned, Kubernetes 1.34. */
function pullRequest(yaml: string): string {
  let y = replaceOnce(yaml, "        nodes: 4800\n        availabilityZoneId: eun1-az1\n", "        nodes: 4864\n        availabilityZoneId: eun1-az1\n");
  y = replaceOnce(
    y,
    "            - { reservationId: cr-80d205697a04a082d, availabilityZoneId: eun1-az1, instances: 1600 }\n",
    "            - { reservationId: cr-80d205697a04a082d, availabilityZoneId: eun1-az1, instances: 1600 }\n            - { reservationId: cr-0c0ffee0000000002, availabilityZoneId: eun1-az1, instances: 64 }\n",
  );
  y = replaceOnce(y, "        seconds: 120\n", "        seconds: 60\n");
  // The fourth change: Kubernetes to the next minor, one line.
  y = replaceOnce(y, "    storage:\n", "    kubernetes:\n      version: \"1.34\"\n    storage:\n");
  return replaceOnce(y, /\n\s*# The tier, also fixed[^\n]*\n\s*tierMBpsPerTiB: 125\n/, "\n");
}

/** The copy's tenants file with one tenant more, listed first (the file's order is not the review's). */
function withTenant(dir: string): string {
  const file = join(dir, "stacks", "tenants.gigafactory.yaml");
  const text = readFileSync(file, "utf8");
  writeFileSync(
    file,
    replaceOnce(text, "\ntenants:\n", `\ntenants:\n  ${TENANT}:\n    gpuQuota: 512\n    priority: standard\n    costCenter: cc-nordlys\n    dataClassification: restricted\n`),
  );
  return dir;
}

let before: PlanSnapshot;
let after: PlanSnapshot;
let diff: DiffResult;
let review: string;

beforeAll(async () => {
  [before, after] = await Promise.all([plannedSnapshot("gigafactory"), planOf("gigafactory", withTenant(projectWith("gigafactory", pullRequest)))]);
  diff = diffSnapshots(before, after);
  review = renderMarkdown(diff, { mermaid: factoryMermaid(before, after, diff) });
}, 900_000);

/** The review up to the first section that is not the first screen's. */
const firstScreen = () => review.slice(0, review.indexOf("### The factory"));

describe("the review of a four-change pull request on the gigafactory", () => {
  it("plans the added tenant's objects under it (the copy's tenants file, not the repository's)", () => {
    const created = diff.changes.filter((c) => c.kind === "create" && c.name.includes(TENANT));
    expect(created.length).toBeGreaterThan(10);
    expect(new Set(created.map((c) => c.layer))).toEqual(new Set(["tenants"]));
  });

  it("names the added tenant with its quota, data class and cost centre on the first screen, above every resource table", () => {
    const first = firstScreen();
    expect(first).toContain("### What this pull request asks for");
    const row = first.split("\n").find((l) => l.includes(`\`${TENANT}\``));
    expect(row).toBeDefined();
    expect(row).toMatch(/\*\*added\*\*/);
    expect(row).toContain("512 GPUs");
    expect(row).toContain("restricted");
    expect(row).toContain("cc-nordlys");
    expect(review.indexOf(TENANT)).toBeLessThan(review.indexOf("### Resource changes"));
    // Only the tenant the spec adds is intent: the others' borrowing limits moved because the factory grew.
    expect(diff.intent!.tenants.map((t) => [t.name, t.status])).toEqual([[TENANT, "added"]]);
  });

  it("shows the pool grown by two units and 512 GPUs, and the objectives changed, in the spec's words", () => {
    expect(diff.intent!.pools).toEqual([expect.objectContaining({ name: "h200-a", unitsBefore: 150, unitsAfter: 152, gpusBefore: 38_400, gpusAfter: 38_912 })]);
    const first = firstScreen();
    expect(first).toContain("150 → **152** (+2)");
    expect(first).toContain("38,400 → **38,912** (+512)");
    expect(first).toMatch(/\| `storage\.checkpoint\.seconds` \| 120 \| 60 \|/);
  });

  it("traces the Lustre replacement to the checkpoint objective: field ⇒ sized value ⇒ data loss", () => {
    const lustre = diff.consequences!.filter((c) => c.resources.some((r) => r.type === LUSTRE));
    const capacity = lustre.find((c) => c.value === "storage.storageCapacityGiB")!;
    expect(capacity.causes.map((c) => c.path)).toContain("storage.checkpoint.seconds");
    expect(capacity.causes.find((c) => c.path === "storage.checkpoint.seconds")).toMatchObject({ before: "120", after: "60" });
    expect(capacity.resources.find((r) => r.type === LUSTRE)).toMatchObject({ kind: "replace", disruption: "data-loss" });
    const tier = lustre.find((c) => c.value === "storage.perUnitStorageThroughputMBpsPerTiB")!;
    expect(tier.values).toEqual([{ name: "storage.perUnitStorageThroughputMBpsPerTiB", before: "125", after: "250" }]);
    expect(tier.causes.map((c) => c.path)).toEqual(expect.arrayContaining(["storage.checkpoint.seconds", "storage.lustre.tierMBpsPerTiB"]));
    const line = firstScreen().split("\n").find((l) => l.includes("**Lustre capacity**"))!;
    expect(line).toMatch(/`storage\.checkpoint\.seconds` 120 → 60.*⇒ \*\*Lustre capacity\*\* 1,612,800 → 1,228,800 GiB ⇒ .*`gf-nordics-data-lustre` \*\*replace: `data-loss`\*\*/);
    expect(firstScreen()).toMatch(/⇒ \*\*Lustre throughput tier\*\* 125 → 250 MB\/s\/TiB ⇒/);
  });

  it("traces node groups to the pool's units and the tenants' objects to the tenant added", () => {
    const group = diff.consequences!.find((c) => c.value === "nodeGroups.{group}")!;
    expect(group.causes.map((c) => c.path)).toContain("pools.h200-a.nodes");
    expect(group.resources).toEqual([expect.objectContaining({ type: "aws:eks/nodeGroup:NodeGroup", kind: "create" })]);
    const tenant = diff.consequences!.find((c) => c.value === "tenants.{tenant}")!;
    expect(tenant.causes.map((c) => c.path)).toEqual([`tenants.${TENANT}`]);
    expect(tenant.resources.reduce((n, r) => n + r.count, 0)).toBe(diff.changes.filter((c) => c.kind === "create" && c.name.includes(TENANT)).length);
    // The other tenants' queues: sized from the GPUs the grown pool adds, not from anything of theirs.
    const borrowing = diff.consequences!.find((c) => c.value === "tenants.{tenant}.borrowingLimitGpus")!;
    expect(borrowing.causes.map((c) => c.path)).toEqual(["pools.h200-a.nodes"]);
    expect(borrowing.instances).toBe(128);
  });

  it("shows the Slurm files as unified diffs of what changed, not their first line", () => {
    const files = review.slice(review.indexOf("### Rendered files"));
    expect(review).toContain("### Rendered files");
    expect(files).toContain("```diff");
    expect(files).toMatch(/^-NodeName=h200-a-\[00000-04799\]/m);
    expect(files).toMatch(/^\+NodeName=h200-a-\[00000-04863\]/m);
    expect(files).toMatch(/^\+\s+- switch: h200-a-su152$/m);
  });

  it("stays under GitHub's comment limit, with the intent whole, and keeps it whole in a much smaller budget", () => {
    expect(review.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    const small = renderMarkdown(diff, { budget: 12_000 });
    expect(small.length).toBeLessThanOrEqual(12_000);
    expect(small).toContain(`\`${TENANT}\` | **added** | 512 GPUs`);
    expect(small).toContain("**Lustre capacity**");
  });

  it("writes power in MW and money rounded, the same in the review as in the plan's report", () => {
    expect(review).toMatch(/\| \*\*Power \(IT load\)\*\* \| 127\.50 MW \| 128\.15 MW \| \+0\.65 MW/);
    expect(review).toMatch(/EUR 515\.57 million/);
    expect(review).not.toMatch(/EUR \d[\d,]*\.\d\d(?! million)/);
  });
});

describe("the fourth change: Kubernetes to the next minor", () => {
  it("is in the same review: the version traced to kubernetes.version, the upgrade's order on the first screen", () => {
    const version = diff.consequences!.find((c) => c.value === "spec.kubernetes.version")!;
    expect(version.causes.map((c) => c.path)).toEqual(["kubernetes.version"]);
    expect(version.resources.map((r) => r.type)).toContain("aws:eks/cluster:Cluster");
    expect(firstScreen()).toContain("### Kubernetes 1.33 → 1.34");
    expect(firstScreen()).toMatch(/\n1\. the control plane, 1\.33 → 1\.34[^\n]*\n2\. the EKS add-ons[^\n]*\n3\. the in-cluster charts[^\n]*\n4\. the node groups, wave by wave/);
    expect(review.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
  });

  it("traces the cluster's and node groups' version to kubernetes.version", () => {
    const older = structuredClone(before);
    (older.spec as { kubernetes: { version: string } }).kubernetes.version = "1.32";
    for (const r of older.resources) if (r.type === "aws:eks/cluster:Cluster" || (r.type === "aws:eks/nodeGroup:NodeGroup" && r.inputs.version !== undefined)) r.inputs.version = "1.32";
    const d = diffSnapshots(older, before);
    expect(d.intent!.objectives).toEqual([{ path: "kubernetes.version", before: "1.32", after: "1.33" }]);
    const version = d.consequences!.find((c) => c.value === "spec.kubernetes.version")!;
    expect(version.causes).toEqual([{ path: "kubernetes.version", before: "1.32", after: "1.33" }]);
    expect(version.resources.map((r) => r.type)).toContain("aws:eks/cluster:Cluster");
    expect(renderMarkdown(d)).toMatch(/`kubernetes\.version` 1\.32 → 1\.33 ⇒ \*\*Kubernetes version\*\* 1\.32 → 1\.33 ⇒/);
  });
});
