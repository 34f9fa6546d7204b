import { beforeAll, describe, expect, it } from "vitest";
import { diffSnapshots } from "../cli/diff/index";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "../cli/diff/markdown";
import { factoryMermaid } from "../cli/diff/mermaid";
import type { DiffResult } from "../cli/diff/types";
import type { PlanSnapshot } from "../cli/snapshot";
import { mermaidParse } from "./fixtures/diff/mermaid-parse";
import { inPairs, planOf, projectWith, replaceOnce } from "./fixtures/diff/real-plans";

// The diff on real plans of the repository's stacks, and on copies with one thing of the spec changed.
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

beforeAll(async () => {
  [af, afAgain, afPool, afQuota, afStorage, afKubernetes, gf, gfInstance] = await inPairs([
    () => planOf("ai-factory"),
    () => planOf("ai-factory"),
    () => planOf("ai-factory", projectWith("ai-factory", (y) => replaceOnce(y, "nodes: 2048", "nodes: 2080"))),
    () => planOf("ai-factory", projectWith("ai-factory", (y) => replaceOnce(y, /(lisbon-speech:\n\s+gpuQuota:) 1024/, "$1 1536"))),
    () => planOf("ai-factory", projectWith("ai-factory", (y) => replaceOnce(y, "seconds: 60", "seconds: 30"))),
    () => planOf("ai-factory", projectWith("ai-factory", (y) => replaceOnce(y, "preset: ai-factory\n", 'preset: ai-factory\n    kubernetes:\n      version: "1.34"\n'))),
    () => planOf("gigafactory"),
    () => planOf("gigafactory", projectWith("gigafactory", (y) => replaceOnce(y, "instanceType: p5.48xlarge", "instanceType: p5en.48xlarge"))),
  ]);
}, 900_000);

describe("gigafactory diff on real plans", () => {
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
    expect(d.changes.filter((c) => c.stateBearing || c.disruption === "rolling")).toEqual([]);
  });

  it("a faster checkpoint objective grows the file system in place, never losing it", () => {
    const d = diffSnapshots(af, afStorage);
    const s0 = bp(af).storage;
    const s1 = bp(afStorage).storage;
    expect(s1.throughputMBps).toBeGreaterThan(s0.throughputMBps);
    expect(figure(d, "Storage throughput")).toMatchObject({ before: s0.throughputMBps, after: s1.throughputMBps });
    expect(figure(d, "Storage capacity")).toMatchObject({ before: s0.capacityTiB, after: s1.capacityTiB });
    expect(d.disruption).not.toBe("data-loss");
    const lustre = d.changes.find((c) => c.type === "aws:fsx/lustreFileSystem:LustreFileSystem");
    if (plans(afStorage, "aws:fsx/lustreFileSystem:LustreFileSystem")) expect(lustre).toMatchObject({ kind: "update", disruption: "in-place" });
  });

  it("a Kubernetes upgrade: in place for the control plane, rolling for the GPU nodes", () => {
    const d = diffSnapshots(af, afKubernetes);
    expect(figure(d, "Kubernetes version")).toMatchObject({ before: "1.33", after: "1.34" });
    const cluster = d.changes.find((c) => c.type === "aws:eks/cluster:Cluster");
    if (plans(afKubernetes, "aws:eks/cluster:Cluster")) expect(cluster?.disruption).toBe("in-place");
    if (plans(afKubernetes, "aws:eks/nodeGroup:NodeGroup")) expect(d.disruption).toBe("rolling");
    else expect(["none", "in-place"]).toContain(d.disruption);
  });

  it("a pool's instance type on the gigafactory: the pool changes type, its node groups and reservations are replaced", () => {
    const d = diffSnapshots(gf, gfInstance);
    const pool = d.meaning.pools.find((p) => p.name === "h100-c");
    expect(pool).toMatchObject({ status: "changed", before: { instanceType: "p5.48xlarge" }, after: { instanceType: "p5en.48xlarge" } });
    expect(d.meaning.pools.filter((p) => p.status !== "unchanged").map((p) => p.name)).toEqual(["h100-c"]);
    expect(figure(d, "GPU nodes, cost per month")?.before).not.toBe(figure(d, "GPU nodes, cost per month")?.after);
    if (plans(gfInstance, "aws:eks/nodeGroup:NodeGroup") || plans(gfInstance, "aws:ec2/capacityReservation:CapacityReservation")) {
      expect(["replace", "data-loss"]).toContain(d.disruption);
      for (const c of d.changes.filter((x) => x.pool === "h100-c" && (x.type === "aws:eks/nodeGroup:NodeGroup" || x.type === "aws:ec2/capacityReservation:CapacityReservation"))) {
        expect(c.kind).toBe("replace");
      }
    }
  });

  it("the gigafactory diff takes under 2 s, stays under GitHub's limit and its picture parses", async () => {
    const started = performance.now();
    const d = diffSnapshots(gf, gfInstance);
    const md = renderMarkdown(d, { mermaid: factoryMermaid(gf, gfInstance, d) });
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(2_000);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(md)?.[1];
    expect(chart).toBeDefined();
    await expect(mermaidParse(chart ?? "")).resolves.toBeTruthy();
    expect(chart).toMatch(/class [^\n]*n_pool_h100_c[^\n]* changed/);
  });
});
