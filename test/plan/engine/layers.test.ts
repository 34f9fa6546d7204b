import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { IN_CLUSTER_LAYERS, LAYERS } from "../../../core/blueprint/layers";
import type { PlanSnapshot, SnapshotResource } from "../../../plan/snapshot";
import { sourcesThrough, stackReferenceLeaves, STACK_REFERENCE_TYPE } from "../../../plan/stack-references";
import { diffSnapshots } from "../../../cli/diff";
import { renderMarkdown } from "../../../cli/diff/markdown";
import { plannedRun, plannedSnapshot } from "../../support/planned-stacks";
import { copyOfStacks, planOf, projectWith, replaceOnce } from "../../fixtures/diff/real-plans";
import { gigafactory, ROOT, gigafactoryServed } from "../../support/cli-run";

// The factory deploys as one stack per layer. A plan runs every layer's program in order, each reading the layers
// below through stack references answered from their plans, and every resource says which layer's stack holds it.

const DATA_TYPES = ["aws:fsx/lustreFileSystem:LustreFileSystem", "aws:s3/bucket:Bucket", "aws:rds/instance:Instance", "aws:secretsmanager/secret:Secret"];
const layerOf = (s: PlanSnapshot, type: string) => [...new Set(s.resources.filter((r) => r.type === type).map((r) => r.layer))];

let gigafactoryPlan: PlanSnapshot;
let dev: PlanSnapshot;

beforeAll(async () => {
  [gigafactoryPlan, dev] = await Promise.all([plannedSnapshot("gigafactory"), plannedSnapshot("dev")]);
}, 900_000);

describe("a plan of every layer", () => {
  it("lists the layers' stacks in deployment order, each its own project reading the same stack", () => {
    expect(gigafactoryPlan.layers?.map((l) => l.name)).toEqual([...LAYERS]);
    for (const l of gigafactoryPlan.layers!) {
      expect(l.project).toBe(`gigafactory-${l.name}`);
      expect(l.stack).toBe("gigafactory");
    }
  });

  it("names each resource's layer, and its URN names that layer's stack", () => {
    for (const r of gigafactoryPlan.resources) {
      expect(LAYERS, r.urn).toContain(r.layer);
      expect(r.urn.startsWith(`urn:pulumi:gigafactory::gigafactory-${r.layer}::`), r.urn).toBe(true);
    }
  });

  it("keeps what holds data in the data layer, apart from what changes often", () => {
    for (const type of DATA_TYPES) expect(layerOf(gigafactoryPlan, type), type).toEqual(["data"]);
    expect(layerOf(gigafactoryPlan, "aws:eks/nodeGroup:NodeGroup")).toEqual(["compute"]);
    expect(layerOf(gigafactoryPlan, "aws:eks/cluster:Cluster")).toEqual(["compute"]);
    expect(layerOf(gigafactoryPlan, "kubernetes:helm.sh/v3:Release")).toEqual(["platform"]);
    expect(layerOf(gigafactoryPlan, "gigafactory:tenancy:Tenant")).toEqual(["tenants"]);
    expect(layerOf(gigafactoryPlan, "aws:ec2/vpc:Vpc")).toEqual(["foundation"]);
    // Every tenant's AWS access is in the tenants layer with its namespace.
    const tenantRoles = gigafactoryPlan.resources.filter((r) => r.type === "aws:iam/role:Role" && String(r.inputs.path ?? "").includes("tenant"));
    expect(tenantRoles.length).toBeGreaterThan(0);
    expect(new Set(tenantRoles.map((r) => r.layer))).toEqual(new Set(["tenants"]));
  });

  it("reads a lower layer only through a stack reference to that layer's stack, never one above", () => {
    const refs = gigafactoryPlan.resources.filter((r) => r.type === STACK_REFERENCE_TYPE);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const [, project, stack] = String(ref.inputs.name).split("/");
      const target = project.replace(/^gigafactory-/, "");
      expect(stack).toBe("gigafactory");
      expect(LAYERS.indexOf(target as (typeof LAYERS)[number]), ref.urn).toBeLessThan(LAYERS.indexOf(ref.layer as (typeof LAYERS)[number]));
    }
    // A resource depends on a resource of its own stack or on a stack reference: the engine links nothing else.
    const layerOfUrn = new Map(gigafactoryPlan.resources.map((r) => [r.urn, r.layer]));
    for (const r of gigafactoryPlan.resources) for (const d of r.dependencies) expect(layerOfUrn.get(d), `${r.urn} → ${d}`).toBe(r.layer);
  });

  it("answers a stack reference with the outputs of the layer below, traced to the resources they came from", () => {
    const leaves = stackReferenceLeaves(gigafactoryPlan);
    const byUrn = new Map(gigafactoryPlan.resources.map((r) => [r.urn, r]));
    const foundationRef = gigafactoryPlan.resources.find((r) => r.type === STACK_REFERENCE_TYPE && r.layer === "compute" && String(r.inputs.name).endsWith("/gigafactory-foundation/gigafactory"))!;
    // A GPU node group reads its one subnet of the foundation, and nothing else of it.
    const group = gigafactoryPlan.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && /-su\d+(-\d+)?-ng$/.test(r.name))!;
    const behind = sourcesThrough(group, leaves.get(foundationRef.urn)!).map((u) => byUrn.get(u)!);
    expect(behind.map((r) => r.type)).toEqual(["aws:ec2/subnet:Subnet"]);
    expect(group.inputs.subnetIds).toHaveLength(1);
    // A GPU launch template (a node group's, or a delivered reservation's) reads the factory's key (its volumes) and the EFA group (its interfaces).
    const template = gigafactoryPlan.resources.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.layer === "compute" && /-lt-(su|cr-|rg-)/.test(r.name))!;
    const types = new Set(sourcesThrough(template, leaves.get(foundationRef.urn)!).map((u) => byUrn.get(u)!.type));
    expect(types).toContain("aws:kms/key:Key");
    expect(types).toContain("aws:ec2/securityGroup:SecurityGroup");
    // The compute layer's launch templates carry the very key ARN the foundation's key has.
    const keyArn = gigafactoryPlan.resources.find((r) => r.type === "aws:ecr/repository:Repository")!.inputs.encryptionConfigurations as { kmsKey: string }[];
    expect(JSON.stringify(template.inputs.blockDeviceMappings)).toContain(keyArn[0].kmsKey);
  });

  it("reports each layer's resources and plan time", async () => {
    // The run that planned the dev stack for this test run: its report.
    const run = await plannedRun("dev");
    expect(run.code).toBe(0);
    const section = run.stdout.slice(run.stdout.indexOf("Layers"));
    for (const layer of LAYERS) {
      const n = dev.resources.filter((r) => r.layer === layer).length;
      expect(section).toMatch(new RegExp(`${layer}\\s+gigafactory-${layer}/dev\\s+${n}\\s+\\d+\\.\\d s`));
    }
  }, 300_000);
});

describe("one layer alone", () => {
  it("plans only that layer's stack, its references answered by the layers below", async () => {
    const dir = copyOfStacks();
    const run = await gigafactoryServed(["plan", "--stack", "dev", "--dir", dir, "--layer", "compute", "--json", `${dir}/compute.json`]);
    expect(run.code, run.stderr).toBe(0);
    const snapshot = JSON.parse(require("node:fs").readFileSync(`${dir}/compute.json`, "utf8")) as PlanSnapshot;
    expect(snapshot.layers?.map((l) => l.name)).toEqual(["compute"]);
    expect(new Set(snapshot.resources.map((r) => r.layer))).toEqual(new Set(["compute"]));
    const same = (r: SnapshotResource) => dev.resources.find((d) => d.urn === r.urn);
    for (const r of snapshot.resources) expect(r.inputs, r.urn).toEqual(same(r)?.inputs);
    expect(snapshot.resources.length).toBe(dev.resources.filter((r) => r.layer === "compute").length);
  }, 300_000);

  it("refuses a layer project misnamed or reading other stack files, for every verb that plans", async () => {
    const dir = copyOfStacks();
    const file = join(dir, "layers", "data", "Pulumi.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("name: gigafactory-data", "name: data"));
    for (const args of [["plan", "--stack", "dev", "--dir", dir], ["check", "--stack", "dev", "--dir", dir]]) {
      const run = await gigafactory(args);
      expect(run.code, args[0]).toBe(2);
      expect(run.stderr).toMatch(/^error .*layers\/data\/Pulumi\.yaml: name is data — name the data layer's project gigafactory-data$/m);
    }
  }, 300_000);

  it("refuses a layer that does not exist, naming the ones that do", async () => {
    const run = await gigafactoryServed(["plan", "--stack", "dev", "--layer", "network"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error --layer:");
    expect(run.stderr).toContain("foundation, data, compute, platform, tenants");
  });
});

describe("what a change touches", () => {
  it("a new tenant changes only the tenants layer's stack", async () => {
    const dir = projectWith("dev", (y) => replaceOnce(y, "      team-b:\n", "      team-c:\n        gpuQuota: 8\n      team-b:\n"));
    const after = await planOf("dev", dir);
    const diff = diffSnapshots(dev, after);
    expect(diff.changes.length).toBeGreaterThan(0);
    expect(diff.changes.filter((c) => c.layer !== "tenants").map((c) => `${c.kind} ${c.urn}`)).toEqual([]);
    expect(diff.stacks.map((s) => `${s.project}/${s.stack}`)).toEqual(["gigafactory-tenants/dev"]);
    expect(diff.changes.every((c) => c.kind === "create")).toBe(true);
    const review = renderMarkdown(diff);
    expect(review).toContain("### Stacks to update, in order");
    expect(review).toMatch(/\| 1 \| tenants \| `gigafactory-tenants\/dev` \| \d+ \| 0 \| 0 \| 0 \| `in-place` \|/);
  }, 600_000);

  it("a plan made before layers still diffs: no stacks to name, every change still found", () => {
    const strip = (s: PlanSnapshot): PlanSnapshot => ({ ...s, layers: undefined, resources: s.resources.map(({ layer: _layer, ...r }) => r) });
    const before = strip(dev);
    const diff = diffSnapshots(before, strip({ ...dev, resources: dev.resources.filter((r) => !r.name.endsWith("-team-b-quota")) }));
    expect(diff.stacks).toEqual([]);
    expect(diff.changes.map((c) => c.kind)).toEqual(["delete"]);
    expect(renderMarkdown(diff)).not.toContain("Stacks to update");
  });
});

describe("where each layer deploys from", () => {
  it("puts Kubernetes objects only in the in-cluster layers", () => {
    const withKubernetes = new Set(gigafactoryPlan.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.layer));
    expect([...withKubernetes].sort()).toEqual([...IN_CLUSTER_LAYERS].sort());
  });

  it("has the runner deploy exactly the in-cluster layers, each a project of the repository", () => {
    const project = dev.resources.find((r) => r.type === "aws:codebuild/project:Project" && r.urn.includes("gigafactory:foundation:DeployPath"))!;
    const buildspec = String((project.inputs.source as { buildspec: string }).buildspec);
    expect(buildspec).toContain(`case "$GIGAFACTORY_LAYER" in ${IN_CLUSTER_LAYERS.join("|")})`);
    expect(buildspec).toContain(`cd "layers/$GIGAFACTORY_LAYER" && pulumi up --yes --stack "$PULUMI_STACK"`);
    for (const layer of IN_CLUSTER_LAYERS) expect(existsSync(join(ROOT, "layers", layer, "Pulumi.yaml")), layer).toBe(true);
  });
});
