import { describe, expect, it } from "vitest";
import { diffSnapshots, renderJson } from "../../../cli/diff/index";
import { fieldEffect, rulesFor } from "../../../plan/replacement";
import { SECRET_MARK, SnapshotError } from "../../../plan/snapshot";
import { buildSnapshot, changed, smallFactory } from "../../fixtures/diff/builder";

const before = buildSnapshot(smallFactory());
const diffOf = (change: Parameters<typeof changed>[1]) => diffSnapshots(before, buildSnapshot(changed(smallFactory(), change)));
const byName = (d: ReturnType<typeof diffSnapshots>, name: string) => d.changes.find((c) => c.name === name);
const figure = (d: ReturnType<typeof diffSnapshots>, label: string) => d.meaning.figures.find((f) => f.label === label);

describe("gigafactory diff: disruption classes", () => {
  it("identical plans give no changes and the class none", () => {
    const d = diffSnapshots(before, buildSnapshot(smallFactory()));
    expect(d.identical).toBe(true);
    expect(d.disruption).toBe("none");
    expect(d.changes).toEqual([]);
    expect(d.summary.unchanged).toBe(before.resources.length);
  });

  it("a pool grown by one scalable unit creates its node group, template, placement group and reservation in place", () => {
    const d = diffOf((f) => (f.pools[0].nodes += 32));
    expect(d.disruption).toBe("in-place");
    const created = d.changes.filter((c) => c.kind === "create").map((c) => c.name).sort();
    expect(created).toEqual(["af-test-train-a-su004-lt", "af-test-train-a-su004-ng", "af-test-train-a-su004-odcr", "af-test-train-a-su004-pg"]);
    expect(d.changes.every((c) => c.unit === "train-a-su004" && c.pool === "train-a")).toBe(true);
    expect(figure(d, "GPUs")).toMatchObject({ before: 1280, after: 1536 });
    expect(figure(d, "Nodes")).toMatchObject({ before: 160, after: 192 });
    expect(figure(d, "Scalable units")).toMatchObject({ before: 5, after: 6 });
    expect(d.meaning.unitsAdded).toEqual(["train-a-su004"]);
  });

  it("a pool shrunk inside its last unit drains nodes: rolling", () => {
    const d = diffOf((f) => (f.pools[1].nodes -= 8));
    expect(d.disruption).toBe("rolling");
    const ng = byName(d, "af-test-train-b-su002-ng");
    expect(ng?.kind).toBe("update");
    expect(ng?.inputs.find((i) => i.path === "scalingConfig.desiredSize")).toMatchObject({ before: "32", after: "24", disruption: "rolling" });
    // The reservation's count shrinks in place (ModifyCapacityReservation).
    expect(byName(d, "af-test-train-b-su002-odcr")?.disruption).toBe("in-place");
    expect(d.meaning.unitsResized).toEqual(["train-b-su002"]);
  });

  it("a pool's instance type replaces its node groups and reservations, not only its templates", () => {
    const d = diffOf((f) => (f.pools[1].instanceType = "p5.48xlarge"));
    expect(d.disruption).toBe("replace");
    expect(byName(d, "af-test-train-b-su001-ng")).toMatchObject({ kind: "replace", disruption: "replace" });
    expect(byName(d, "af-test-train-b-su001-odcr")).toMatchObject({ kind: "replace", disruption: "replace" });
    expect(byName(d, "af-test-train-b-su001-lt")).toMatchObject({ kind: "update", disruption: "rolling" });
    expect(d.changes.some((c) => c.pool === "train-a")).toBe(false);
    const pool = d.meaning.pools.find((p) => p.name === "train-b");
    expect(pool).toMatchObject({ status: "changed", before: { instanceType: "p5en.48xlarge" }, after: { instanceType: "p5.48xlarge" } });
  });

  it("a tenant's quota is an in-place change of its queue, and the tenant figures say by how much", () => {
    const d = diffOf((f) => (f.tenants[1].gpuQuota = 384));
    expect(d.disruption).toBe("in-place");
    expect(d.changes.map((c) => c.name)).toEqual(["af-test-lisbon-speech-cq"]);
    expect(d.changes[0].tenant).toBe("lisbon-speech");
    expect(d.changes[0].inputs[0]).toMatchObject({
      path: "spec.resourceGroups[0].flavors[0].resources[0].nominalQuota",
      before: "256",
      after: "384",
    });
    expect(d.meaning.tenants.find((t) => t.name === "lisbon-speech")).toMatchObject({
      status: "changed",
      before: { gpuQuota: 256 },
      after: { gpuQuota: 384 },
    });
    expect(figure(d, "Tenant GPU quotas, total")).toMatchObject({ before: 896, after: 1024 });
  });

  it("a storage objective that grows Lustre is in place; one that shrinks it loses the data", () => {
    const grow = diffOf((f) => {
      f.storage.capacityTiB = 480;
      f.storage.perUnitStorageThroughput = 1000;
    });
    expect(grow.disruption).toBe("in-place");
    expect(byName(grow, "af-test-lustre")).toMatchObject({ kind: "update", stateBearing: true });
    expect(figure(grow, "Storage throughput")).toMatchObject({ before: 120_000, after: 480_000 });
    expect(figure(grow, "Storage capacity")).toMatchObject({ before: 240, after: 480 });

    const shrink = diffOf((f) => (f.storage.capacityTiB = 120));
    expect(shrink.disruption).toBe("data-loss");
    expect(byName(shrink, "af-test-lustre")).toMatchObject({ kind: "replace", disruption: "data-loss" });
    expect(shrink.disruptionReasons[0]).toContain("af-test-lustre");
  });

  it("metadata IOPS raised are in place; lowered, the file system is new and its data lost", () => {
    const raised = diffOf((f) => (f.storage.metadataIops = 24_000));
    expect(byName(raised, "af-test-lustre")).toMatchObject({ kind: "update", disruption: "in-place" });
    const base = buildSnapshot(changed(smallFactory(), (f) => (f.storage.metadataIops = 24_000)));
    const lowered = diffSnapshots(base, buildSnapshot(changed(smallFactory(), (f) => (f.storage.metadataIops = 12_000))));
    expect(lowered.disruption).toBe("data-loss");
    expect(byName(lowered, "af-test-lustre")?.inputs.find((i) => i.path === "metadataConfiguration.iops")).toMatchObject({ disruption: "replace" });
  });

  it("a Kubernetes upgrade is in place for the control plane and rolling for the GPU nodes", () => {
    const d = diffOf((f) => (f.kubernetesVersion = "1.34"));
    expect(d.disruption).toBe("rolling");
    expect(byName(d, "af-test-eks")?.disruption).toBe("in-place");
    expect(byName(d, "af-test-train-a-su001-ng")?.disruption).toBe("rolling");
    expect(byName(d, "af-test-train-a-su001-lt")?.disruption).toBe("rolling");
    expect(figure(d, "Kubernetes version")).toMatchObject({ before: "1.33", after: "1.34" });
  });

  it("a new region replaces every resource of the provider, and the state-bearing ones lose their data", () => {
    const d = diffOf((f) => (f.region = "eu-north-1"));
    expect(d.disruption).toBe("data-loss");
    expect(byName(d, "af-test-aws")?.kind).toBe("replace");
    expect(byName(d, "af-test-net-vpc")).toMatchObject({ kind: "replace", disruption: "replace" });
    expect(byName(d, "af-test-checkpoints")).toMatchObject({ kind: "replace", disruption: "data-loss" });
  });

  it("removing a tenant deletes its queue and role; deleting a state-bearing resource is data-loss", () => {
    const d = diffOf((f) => f.tenants.pop());
    expect(d.disruption).toBe("replace");
    expect(d.changes.map((c) => c.kind)).toEqual(["delete", "delete", "delete"]);

    const after = buildSnapshot(smallFactory());
    after.resources = after.resources.filter((r) => r.name !== "af-test-checkpoints");
    const gone = diffSnapshots(before, after);
    expect(gone.disruption).toBe("data-loss");
    expect(gone.changes[0].notes.join(" ")).toContain("protected");
  });

  it("removing the protection of a state-bearing resource is data-loss, even with nothing else changed", () => {
    const after = buildSnapshot(smallFactory());
    const key = after.resources.find((r) => r.type === "aws:kms/key:Key");
    if (!key) throw new Error("fixture has no key");
    key.protect = false;
    const d = diffSnapshots(before, after);
    expect(d.disruption).toBe("data-loss");
    expect(d.changes[0].notes.join(" ")).toContain("`protect`");

    const bucket = buildSnapshot(smallFactory());
    const b = bucket.resources.find((r) => r.type === "aws:s3/bucket:Bucket");
    if (!b) throw new Error("fixture has no bucket");
    b.inputs.forceDestroy = true;
    expect(diffSnapshots(before, bucket).disruption).toBe("data-loss");
  });

  it("an unknown type or an unknown field is classed replace with a note, never as harmless", () => {
    const after = buildSnapshot(smallFactory());
    const vpc = after.resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
    if (!vpc) throw new Error("fixture has no VPC");
    vpc.inputs.someFutureField = "on";
    const d = diffSnapshots(before, after);
    expect(d.disruption).toBe("replace");
    expect(d.changes[0].inputs[0]).toMatchObject({ path: "someFutureField", disruption: "replace" });
    expect(d.changes[0].inputs[0].note).toContain("not in the replacement table");

    const b2 = buildSnapshot(smallFactory());
    const a2 = buildSnapshot(smallFactory());
    for (const s of [b2, a2]) for (const r of s.resources) if (r.type === "aws:ec2/vpc:Vpc") r.type = "aws:ec2/vpcFuture:VpcFuture";
    const vpc2 = a2.resources.find((r) => r.type === "aws:ec2/vpcFuture:VpcFuture");
    if (!vpc2) throw new Error("fixture has no VPC");
    vpc2.inputs.enableDnsHostnames = false;
    const d2 = diffSnapshots(b2, a2);
    expect(d2.disruption).toBe("replace");
    expect(d2.changes[0].notes[0]).toContain("not in the replacement table");
  });

  it("a secret is never shown, on either side, in the result or its JSON", () => {
    const plaintext = "munge-key-plaintext-value";
    const d = diffOf((f) => (f.mungeKey = plaintext));
    const secret = byName(d, "af-test-slurm-munge");
    expect(secret?.inputs[0]).toEqual({ path: 'stringData["munge.key"]', secret: true, disruption: "replace" });
    expect(renderJson(d)).not.toContain(plaintext);
    // Two secrets can't be compared: no change is claimed.
    expect(diffSnapshots(before, buildSnapshot(smallFactory())).changes).toEqual([]);
    expect(SECRET_MARK).toBe("[secret]");
  });

  it("ignoreChanges paths are not changes", () => {
    const b = buildSnapshot(smallFactory());
    const a = buildSnapshot(changed(smallFactory(), (f) => (f.pools[1].nodes -= 8)));
    for (const s of [b, a]) for (const r of s.resources) if (r.type === "aws:eks/nodeGroup:NodeGroup") r.ignoreChanges = ["scalingConfig.desiredSize"];
    const ng = diffSnapshots(b, a).changes.find((c) => c.name === "af-test-train-b-su002-ng");
    expect(ng?.inputs.map((i) => i.path)).toEqual(["scalingConfig.maxSize", "scalingConfig.minSize"]);
    expect(ng?.disruption).toBe("in-place");
  });

  it("plans of different stacks are refused with a message that says what to do", () => {
    const other = buildSnapshot(changed(smallFactory(), (f) => (f.stack = "gigafactory")));
    expect(() => diffSnapshots(before, other)).toThrow(SnapshotError);
    expect(() => diffSnapshots(before, other)).toThrow(/different stacks \(ai-factory and gigafactory\)/);
  });

  it("findings are compared: new, kept and resolved", () => {
    const warn = { path: "gigafactory:factory.pools.train-a", level: "warning" as const, message: "no reservation", hint: "reserve" };
    const b = buildSnapshot(changed(smallFactory(), (f) => (f.findings = [warn])));
    const a = buildSnapshot(changed(smallFactory(), (f) => (f.findings = [{ ...warn, message: "other" }])));
    const d = diffSnapshots(b, a);
    expect(d.findings.map((f) => [f.status, f.message])).toEqual([
      ["new", "other"],
      ["resolved", "no reservation"],
    ]);
    expect(d.identical).toBe(false);
  });
});

describe("the replacement table", () => {
  it("cites a source for every type it knows", () => {
    for (const type of ["aws:eks/nodeGroup:NodeGroup", "aws:fsx/lustreFileSystem:LustreFileSystem", "kubernetes:core/v1:ConfigMap", "kubernetes:helm.sh/v3:Release"]) {
      expect(rulesFor(type)?.source).toMatch(/terraform-provider-aws|pulumi-kubernetes/);
    }
    expect(rulesFor("aws:made/up:Thing")).toBeUndefined();
  });

  it("decides by the longest matching path, and a whole block by the worst field inside it", () => {
    const ng = rulesFor("aws:eks/nodeGroup:NodeGroup");
    if (!ng) throw new Error("no rules");
    expect(fieldEffect(ng, "launchTemplate.version", "1", "2").effect).toBe("rolling");
    expect(fieldEffect(ng, "launchTemplate.id", "a", "b").effect).toBe("replace");
    expect(fieldEffect(ng, "launchTemplate", undefined, { id: "a" }).effect).toBe("replace");
    expect(fieldEffect(ng, 'labels["topology.k8s.aws/layer-1"]', "a", "b").effect).toBe("in-place");
    expect(fieldEffect(ng, "tags.team", "a", "b").effect).toBe("in-place");
    expect(fieldEffect(ng, "region", "eu-north-1", "eu-south-2").effect).toBe("replace");
    const cm = rulesFor("kubernetes:core/v1:ConfigMap");
    if (!cm) throw new Error("no rules");
    expect(fieldEffect(cm, "data.slurm.conf", "a", "b").effect).toBe("replace");
    expect(fieldEffect(cm, "metadata.labels.team", "a", "b").effect).toBe("in-place");
  });
});
