import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stringifySnapshot } from "../../../plan/snapshot";
import { gigafactoryServed } from "../../support/cli-run";
import { plannedStack } from "../../support/planned-stacks";

// The review of a change carries the proofs' line: every property proven on the plan after it, or the ones it breaks
// (a tenant's NetworkPolicy removed opens its pods to the other tenant's, and to the instance metadata).

const dir = mkdtempSync(join(tmpdir(), "gf-proven-"));
afterEach(() => {
  process.exitCode = undefined;
});

describe("the review's proven line", () => {
  it("says what the plan after the change proves, and marks what a change breaks", async () => {
    const dev = await plannedStack("dev");
    const same = await gigafactoryServed(["diff", "--markdown", dev.file, dev.file]);
    expect(same.stderr).toBe("");
    expect(same.code).toBe(0);
    const after = structuredClone(dev.snapshot);
    after.resources = after.resources.filter((r) => !(r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && r.name.endsWith("team-b-network-policy")));
    const file = join(dir, "after.json");
    writeFileSync(file, stringifySnapshot(after));
    const review = await gigafactoryServed(["diff", "--markdown", dev.file, file]);
    expect(review.stdout).toContain("**Proven:** 2 tenants not proven isolated: S3 ✓ KMS ✓ Lustre ✓ namespace ✓ network ✗; tenant-pods-reach-services ✗, deploy-path-reaches-api ✓, gpu-nodes-reach-services ✓, no-external-flows ✓");
  }, 15 * 60_000);
});
