import { describe, expect, it } from "vitest";
import { PROPERTIES, type PropertyName } from "../../../policies/lib/proofs/types";
import { provenLine } from "../../../policies/lib/proofs/summary";
import { provenSection } from "../../../cli/diff/proven";
import { plannedSnapshot } from "../../support/planned-stacks";
import { lines, mandatory, prove } from "./support";

// Every property proven on the repository's stacks as they are planned: the gigafactory's 128 tenants, the
// ai-factory's and the dev stack's; each property's policy ran over the whole plan and found nothing.

const STACKS: [string, number][] = [
  ["gigafactory", 128],
  ["ai-factory", 12],
  ["dev", 2],
];

describe.each(STACKS)("the %s plan", (stack, tenants) => {
  it(`proves every property for its ${tenants} tenants`, async () => {
    const snapshot = await plannedSnapshot(stack);
    const result = await prove(snapshot);
    expect(lines(result)).toBe("");
    for (const property of Object.keys(PROPERTIES) as PropertyName[]) {
      expect(result.runs.find((r) => r.policy === property), property).toMatchObject({ kind: "stack", applied: 1, violations: 0 });
    }
    expect(mandatory(result)).toEqual([]);
    expect(provenSection(result, (snapshot.blueprint.tenants as unknown[]).length)).toBe(
      `**Proven:** ${tenants} tenants isolated: S3 ✓ KMS ✓ Lustre ✓ namespace ✓ network ✓; tenant-pods-reach-services ✓, deploy-path-reaches-api ✓, gpu-nodes-reach-services ✓, no-external-flows ✓`,
    );
  }, 15 * 60_000);
});

describe("the review's proven line", () => {
  it("marks a property not proven, or not run", () => {
    const line = provenLine(3, (p) => (p === "tenant-key-isolated" ? false : p === "no-external-flows" ? undefined : true));
    expect(line).toBe("3 tenants not proven isolated: S3 ✓ KMS ✗ Lustre ✓ namespace ✓ network ✓; tenant-pods-reach-services ✓, deploy-path-reaches-api ✓, gpu-nodes-reach-services ✓, no-external-flows ?");
  });
});

describe("the pack's settings", () => {
  it("reach every policy of the pack", async () => {
    const { ISOLATION_POLICY_NAMES } = await import("../../../policies/tenant-isolation/declared");
    const { TENANT_ISOLATION_PACK } = await import("../../../policies/packs");
    expect(TENANT_ISOLATION_PACK.policies.map((p) => p.name)).toEqual(ISOLATION_POLICY_NAMES);
  });
});
