import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diffSnapshots, refusals } from "../../../cli/diff/index";
import { renderMarkdown } from "../../../cli/diff/markdown";
import { readSnapshot, stringifySnapshot, type PlanSnapshot } from "../../../plan/snapshot";
import { copyOfStacks, inPairs, layerOf, planOf, projectWith, replaceOnce } from "../../fixtures/diff/real-plans";
import { gigafactoryInProcess, gigafactoryServed } from "../../support/cli-run";
import { plannedSnapshot } from "../../support/planned-stacks";

// Real plans of the gigafactory with one thing of its spec changed: a pool's node image, with and without a rollout
// under way, and the Kubernetes minor one and two steps on. The review's first screen says what gets drained, and
// `diff` refuses (exit 2) a wave past the pool's rollout, a Kubernetes skip and a downgrade, at their YAML paths.

const H200_A = "        availabilityZoneId: eun1-az1\n        capacity:";
/** Pool h200-a on the next node image release, with `rollout` lines when given. */
const newImage = (rollout = "") => (yaml: string) =>
  replaceOnce(yaml, H200_A, `        availabilityZoneId: eun1-az1\n        image: { release: 1.33-v20251209 }\n${rollout}        capacity:`);
const kubernetes = (version: string) => (yaml: string) =>
  replaceOnce(yaml, "    tenantsFile: tenants.gigafactory.yaml\n", `    tenantsFile: tenants.gigafactory.yaml\n    kubernetes: { version: "${version}" }\n`);

const WAVE_ONE = "        rollout: { wave: 1 }\n";

let base: PlanSnapshot;
let imageWaveOne: PlanSnapshot;
let k134: PlanSnapshot;
// Changes confined to the compute layer (node groups, launch templates, the control plane's version) are planned up
// to that layer and compared with the compute layer of the plan they change: a third of the work of a whole plan.
let baseCompute: PlanSnapshot;
let imageAtOnce: PlanSnapshot;
let k135: PlanSnapshot;
let imageWaveTwo: PlanSnapshot;
let imageWaveFour: PlanSnapshot;
let baselineDir: string;
/** `plan --baseline` of the one-wave image bump: its snapshot is imageWaveOne. */
let planAgainstBaseline: { code: number; stdout: string; stderr: string };

const compute = { layer: "compute" } as const;

beforeAll(async () => {
  base = await plannedSnapshot("gigafactory");
  baselineDir = mkdtempSync(join(tmpdir(), "gigafactory-baseline-"));
  writeFileSync(join(baselineDir, "base.json"), stringifySnapshot(base));
  const againstBaseline = async () => {
    const out = join(baselineDir, "wave-one.json");
    planAgainstBaseline = await gigafactoryServed(["plan", "--stack", "gigafactory", "--dir", projectWith("gigafactory", newImage(WAVE_ONE)), "--baseline", join(baselineDir, "base.json"), "--json-file", out, "--quiet"]);
    return planAgainstBaseline.code === 0 ? readSnapshot(out) : base;
  };
  [imageWaveOne, k134, [baseCompute, imageAtOnce, k135, imageWaveTwo, imageWaveFour]] = await Promise.all([
    againstBaseline(),
    planOf("gigafactory", projectWith("gigafactory", kubernetes("1.34"))),
    inPairs([
      () => planOf("gigafactory", copyOfStacks(), compute),
      () => planOf("gigafactory", projectWith("gigafactory", newImage()), compute),
      () => planOf("gigafactory", projectWith("gigafactory", kubernetes("1.35")), compute),
      () => planOf("gigafactory", projectWith("gigafactory", newImage("        rollout: { wave: 2 }\n")), compute),
      () => planOf("gigafactory", projectWith("gigafactory", newImage("        rollout: { wave: 4 }\n")), compute),
    ]),
  ]);
}, 20 * 60_000);

/** The review's first screen: what comes before the stacks, the factory's figures and the resources. */
function firstScreen(markdown: string): string {
  const end = markdown.indexOf("### Stacks to update");
  return markdown.slice(0, end < 0 ? 3_000 : end);
}

async function diffExit(before: PlanSnapshot, after: PlanSnapshot): Promise<{ code: number; stderr: string; stdout: string }> {
  const dir = mkdtempSync(join(tmpdir(), "gigafactory-drains-"));
  writeFileSync(join(dir, "before.json"), stringifySnapshot(before));
  writeFileSync(join(dir, "after.json"), stringifySnapshot(after));
  return gigafactoryInProcess("diff", join(dir, "before.json"), join(dir, "after.json"), "--no-policies");
}

describe("a pool's node image bumped", () => {
  it("in one wave of its rollout drains one node group: the first screen names its nodes, GPUs, units, wave and queues", async () => {
    const diff = diffSnapshots(base, imageWaveOne);
    expect(refusals(diff)).toEqual([]);
    expect(diff.drains).toMatchObject({ nodes: 448, gpus: 3_584, units: 14, nodeGroups: 1, waves: 1 });
    const pool = diff.drains!.pools[0];
    expect(pool).toMatchObject({ pool: "h200-a", waves: [1], waveUnits: 14, partitions: ["h200-a", "all"] });
    expect(pool.wavesInPool).toBeGreaterThan(1);
    // Every tenant of the pool loses capacity meanwhile: the gigafactory's tenants all run on h200-a.
    expect(pool.clusterQueues.length).toBe(128);
    // 448 nodes, 32 at a time: 14 batches of up to 30 minutes.
    expect(pool.minutes).toBe(14 * 30);
    const screen = firstScreen(renderMarkdown(diff));
    expect(screen).toContain("**448 GPU nodes (3,584 GPUs) in 14 scalable units are drained and replaced**, 1 node group of pool `h200-a` in 1 wave, about 7 h for this `pulumi up`.");
    expect(screen).toMatch(/\| h200-a \| 448 \| 3,584 \| 14 \| 1 \| 1 of \d+, 60 min soak after \| 32 \| about 7 h \| Kueue alpine-ai, /);
    expect((await diffExit(base, imageWaveOne)).code).toBe(0);
  });

  it("with no rollout under way drains the whole pool at once: refused with exit 2 at the pool's rollout", async () => {
    const diff = diffSnapshots(baseCompute, imageAtOnce);
    expect(diff.drains).toMatchObject({ nodes: 4_800, gpus: 38_400, units: 150 });
    expect(diff.drains!.pools.map((p) => p.pool)).toEqual(["h200-a"]);
    const run = await diffExit(baseCompute, imageAtOnce);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error gigafactory:factory.pools.h200-a.rollout: the change drains 150 units of pool h200-a in one `pulumi up`; its rollout lets a wave drain at most 14 — start a rollout");
    expect(firstScreen(run.stdout)).toContain("**4,800 GPU nodes (38,400 GPUs) in 150 scalable units are drained and replaced**");
  });

  it("is only the pool's: the other pools' node groups keep their launch template versions", () => {
    const drained = diffSnapshots(base, imageWaveOne).drains!.pools.flatMap((p) => p.nodeGroups.map((g) => g.name));
    expect(drained).toEqual(["h200-a-su001-014"]);
  });
});

describe("a rollout under way", () => {
  it("raised by one wave drains that wave's node groups only, the ones already on the new release untouched", async () => {
    const diff = diffSnapshots(layerOf(imageWaveOne, "compute"), imageWaveTwo);
    expect(refusals(diff)).toEqual([]);
    const groups = diff.drains!.pools.flatMap((p) => p.nodeGroups);
    expect(groups.map((g) => [g.name, g.wave, g.why])).toEqual([["h200-a-su015-028", 2, "its wave came: the newest launch template version"]]);
    // No launch template changes between the two: the wave moves by the node group's version alone.
    expect(diff.changes.filter((c) => c.type === "aws:ec2/launchTemplate:LaunchTemplate")).toEqual([]);
    expect((await diffExit(layerOf(imageWaveOne, "compute"), imageWaveTwo)).code).toBe(0);
  });

  it("raised by several waves at once drains more than a wave: refused with exit 2 at the pool's rollout.wave", async () => {
    const diff = diffSnapshots(layerOf(imageWaveOne, "compute"), imageWaveFour);
    expect(diff.drains!.pools[0].waves).toEqual([2, 3, 4]);
    const run = await diffExit(layerOf(imageWaveOne, "compute"), imageWaveFour);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error gigafactory:factory.pools.h200-a.rollout.wave: the change drains 42 units of pool h200-a in one `pulumi up`; its rollout lets a wave drain at most 14 — raise rollout.wave by one per change (it is 4)");
  });
});

describe("a Kubernetes upgrade", () => {
  it("to 1.34 plans cleanly, drains no GPU node, and the review carries the upgrade order and notes", async () => {
    expect(k134.findings.filter((f) => f.level === "error")).toEqual([]);
    const cluster = k134.resources.find((r) => r.type === "aws:eks/cluster:Cluster")!;
    expect(cluster.inputs.version).toBe("1.34");
    const proxy = k134.resources.find((r) => r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "kube-proxy")!;
    expect(proxy.inputs.addonVersion).toBe("v1.34.6-eksbuild.2");
    const diff = diffSnapshots(base, k134);
    expect(refusals(diff)).toEqual([]);
    expect(diff.drains!.nodes).toBe(0);
    const screen = firstScreen(renderMarkdown(diff));
    expect(screen).toContain("### Kubernetes 1.33 → 1.34");
    const order = ["1. the control plane, 1.33 → 1.34", "2. the EKS add-ons, to the builds of 1.34", "3. the in-cluster charts", "4. the node groups, wave by wave"].map((s) => screen.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    // The charts 1.34.ts selects: the same releases as 1.33's, each said to run on 1.34, with its range.
    expect(screen).toContain("3. the in-cluster charts (platform layer, after the add-ons, from the releases core/catalog/kubernetes/1.34.ts selects): changes no chart release; kept, each supporting 1.34: gpu-operator v26.3.3 (1.32 to 1.35)");
    expect(screen).toContain("kueue 0.19.2 (1.29 or newer)");
    expect(screen).toContain("one minor at a time, never back");
    expect(screen).toContain("**No GPU node is drained by this change:**");
    // The nodes stay on their pinned 1.33 release, which the plan says.
    expect(k134.findings).toContainEqual(expect.objectContaining({ level: "warning", path: "gigafactory:factory.kubernetes.version", message: expect.stringContaining("1.33-v20251120 runs Kubernetes 1.33 under a 1.34 control plane") }));
    expect((await diffExit(base, k134)).code).toBe(0);
  });

  it("of two minors at once is refused with exit 2 at kubernetes.version, saying to go to 1.34 first", async () => {
    const run = await diffExit(baseCompute, k135);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error gigafactory:factory.kubernetes.version: the change moves the control plane from Kubernetes 1.33 to 1.35, 2 minors at once: EKS upgrades one minor at a time — set kubernetes.version to 1.34, deploy it, then 1.35 in a later change");
  });

  it("back down is refused with exit 2 at kubernetes.version", async () => {
    const run = await diffExit(k134, base);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error gigafactory:factory.kubernetes.version: the change moves the control plane from Kubernetes 1.34 back to 1.33: EKS never downgrades a cluster — keep kubernetes.version at 1.34");
  });

  it("is judged by plan --baseline as by diff: the two-minor jump is refused with exit 2, before any program runs", async () => {
    const stacks = projectWith("gigafactory", kubernetes("1.35"));
    const run = await gigafactoryServed(["plan", "--stack", "gigafactory", "--dir", stacks, "--baseline", join(baselineDir, "base.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error gigafactory:factory.kubernetes.version: the change moves the control plane from Kubernetes 1.33 to 1.35");
    // Refused on the spec alone: no layer was planned, so no report was printed.
    expect(run.stdout).toBe("");
  }, 600_000);

  it("plan --baseline of the one-wave image bump names what it drains and passes", () => {
    expect(planAgainstBaseline.code, planAgainstBaseline.stderr).toBe(0);
    expect(planAgainstBaseline.stdout).toMatch(/h200-a\s+1\.33-v20251209, rollout under way: waves 1-1 of \d+/);
    expect(planAgainstBaseline.stdout).toContain("h200-a: 448 nodes (3584 GPUs) in 14 units drained, wave 1 of");
  });

  it("plan --baseline of another stack's plan is refused with exit 2 before any program runs", async () => {
    const run = await gigafactoryServed(["plan", "--stack", "dev", "--baseline", join(baselineDir, "base.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error --baseline: the baseline is a plan of stack gigafactory, not dev — give a plan of the same stack");
    expect(run.stdout).toBe("");
  });
});

describe("a change planned up to the compute layer", () => {
  it("is recorded exactly as the compute layer of the whole plan", () => {
    expect(baseCompute.resources.length).toBeGreaterThan(0);
    expect(baseCompute).toEqual(layerOf(base, "compute"));
  });
});
