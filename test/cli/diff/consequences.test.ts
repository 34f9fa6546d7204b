import { beforeAll, describe, expect, it } from "vitest";
import { FIRST_SCREEN } from "../../../cli/diff/first-screen";
import { diffSnapshots } from "../../../cli/diff/index";
import { renderMarkdown } from "../../../cli/diff/markdown";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { plannedSnapshot } from "../../support/planned-stacks";

// The join from a changed resource input to the spec field it was sized from, on the gigafactory's real plan with
// one sized value moved by hand in the blueprint, the spec and the resources that carry it.

type Tenantish = { name: string; gpuQuota: number };
type Groupish = { name: string; pool: string; nodes: number };
type QueueResource = { name: string; nominalQuota: string };

let base: PlanSnapshot;
beforeAll(async () => {
  base = await plannedSnapshot("gigafactory");
}, 900_000);

const tenantsOf = (s: PlanSnapshot) => (s.blueprint as unknown as { tenants: Tenantish[] }).tenants;
const specTenant = (s: PlanSnapshot, name: string) => (s.spec as { tenants: Record<string, { gpuQuota: number }> }).tenants[name];
const queueOf = (s: PlanSnapshot, tenant: string) => s.resources.find((r) => r.name.endsWith(`-${tenant}-cluster-queue`))!;
const gpuOf = (queue: PlanSnapshot["resources"][number]) =>
  (queue.inputs.spec as { resourceGroups: { flavors: { resources: QueueResource[] }[] }[] }).resourceGroups[0].flavors[0].resources.find((r) => r.name === "nvidia.com/gpu")!;

describe("a consequence is traced to the spec field its value was sized from", () => {
  it("a tenant's quota: its queue's nominal quota ⇐ tenants.<name>.gpuQuota", () => {
    const after = structuredClone(base);
    specTenant(after, "alpine-ai").gpuQuota = 2048;
    tenantsOf(after).find((t) => t.name === "alpine-ai")!.gpuQuota = 2048;
    gpuOf(queueOf(after, "alpine-ai")).nominalQuota = "786";
    const d = diffSnapshots(base, after);
    expect(d.intent!.tenants).toEqual([expect.objectContaining({ name: "alpine-ai", status: "changed", fields: ["gpuQuota"] })]);
    const quota = d.consequences!.find((c) => c.value === "tenants.{tenant}.gpuQuota")!;
    expect(quota.causes).toEqual([{ path: "tenants.alpine-ai.gpuQuota", before: "1,024", after: "2,048" }]);
    expect(quota.values).toEqual([{ name: "alpine-ai", before: "1,024", after: "2,048" }]);
    expect(quota.resources).toEqual([expect.objectContaining({ type: "kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue", kind: "update", count: 1 })]);
    expect(renderMarkdown(d)).toMatch(/`tenants\.alpine-ai\.gpuQuota` 1,024 → 2,048 ⇒ \*\*GPU quota of alpine-ai\*\* 1,024 → 2,048 GPUs ⇒ k8s ClusterQueue/);
  });

  it("a node group's size: its scaling ⇐ the pool's nodes", () => {
    const after = structuredClone(base);
    (after.spec as { pools: Record<string, { nodes: number }> }).pools["h200-a"].nodes = 4832;
    const group = (after.blueprint as unknown as { nodeGroups: Groupish[] }).nodeGroups.find((g) => g.pool === "h200-a")!;
    group.nodes += 32;
    const resource = after.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.name.endsWith(`-${group.name}-ng`))!;
    (resource.inputs.scalingConfig as Record<string, number>).desiredSize += 32;
    const d = diffSnapshots(base, after);
    const size = d.consequences!.find((c) => c.value === "nodeGroups.{group}.nodes")!;
    expect(size.causes.map((c) => c.path)).toEqual(["pools.h200-a.nodes"]);
    expect(size.values[0]).toEqual({ name: group.name, before: String(group.nodes - 32), after: String(group.nodes) });
    expect(size.resources).toEqual([expect.objectContaining({ type: "aws:eks/nodeGroup:NodeGroup", example: resource.name })]);
  });

  it("a value no spec field explains says so, and an input whose value did not move is blamed on nothing", () => {
    const after = structuredClone(base);
    tenantsOf(after).find((t) => t.name === "alpine-ai")!.gpuQuota = 2048;
    gpuOf(queueOf(after, "alpine-ai")).nominalQuota = "786";
    gpuOf(queueOf(after, "alpine-models")).nominalQuota = "1";
    const d = diffSnapshots(base, after);
    const quota = d.consequences!.find((c) => c.value === "tenants.{tenant}.gpuQuota")!;
    expect(quota.causes).toEqual([]);
    expect(quota.values.map((v) => v.name)).toEqual(["alpine-ai"]);
    expect(renderMarkdown(d)).toContain("_no spec field this pull request sets (the sizing rules changed)_ ⇒ **GPU quota of alpine-ai**");
    // alpine-models' queue changed with no sized value behind it: it is in the resource tables, not explained.
    expect(d.consequences!.flatMap((c) => c.values.map((v) => v.name))).not.toContain("alpine-models");
    expect(d.changes.some((c) => c.name.endsWith("alpine-models-cluster-queue"))).toBe(true);
  });

  it("reads the provenance the plan carries", () => {
    const provenance = (base.blueprint as { provenance?: { value: string; from: string[] }[] }).provenance!;
    expect(provenance.find((p) => p.value === "storage.perUnitStorageThroughputMBpsPerTiB")!.from).toEqual(["storage.lustre.tierMBpsPerTiB"]);
    expect(provenance.find((p) => p.value === "nodeGroups.{group}.nodes")!.from).toContain("pools.{pool}.nodes");
  });
});

describe("the first screen", () => {
  it("is an ordered list of sections, rendered in that order before the figures", () => {
    expect(FIRST_SCREEN.map((s) => s.id)).toEqual(["disruption", "intent", "consequences", "drains", "stacks"]);
    const after = structuredClone(base);
    specTenant(after, "alpine-ai").gpuQuota = 2048;
    tenantsOf(after).find((t) => t.name === "alpine-ai")!.gpuQuota = 2048;
    gpuOf(queueOf(after, "alpine-ai")).nominalQuota = "786";
    const md = renderMarkdown(diffSnapshots(base, after));
    const at = ["**Disruption:", "### What this pull request asks for", "### Why it changes", "### Stacks to update", "### The factory"].map((h) => md.indexOf(h));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
  });
});
