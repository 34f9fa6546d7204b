import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../../core/blueprint";
import { tenantPoolQuotas } from "../../../../core/blueprint/tenants";
import type { Blueprint } from "../../../../core/blueprint/types";
import { acceleratorTaint, LABEL_POOL } from "../../../../core/blueprint/labels";
import { instanceType } from "../../../../core/catalog/instances";
import { clusterQueue, kueueClusterObjects, kueueCohort, kueueContext, kueueTopology, localQueue, resourceFlavors, workloadPriorityClasses } from "../../../../core/render/kubernetes/kueue-objects";
import { EFA_RESOURCE, GPU_RESOURCE } from "../../../../core/render/kubernetes/kueue-resources";
import type { KubernetesObject } from "../../../../core/render/kubernetes/objects-types";
import { factorySpec, pool, tenant } from "../../../fixtures/blueprint/spec";
import { designedStack } from "../../../fixtures/kubernetes/stacks";

type Quota = { name: string; nominalQuota: string; borrowingLimit?: string; lendingLimit?: string };
type Flavor = { name: string; resources: Quota[] };
type Group = { coveredResources: string[]; flavors: Flavor[] };

const groupsOf = (o: KubernetesObject) => ((o.spec as { resourceGroups?: Group[] }).resourceGroups ?? []) as Group[];
const amount = (q: string | undefined) => Number((q ?? "0").replace(/Gi$/, ""));
/** A queue's figure for one resource, summed over its flavors. */
const total = (o: KubernetesObject, resource: string, field: "nominalQuota" | "borrowingLimit" | "lendingLimit") =>
  groupsOf(o).flatMap((g) => g.flavors.flatMap((f) => f.resources.filter((r) => r.name === resource))).reduce((s, r) => s + amount(r[field]), 0);

const giga = designedStack("gigafactory");

describe("Kueue topology and flavors", () => {
  it("has one Topology whose levels are the blueprint's, in order, the host last", () => {
    const topology = kueueTopology(giga.blueprint);
    const levels = (topology.spec as { levels: { nodeLabel: string }[] }).levels.map((l) => l.nodeLabel);
    expect(levels).toEqual(giga.blueprint.topology.levels.map((l) => l.nodeLabel));
    expect(levels.at(-1)).toBe("kubernetes.io/hostname");
    expect(new Set(levels).size).toBe(levels.length);
    expect(kueueClusterObjects(giga.input.blueprint, giga.spec.priorities).filter((o) => o.kind === "Topology")).toHaveLength(1);
  });

  it("gives each pool a flavor that selects its nodes by the label they carry, tolerates their taint and uses the topology", () => {
    const flavors = resourceFlavors(giga.blueprint);
    expect(flavors.map((f) => f.metadata.name)).toEqual(giga.blueprint.pools.map((p) => p.name));
    for (const [i, f] of flavors.entries()) {
      const p = giga.blueprint.pools[i];
      const taint = acceleratorTaint(instanceType(p.instanceType)!);
      expect(f.spec).toEqual({
        nodeLabels: { [LABEL_POOL]: p.name },
        tolerations: [{ key: taint.key, operator: "Exists", effect: taint.effect }],
        topologyName: giga.blueprint.factory,
      });
    }
  });

  it("offers a WorkloadPriorityClass for every priority the spec names, unused ones included", () => {
    const classes = workloadPriorityClasses({ critical: 1000, standard: 100, preemptible: 0, research: 50 });
    expect(classes.map((c) => [c.metadata.name, c.value])).toEqual([
      ["critical", 1000],
      ["standard", 100],
      ["research", 50],
      ["preemptible", 0],
    ]);
  });
});

describe("tenants' ClusterQueues", () => {
  it("hold exactly each tenant's quota, borrowing and lending limits of the spec, in GPUs, over its pools", () => {
    const ctx = kueueContext(giga.blueprint);
    for (const t of giga.blueprint.tenants) {
      const q = clusterQueue(giga.blueprint, t, ctx);
      expect(total(q, GPU_RESOURCE, "nominalQuota"), t.name).toBe(t.gpuQuota);
      expect(total(q, GPU_RESOURCE, "borrowingLimit"), t.name).toBe(t.borrowingLimitGpus);
      expect(total(q, GPU_RESOURCE, "lendingLimit"), t.name).toBe(Math.min(t.lendingLimitGpus, t.gpuQuota));
      expect(groupsOf(q)[0].flavors.map((f) => f.name)).toEqual(t.pools);
    }
  });

  it("never lends more of any resource than a flavor's nominal quota (Kueue refuses it)", () => {
    for (const t of giga.blueprint.tenants) {
      for (const f of groupsOf(clusterQueue(giga.blueprint, t))[0].flavors) {
        for (const r of f.resources) expect(amount(r.lendingLimit), `${t.name}/${f.name}/${r.name}`).toBeLessThanOrEqual(amount(r.nominalQuota));
      }
    }
  });

  it("list every covered resource in every flavor, in the same order (Kueue's rule for a resource group)", () => {
    for (const o of [kueueCohort(giga.blueprint), ...giga.blueprint.tenants.map((t) => clusterQueue(giga.blueprint, t))]) {
      for (const g of groupsOf(o)) for (const f of g.flavors) expect(f.resources.map((r) => r.name)).toEqual(g.coveredResources);
    }
  });

  it("reclaim lent GPUs from anyone in the cohort, share borrowed ones fairly and admit only their tenant's namespace", () => {
    const t = giga.blueprint.tenants[0];
    const q = clusterQueue(giga.blueprint, t);
    expect(q.spec).toMatchObject({
      cohortName: giga.blueprint.factory,
      preemption: { reclaimWithinCohort: "Any", withinClusterQueue: "LowerPriority" },
      fairSharing: { weight: "1" },
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": t.name } },
    });
    expect(localQueue(t)).toMatchObject({ metadata: { name: "default", namespace: t.name }, spec: { clusterQueue: t.name } });
  });

  it("give a tenant the CPUs, memory and EFA interfaces of the nodes its GPUs are on", () => {
    const { blueprint } = buildBlueprint(factorySpec({ pools: { train: pool({ nodes: 4 }) }, tenants: { a: tenant({ gpuQuota: 16 }) } }));
    const q = clusterQueue(blueprint, blueprint.tenants[0]);
    // p5en.48xlarge: 8 GPUs, 192 vCPUs, 2,048 GiB, 16 EFA interfaces (docs/sources.md#karpenter-instance-types); 16 GPUs are two nodes.
    expect(groupsOf(q)[0].flavors[0].resources.map((r) => [r.name, r.nominalQuota])).toEqual([
      ["cpu", "384"],
      ["memory", "4096Gi"],
      [GPU_RESOURCE, "16"],
      [EFA_RESOURCE, "32"],
    ]);
  });
});

describe("the factory's cohort", () => {
  it("holds the GPUs of each pool that no tenant's quota covers, so tenants can borrow them", () => {
    const spec = factorySpec({
      pools: { a: pool({ nodes: 8 }), b: pool({ nodes: 8 }) },
      tenants: { x: tenant({ gpuQuota: 40, pools: ["a"] }), y: tenant({ gpuQuota: 64, pools: ["a", "b"] }) },
    });
    const { blueprint } = buildBlueprint(spec);
    const cohort = kueueCohort(blueprint);
    const gpus = groupsOf(cohort)[0].flavors.map((f) => [f.name, f.resources.find((r) => r.name === GPU_RESOURCE)?.nominalQuota]);
    // 64 GPUs per pool; x takes 40 of a, y 32 of each.
    expect(gpus).toEqual([
      ["a", "0"],
      ["b", "32"],
    ]);
  });

  it("adds up with the tenants' nominal quotas to every pool's GPUs when the pools are not oversubscribed", () => {
    const b: Blueprint = giga.blueprint;
    const cohort = kueueCohort(b);
    const ctx = kueueContext(b);
    for (const p of b.pools) {
      const own = groupsOf(cohort)[0].flavors.find((f) => f.name === p.name)!.resources.find((r) => r.name === GPU_RESOURCE)!;
      const tenants = b.tenants.flatMap((t) => tenantPoolQuotas(t, ctx.poolGpus)).filter((q) => q.pool === p.name).reduce((s, q) => s + q.nominalGpus, 0);
      expect(amount(own.nominalQuota) + tenants, p.name).toBe(p.gpus);
    }
  });
});
