import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { renderKubernetes } from "../../../../core/render/kubernetes/objects";
import { KUEUE_API_VERSION } from "../../../../core/render/kubernetes/kueue-objects";
import { kueueCrds, schemaProblems } from "../../../fixtures/kubernetes/schemas";
import { designedStack } from "../../../fixtures/kubernetes/stacks";

// What `gigafactory render` writes under kubernetes/ is what the API server accepts with unknown fields rejected:
// core objects against Kubernetes' OpenAPI (kubernetes-models), Kueue's against its published v0.19.2 CRDs.

const rendered = (stack: string) =>
  renderKubernetes(designedStack(stack).input).flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as Record<string, unknown>));

describe("rendered Kubernetes objects", () => {
  for (const stack of ["dev", "ai-factory", "gigafactory"]) {
    it(`every object of the ${stack} stack is valid against Kubernetes' and Kueue's schemas, unknown fields rejected`, () => {
      const objects = rendered(stack);
      expect(objects.length).toBeGreaterThan(6);
      expect(objects.flatMap((o) => schemaProblems(o))).toEqual([]);
    });
  }

  it("uses the Kueue API version the CRDs serve and store", () => {
    const stored = kueueCrds().filter((c) => c.storage);
    expect(new Set(stored.map((c) => `${c.group}/${c.version}`))).toEqual(new Set([KUEUE_API_VERSION]));
    expect(stored.every((c) => c.served)).toBe(true);
  });
});

describe("the schema check", () => {
  const own = rendered("dev").filter((o) => (o.metadata as { namespace?: string; name: string }).name === "team-a" || (o.metadata as { namespace?: string }).namespace === "team-a");
  const ofKind = (kind: string) => own.find((o) => o.kind === kind)!;
  const [namespace, quota, policy, queue] = ["Namespace", "ResourceQuota", "NetworkPolicy", "ClusterQueue"].map(ofKind);

  it("refuses a field Kubernetes does not define, in a core object and in its metadata", () => {
    expect(schemaProblems({ ...namespace, spec: { finalizer: ["x"] } })).toEqual([expect.stringMatching(/unknown field Namespace\.spec\.finalizer$/)]);
    expect(schemaProblems({ ...quota, metadata: { ...(quota.metadata as object), label: {} } })).toEqual([expect.stringMatching(/unknown field metadata\.label$/)]);
  });

  it("refuses a value Kubernetes does not allow", () => {
    const spec = policy.spec as Record<string, unknown>;
    expect(schemaProblems({ ...policy, spec: { ...spec, policyTypes: ["Sideways"] } }).join("\n")).toMatch(/policyTypes\/0 must be equal to one of the allowed values/);
  });

  it("refuses a field Kueue's CRD does not define, and a missing required one", () => {
    const spec = queue.spec as Record<string, unknown>;
    expect(schemaProblems({ ...queue, spec: { ...spec, cohort: "x" } })).toEqual([expect.stringMatching(/ClusterQueue team-a: \/spec must NOT have additional properties \(cohort\)/)]);
    expect(schemaProblems({ apiVersion: KUEUE_API_VERSION, kind: "Topology", metadata: { name: "t" }, spec: { levels: [{ label: "x" }] } }).join("\n")).toMatch(/must have required property 'nodeLabel'/);
  });

  it("evaluates the CRDs' CEL rules: the host only as the last topology level, each level once", () => {
    const topology = (labels: string[]) => ({ apiVersion: KUEUE_API_VERSION, kind: "Topology", metadata: { name: "t" }, spec: { levels: labels.map((nodeLabel) => ({ nodeLabel })) } });
    expect(schemaProblems(topology(["topology.k8s.aws/network-node-layer-1", "kubernetes.io/hostname"]))).toEqual([]);
    expect(schemaProblems(topology(["kubernetes.io/hostname", "topology.k8s.aws/network-node-layer-1"])).join("\n")).toMatch(/kubernetes\.io\/hostname/);
    expect(schemaProblems(topology(["a", "a"]))).toHaveLength(1);
  });

  it("evaluates the CRDs' CEL rules: every flavor lists every covered resource, a flavor with a topology selects nodes", () => {
    const spec = queue.spec as { resourceGroups: { coveredResources: string[]; flavors: { resources: unknown[] }[] }[] };
    const [group] = spec.resourceGroups;
    const short = { ...group, flavors: group.flavors.map((f) => ({ ...f, resources: f.resources.slice(1) })) };
    expect(schemaProblems({ ...queue, spec: { ...spec, resourceGroups: [short] } })).toHaveLength(1);
    const flavor = { apiVersion: KUEUE_API_VERSION, kind: "ResourceFlavor", metadata: { name: "f" }, spec: { topologyName: "t", nodeLabels: {} } };
    expect(schemaProblems(flavor)).toHaveLength(1);
  });

  it("knows no schema for an API version Kueue does not serve", () => {
    expect(schemaProblems({ ...queue, apiVersion: "kueue.x-k8s.io/v1alpha1" })).toEqual([expect.stringMatching(/no schema for kueue.x-k8s.io\/v1alpha1 ClusterQueue/)]);
  });
});
