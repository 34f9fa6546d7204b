import { beforeAll, describe, expect, it } from "vitest";
import type { PlanSnapshot } from "../../../plan/snapshot";
import type { Blueprint } from "../../../core/blueprint/types";
import { PINNED_CHARTS } from "../../../core/catalog/charts";
import { kubernetesObjects } from "../../../core/render/kubernetes/objects";
import { objectKey, type KubernetesObject } from "../../../core/render/kubernetes/objects-types";
import { helmVersionProblem } from "../../../policies/guardrails/helm-versions";
import { DEFAULT_CHART_IMAGE_VALUES } from "../../../policies/eu-residency/chart-images";
import { imageRefOf, imagesInValues, registryProblem } from "../../../policies/eu-residency/images";
import { asBoolean, at } from "../../../policies/lib/values";
import { plannedSnapshot } from "../../support/planned-stacks";
import { designedStack } from "../../fixtures/kubernetes/stacks";

// The gigafactory plan, run by the offline engine on the real program: 128 tenants, each with its namespace,
// queues and AWS access; one Topology; add-ons pinned and pulled from the region; the objects declared are the
// objects `gigafactory render` writes.

type Resource = PlanSnapshot["resources"][number];
const inputs = (r: Resource) => r.inputs as Record<string, any>;
const residency = { allowedRegions: ["eu-north-1"], allowedRegistries: [], sameRegion: true };

let snapshot: PlanSnapshot;
const ofType = (type: string) => snapshot.resources.filter((r) => r.type === type);
const blueprint = () => snapshot.blueprint as unknown as Blueprint;
const underTenant = (r: Resource) => typeof r.parent === "string" && r.parent.includes("gigafactory:tenancy:Tenant::");
let byUrn: Map<string, Resource> | undefined;
function under(r: Resource, types: readonly string[]): boolean {
  byUrn ??= new Map(snapshot.resources.map((x) => [x.urn, x]));
  for (let p = r.parent ? byUrn.get(r.parent) : undefined; p; p = p.parent ? byUrn.get(p.parent) : undefined) {
    if (types.includes(p.type)) return true;
  }
  return false;
}
/** The factory's scheduling: add-ons and Kueue (other parts of the factory declare objects of their own). */
const underScheduling = (r: Resource) => under(r, ["gigafactory:kubernetes:Scheduling"]);
/** What `gigafactory render` writes: the scheduling's objects and the tenants'. */
const underSchedulingOrTenant = (r: Resource) => under(r, ["gigafactory:kubernetes:Scheduling", "gigafactory:tenancy:Tenant"]);
const SCHEDULING_CHARTS = ["aws-efa-k8s-device-plugin", "gpu-operator", "kueue"];

beforeAll(async () => {
  snapshot = await plannedSnapshot("gigafactory");
}, 600_000);

describe("the gigafactory plan's tenants", () => {
  it("gives every tenant of the spec a namespace, a ClusterQueue and a LocalQueue, inside its Tenant, a child of the factory", () => {
    const tenants = blueprint().tenants.map((t) => t.name);
    expect(tenants.length).toBeGreaterThanOrEqual(100);
    expect(ofType("gigafactory:tenancy:Tenant")).toHaveLength(tenants.length);
    for (const t of ofType("gigafactory:tenancy:Tenant")) expect(t.parent, t.name).toMatch(/::gigafactory:index:GigaFactory::[^:]+$/);
    const names = (type: string) => ofType(type).filter(underTenant).map((r) => inputs(r).metadata.name as string).sort();
    expect(names("kubernetes:core/v1:Namespace")).toEqual([...tenants].sort());
    expect(names("kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue")).toEqual([...tenants].sort());
    const local = ofType("kubernetes:kueue.x-k8s.io/v1beta2:LocalQueue").filter(underTenant).map((r) => `${inputs(r).metadata.namespace}/${inputs(r).spec.clusterQueue}`);
    expect(local.sort()).toEqual(tenants.map((t) => `${t}/${t}`).sort());
  });

  it("scopes each tenant's access entry to its namespace only", () => {
    const associations = ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation").filter(underTenant);
    expect(associations).toHaveLength(blueprint().tenants.length);
    for (const a of associations) {
      const tenant = a.name.split("-scheduling-")[1].replace(/-access-policy$/, "");
      expect(inputs(a).accessScope, a.name).toEqual({ type: "namespace", namespaces: [tenant] });
      expect(inputs(a).policyArn).toMatch(/:cluster-access-policy\/AmazonEKSEditPolicy$/);
    }
    for (const e of ofType("aws:eks/accessEntry:AccessEntry").filter(underTenant)) expect(inputs(e).type).toBe("STANDARD");
  });

  it("keeps each tenant's key: protected, retained, rotated, with the longest deletion window", () => {
    const keys = ofType("aws:kms/key:Key").filter(underTenant);
    expect(keys).toHaveLength(blueprint().tenants.length);
    for (const k of keys) {
      expect(k.protect && k.retainOnDelete, k.name).toBe(true);
      expect(inputs(k)).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
      expect(inputs(k).tags["gigafactory:tenant"]).toBeTruthy();
    }
  });

  it("declares in the cluster exactly the objects `gigafactory render` writes, through the cluster's provider", () => {
    const { input } = designedStack("gigafactory");
    const { cluster, operators, tenants } = kubernetesObjects(input);
    const rendered = new Map([...cluster, ...[...tenants.values()].flat()].map((o) => [objectKey(o), o]));
    // The MPI operator's objects are rendered with the registry as a variable: training-operators.test.ts holds them.
    const operatorKinds = new Set(operators.map(objectKey));
    // The tenants' Lustre shares and Slurm accounts name the file system and the registry the deploy creates, which
    // render cannot know: test/storage-tenants.test.ts and slurm-accounts-plan.test.ts hold them.
    const lustre = new Set(["kubernetes:core/v1:PersistentVolume", "kubernetes:core/v1:PersistentVolumeClaim", "kubernetes:storage.k8s.io/v1:StorageClass", "kubernetes:batch/v1:CronJob"]);
    const planned = snapshot.resources.filter(
      (r) =>
        underSchedulingOrTenant(r) &&
        r.type.startsWith("kubernetes:") &&
        !r.type.startsWith("kubernetes:helm.sh") &&
        r.custom &&
        !lustre.has(r.type) &&
        r.type !== "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition" &&
        !operatorKinds.has(objectKey(inputs(r) as KubernetesObject)),
    );
    const objects = planned.map((r) => inputs(r) as KubernetesObject);
    expect(new Set(objects.map(objectKey))).toEqual(new Set(rendered.keys()));
    for (const o of objects) expect(o, objectKey(o)).toEqual(rendered.get(objectKey(o)));
    for (const r of planned) expect(r.provider, r.name).toMatch(/pulumi:providers:kubernetes::.*-cluster-k8s::/);
  });
});

describe("the gigafactory plan's scheduling", () => {
  it("holds only what it installs in the cluster, through the cluster's provider", () => {
    const held = snapshot.resources.filter((r) => r.custom && underScheduling(r));
    expect(held.length).toBeGreaterThan(10);
    for (const r of held) expect([r.type, r.provider], r.name).toEqual([expect.stringMatching(/^kubernetes:/), expect.stringMatching(/pulumi:providers:kubernetes::.*-cluster-k8s::/)]);
  });

  it("has one Topology, with the blueprint's levels", () => {
    const [topology, ...more] = ofType("kubernetes:kueue.x-k8s.io/v1beta2:Topology");
    expect(more).toEqual([]);
    expect(inputs(topology).spec.levels.map((l: { nodeLabel: string }) => l.nodeLabel)).toEqual(blueprint().topology.levels.map((l) => l.nodeLabel));
  });

  it("pins every Helm release of the factory and installs it from the factory's registry in its region", () => {
    const releases = ofType("kubernetes:helm.sh/v3:Release");
    const own = releases.filter(underScheduling).map((r) => String(inputs(r).name));
    // cert-manager joins them when a chart that needs it is installed.
    expect(own).toEqual(expect.arrayContaining(SCHEDULING_CHARTS));
    for (const name of own) expect(PINNED_CHARTS.map((c) => c.chart)).toContain(name);
    for (const r of releases) {
      expect(helmVersionProblem(inputs(r)), r.name).toBeUndefined();
      expect(registryProblem(String(inputs(r).chart), "eu-north-1", residency, "chart"), r.name).toBeUndefined();
    }
  });

  it("points every image of every release at the in-region registry, chart defaults included", () => {
    for (const r of ofType("kubernetes:helm.sh/v3:Release")) {
      const values = inputs(r).values;
      const chart = String(inputs(r).name);
      const settings = (DEFAULT_CHART_IMAGE_VALUES[chart] ?? []).filter((e) => !e.enabledBy || (asBoolean(at(values, e.enabledBy)) ?? e.enabledByDefault ?? true));
      const refs = [...settings.map((s) => imageRefOf(at(values, s.path)) ?? ""), ...imagesInValues(values).map((i) => i.ref)];
      if (SCHEDULING_CHARTS.includes(chart)) expect(refs.length, chart).toBeGreaterThan(0);
      for (const ref of refs) expect(registryProblem(ref, "eu-north-1", residency, "image"), `${chart}: ${ref}`).toBeUndefined();
    }
  });
});
