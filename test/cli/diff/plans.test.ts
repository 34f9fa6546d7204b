import { beforeAll, describe, expect, it } from "vitest";
import { diffSnapshots } from "../../../cli/diff/index";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../../cli/diff/markdown";
import { fieldEffect, rulesFor } from "../../../plan/replacement";
import { factoryMermaid } from "../../../cli/diff/mermaid";
import type { DiffResult } from "../../../cli/diff/types";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { mermaidParse } from "../../fixtures/diff/mermaid-parse";
import { copyOfStacks, inPairs, planOf, projectWith, replaceOnce } from "../../fixtures/diff/real-plans";
import { plannedSnapshot } from "../../support/planned-stacks";

// The diff on real plans of the repository's stacks (planned once per test run), and on copies with one thing of
// the spec changed (or none: a second, independent plan of the same spec).
// The factory grows as its components land: where a resource type is not planned yet, the expectation about
// it is checked once it is.

interface Blueprintish {
  totalGpus: number;
  nodes: number;
  pools: { name: string; instanceType: string; unitNodes: number; gpusPerNode: number; units: string[] }[];
  tenants: { name: string; gpuQuota: number }[];
  storage: { capacityTiB: number; throughputMBps: number; checkpointSeconds: number };
}
const bp = (s: PlanSnapshot) => s.blueprint as unknown as Blueprintish;
const figure = (d: DiffResult, label: string) => d.meaning.figures.find((f) => f.label === label);
const plans = (s: PlanSnapshot, type: string) => s.resources.some((r) => r.type === type);

let af: PlanSnapshot;
let afAgain: PlanSnapshot;
let afPool: PlanSnapshot;
let afQuota: PlanSnapshot;
let afStorage: PlanSnapshot;
let afKubernetes: PlanSnapshot;
let gf: PlanSnapshot;
let gfInstance: PlanSnapshot;

function withKubernetesVersion(plan: PlanSnapshot, version: string): PlanSnapshot {
  const copy = structuredClone(plan);
  (copy.spec as { kubernetes: { version: string } }).kubernetes.version = version;
  for (const r of copy.resources) {
    if (r.type === "aws:eks/cluster:Cluster") r.inputs.version = version;
    // The nodes boot the EKS-optimised AMI of the cluster's version, looked up by version.
    if (r.type === "aws:ec2/launchTemplate:LaunchTemplate" && typeof r.inputs.imageId === "string") r.inputs.imageId = `${r.inputs.imageId}0`;
    if (r.type === "aws:eks/nodeGroup:NodeGroup" && r.inputs.version !== undefined) r.inputs.version = version;
  }
  return copy;
}

beforeAll(async () => {
  [af, gf, [gfInstance, afAgain, afPool, afQuota, afStorage]] = await Promise.all([
    plannedSnapshot("ai-factory"),
    plannedSnapshot("gigafactory"),
    inPairs([
      () => planOf("gigafactory", projectWith("gigafactory", (y) => replaceOnce(y, "instanceType: p5.48xlarge", "instanceType: p5en.48xlarge"))),
      () => planOf("ai-factory", copyOfStacks()),
      // AWS delivers one more reservation of a unit's size; the pool names it and grows by a unit.
      () =>
        planOf(
          "ai-factory",
          projectWith("ai-factory", (y) =>
            replaceOnce(
              replaceOnce(y, "nodes: 2048", "nodes: 2080"),
              /(\n( +)- \{ reservationId: cr-[0-9a-f]{17}, availabilityZoneId: eus2-az1, instances: 1024 \}\n)(\s+train-b:)/,
              "$1$2- { reservationId: cr-0c0ffee0000000032, availabilityZoneId: eus2-az1, instances: 32 }\n$3",
            ),
          ),
        ),
      () => planOf("ai-factory", projectWith("ai-factory", (y) => replaceOnce(y, /(lisbon-speech:\n\s+gpuQuota:) 1024/, "$1 1536"))),
      // A faster objective with the tier left to the objectives (its pin removed): the cheapest file system changes tier.
      () => planOf("ai-factory", projectWith("ai-factory", (y) => replaceOnce(replaceOnce(y, "seconds: 60", "seconds: 30"), /\n +# The tier[^\n]*\n +tierMBpsPerTiB: 125/, ""))),
    ]),
  ]);
  // How the diff classes a version change, on the plan with the version moved where the program puts it (spec,
  // cluster, nodes' AMI); a real plan of the next minor, and what the review says of it, is in drains.test.ts.
  afKubernetes = withKubernetesVersion(af, "1.34");
}, 900_000);

describe("gigafactory diff on real plans", () => {
  it("knows every resource type and input the factory plans (plan/replacement-table.ts)", () => {
    const unknown = new Set<string>();
    for (const plan of [af, gf]) {
      for (const r of plan.resources.filter((x) => x.custom)) {
        const rules = rulesFor(r.type);
        if (!rules) unknown.add(r.type);
        else for (const key of Object.keys(r.inputs)) if (!fieldEffect(rules, key, 0, 1).known) unknown.add(`${r.type} ${key}`);
      }
    }
    // A type or input missing here is classed `replace` in every review: add it to the table with its source.
    expect([...unknown].sort()).toEqual([]);
  });

  it("two plans of the unchanged ai-factory stack give no changes", () => {
    const d = diffSnapshots(af, afAgain);
    expect(d.identical).toBe(true);
    expect(d.disruption).toBe("none");
    expect(renderMarkdown(d)).toContain("**No changes.**");
  });

  it("a pool grown by one scalable unit: 256 more GPUs, one unit added, nothing existing replaced", () => {
    const d = diffSnapshots(af, afPool);
    const pool = bp(af).pools.find((p) => p.name === "train-a");
    if (!pool) throw new Error("ai-factory has no pool train-a");
    expect(figure(d, "Nodes")).toMatchObject({ before: bp(af).nodes, after: bp(af).nodes + 32 });
    expect(figure(d, "GPUs")).toMatchObject({ before: bp(af).totalGpus, after: bp(af).totalGpus + 32 * pool.gpusPerNode });
    expect(d.meaning.unitsAdded).toEqual([`train-a-su${String(pool.units.length + 1).padStart(3, "0")}`]);
    expect(d.meaning.pools.find((p) => p.name === "train-a")).toMatchObject({ status: "changed", after: { nodes: 2080 } });
    expect(["none", "in-place"]).toContain(d.disruption);
    expect(d.changes.filter((c) => c.kind === "replace" || c.kind === "delete")).toEqual([]);
    if (plans(afPool, "aws:eks/nodeGroup:NodeGroup")) {
      expect(d.changes.some((c) => c.kind === "create" && c.type === "aws:eks/nodeGroup:NodeGroup" && c.unit === d.meaning.unitsAdded[0])).toBe(true);
    }
  });

  it("a tenant's quota: the tenant and the total move by 512 GPUs, no node and no data is touched", () => {
    const d = diffSnapshots(af, afQuota);
    expect(d.meaning.tenants.find((t) => t.name === "lisbon-speech")).toMatchObject({ before: { gpuQuota: 1024 }, after: { gpuQuota: 1536 } });
    const total = figure(d, "Tenant GPU quotas, total");
    expect(Number(total?.after) - Number(total?.before)).toBe(512);
    expect(figure(d, "GPUs")?.after).toBe(figure(d, "GPUs")?.before);
    expect(["none", "in-place", "replace"]).toContain(d.disruption);
    // The tenant's Lustre volume only has its share's annotation updated: its data and its mounts stay as they are.
    expect(d.changes.filter((c) => (c.stateBearing && c.disruption !== "in-place") || c.disruption === "rolling")).toEqual([]);
    // Nothing is lost, so nothing is said to be at stake.
    expect(d.changes.flatMap((c) => c.notes).filter((n) => n.startsWith("at stake:"))).toEqual([]);
  });

  it("a faster checkpoint objective that, with the tier unpinned, re-sizes the file system into a smaller, faster one is named data loss", () => {
    const d = diffSnapshots(af, afStorage);
    const s0 = bp(af).storage;
    const s1 = bp(afStorage).storage;
    expect(s1.throughputMBps).toBeGreaterThan(s0.throughputMBps);
    expect(figure(d, "Storage throughput")).toMatchObject({ before: s0.throughputMBps, after: s1.throughputMBps });
    expect(figure(d, "Storage capacity")).toMatchObject({ before: s0.capacityTiB, after: s1.capacityTiB });
    // The cheapest file system for 30 s is a faster tier with less capacity: Lustre cannot shrink or change
    // an EFA file system's tier in place, so the review must say the data is at stake.
    expect(s1.capacityTiB).toBeLessThan(s0.capacityTiB);
    const lustre = d.changes.find((c) => c.type === "aws:fsx/lustreFileSystem:LustreFileSystem");
    expect(lustre).toMatchObject({ kind: "replace", disruption: "data-loss" });
    // It says what is lost and how to keep it.
    expect(lustre!.notes).toContainEqual(expect.stringMatching(/^at stake: every file on the Lustre file system, the tenants' shares/));
    expect(lustre!.notes).toContainEqual(expect.stringMatching(/^to keep it: declare the new file system beside the old one/));
    expect(renderMarkdown(d)).toMatch(/at stake: every file on the Lustre file system/);
    expect(d.disruption).toBe("data-loss");
  });

  it("a Kubernetes upgrade: in place for the control plane, rolling for the GPU nodes", () => {
    const d = diffSnapshots(af, afKubernetes);
    expect(figure(d, "Kubernetes version")).toMatchObject({ before: "1.33", after: "1.34" });
    const cluster = d.changes.find((c) => c.type === "aws:eks/cluster:Cluster");
    if (plans(afKubernetes, "aws:eks/cluster:Cluster")) expect(cluster?.disruption).toBe("in-place");
    if (plans(afKubernetes, "aws:ec2/launchTemplate:LaunchTemplate")) {
      expect(d.disruption).toBe("rolling");
      expect(d.changes.filter((c) => c.type === "aws:ec2/launchTemplate:LaunchTemplate").every((c) => c.disruption === "rolling")).toBe(true);
    }
    else expect(["none", "in-place"]).toContain(d.disruption);
  });

  it("a pool's instance type on the gigafactory: the pool changes type, its node groups and reservations are replaced", () => {
    const d = diffSnapshots(gf, gfInstance);
    const pool = d.meaning.pools.find((p) => p.name === "h100-c");
    expect(pool).toMatchObject({ status: "changed", before: { instanceType: "p5.48xlarge" }, after: { instanceType: "p5en.48xlarge" } });
    expect(d.meaning.pools.filter((p) => p.status !== "unchanged").map((p) => p.name)).toEqual(["h100-c"]);
    expect(figure(d, "Cost per month (GPU nodes and Lustre)")?.before).not.toBe(figure(d, "Cost per month (GPU nodes and Lustre)")?.after);
    const ofPool = (type: string) => d.changes.filter((c) => c.pool === "h100-c" && c.type === type);
    if (plans(gfInstance, "aws:ec2/capacityReservation:CapacityReservation")) {
      // A reservation is for one instance type: a new type is a new reservation.
      expect(d.disruption).toBe("replace");
      expect(ofPool("aws:ec2/capacityReservation:CapacityReservation").length).toBeGreaterThan(0);
      for (const c of ofPool("aws:ec2/capacityReservation:CapacityReservation")) expect(c).toMatchObject({ kind: "replace", disruption: "replace" });
    }
    // The nodes move to the new type through a new launch template version, unit by unit.
    for (const c of ofPool("aws:ec2/launchTemplate:LaunchTemplate")) expect(c).toMatchObject({ kind: "update", disruption: "rolling" });
    for (const c of ofPool("aws:eks/nodeGroup:NodeGroup")) {
      expect(c.kind).not.toBe("delete");
      if (c.inputs.some((i) => i.path.startsWith("instanceTypes"))) expect(c.kind).toBe("replace");
    }
    expect(d.changes.filter((c) => c.pool !== undefined && c.pool !== "h100-c")).toEqual([]);
  });

  it("the gigafactory diff takes under 2 s, stays under GitHub's limit and its picture parses", async () => {
    // CPU time: the review is one synchronous pass, and a busy machine must not fail the bound.
    const started = process.cpuUsage();
    const d = diffSnapshots(gf, gfInstance);
    const md = renderMarkdown(d, { mermaid: factoryMermaid(gf, gfInstance, d) });
    const used = process.cpuUsage(started);
    const ms = (used.user + used.system) / 1000;
    expect(ms).toBeLessThan(2_000);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(md)?.[1];
    expect(chart).toBeDefined();
    await expect(mermaidParse(chart ?? "")).resolves.toBeTruthy();
    expect(chart).toMatch(/class [^\n]*n_pool_h100_c[^\n]* changed/);
  });
});
