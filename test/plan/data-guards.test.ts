import { describe, expect, it } from "vitest";
import { diffSnapshots } from "../../cli/diff/index";
import { removedDataGuards } from "../../plan/data-guards";
import { isStateBearing } from "../../plan/state-bearing";
import { plannedSnapshot, REPO_STACKS } from "../support/planned-stacks";

// Data risk is judged by what a change does to the properties that keep data, on any resource type and at any
// depth of its inputs, never by a list of types alone.

describe("removedDataGuards", () => {
  it("finds each guard taken away, wherever it sits", () => {
    expect(removedDataGuards({ reclaimPolicy: "Retain" }, { reclaimPolicy: "Delete" }).map((g) => g.path)).toEqual(["reclaimPolicy"]);
    expect(removedDataGuards({ spec: { persistentVolumeReclaimPolicy: "Retain" } }, { spec: { persistentVolumeReclaimPolicy: "Recycle" } }).map((g) => g.path)).toEqual(["spec.persistentVolumeReclaimPolicy"]);
    expect(removedDataGuards({ deletionProtection: true }, {}).map((g) => g.path)).toEqual(["deletionProtection"]);
    expect(removedDataGuards({}, { forceDestroy: true }).map((g) => g.path)).toEqual(["forceDestroy"]);
    expect(removedDataGuards({ skipFinalSnapshot: false }, { skipFinalSnapshot: true }).map((g) => g.path)).toEqual(["skipFinalSnapshot"]);
    expect(removedDataGuards({ skipDestroy: true }, { skipDestroy: false }).map((g) => g.path)).toEqual(["skipDestroy"]);
    expect(removedDataGuards({ retentionInDays: 0 }, { retentionInDays: 30 }).map((g) => g.path)).toEqual(["retentionInDays"]);
    expect(removedDataGuards({ rules: [{ backupRetentionPeriod: 35 }] }, { rules: [{ backupRetentionPeriod: 7 }] }).map((g) => g.path)).toEqual(["rules[0].backupRetentionPeriod"]);
  });

  it("is silent where a guard is kept, added or lengthened", () => {
    expect(removedDataGuards({ reclaimPolicy: "Delete" }, { reclaimPolicy: "Retain" })).toEqual([]);
    expect(removedDataGuards({ retentionInDays: 30 }, { retentionInDays: 365 })).toEqual([]);
    expect(removedDataGuards({ forceDestroy: true }, { forceDestroy: false })).toEqual([]);
    expect(removedDataGuards({ deletionProtection: true, tags: { a: "1" } }, { deletionProtection: true, tags: { a: "2" } })).toEqual([]);
  });
});

describe("gigafactory diff: data risk by rule", () => {
  it("classes the slurm-state StorageClass turning from Retain to Delete as data-loss", async () => {
    const before = await plannedSnapshot("dev");
    const after = structuredClone(before);
    const storageClass = after.resources.find((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass" && (r.inputs.metadata as { name?: string })?.name === "slurm-state");
    expect(storageClass?.inputs.reclaimPolicy).toBe("Retain");
    storageClass!.inputs.reclaimPolicy = "Delete";
    const d = diffSnapshots(before, after);
    const change = d.changes.find((c) => c.urn === storageClass!.urn);
    expect(change?.disruption).toBe("data-loss");
    expect(change?.notes.join(" ")).toMatch(/`reclaimPolicy`: reclaimPolicy "Retain" → "Delete" no longer keeps the volumes after their claims go/);
    expect(d.disruption).toBe("data-loss");
  });

  it("classes a shorter backup retention of the accounting database as data-loss, though it updates in place", async () => {
    const before = await plannedSnapshot("dev");
    const after = structuredClone(before);
    const database = after.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
    database.inputs.backupRetentionPeriod = 1;
    const change = diffSnapshots(before, after).changes.find((c) => c.urn === database.urn);
    expect(change?.disruption).toBe("data-loss");
  });
});

describe("the repository's plans keep their data", () => {
  it.each(REPO_STACKS)("in %s, every protected or state-bearing resource is also retained, and every retained one protected", async (stack) => {
    const snapshot = await plannedSnapshot(stack);
    const unkept = snapshot.resources
      .filter((r) => r.custom && (r.protect || r.retainOnDelete || isStateBearing(r.type)) && !(r.protect && r.retainOnDelete))
      .map((r) => `${r.type} ${r.name}: protect ${r.protect}, retainOnDelete ${r.retainOnDelete}`);
    expect(unkept).toEqual([]);
  });
});
