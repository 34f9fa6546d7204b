import { describe, expect, it } from "vitest";
import { checkPlan, mandatory } from "../../fixtures/policies/check";
import { plannedSnapshot } from "../../support/planned-stacks";

// What lets data go is found by the property, on any type: a StorageClass that deletes its volumes, a cluster
// without deletion protection, a database that skips its final snapshot.

describe("state-protected-and-retained, by rule", () => {
  it("refuses the slurm-state StorageClass deleting its volumes, and a database that skips its final snapshot", async () => {
    const s = structuredClone(await plannedSnapshot("dev"));
    const storageClass = s.resources.find((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass" && (r.inputs.metadata as { name?: string }).name === "slurm-state")!;
    storageClass.inputs.reclaimPolicy = "Delete";
    s.resources.find((r) => r.type === "aws:rds/instance:Instance")!.inputs.skipFinalSnapshot = true;
    const out = mandatory(await checkPlan(s), "state-protected-and-retained").map((d) => `${d.resourceType}: ${d.message.split(" — ")[0]}`).sort();
    expect(out).toEqual([
      expect.stringMatching(/^aws:rds\/instance:Instance: `skipFinalSnapshot` is true/),
      'kubernetes:storage.k8s.io/v1:StorageClass: `reclaimPolicy`: reclaimPolicy is "Delete": it no longer keeps the volumes after their claims go',
    ]);
  });
});
