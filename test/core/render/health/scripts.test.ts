import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { busBandwidthExpectation } from "../../../../core/render/acceptance/bandwidth";
import { instanceType } from "../../../../core/catalog/instances";
import { DCGM_LEVEL, HEALTH_PHASES, nodeExpectation, nodeExpectations } from "../../../../core/render/health/expectations";
import { renderHealthScript } from "../../../../core/render/health/script";
import { FakeNodeSite, type FakeNode } from "../../../fixtures/day-two/fake-node";
import { slurmBlueprint } from "../../../fixtures/slurm/blueprint";

const blueprint = slurmBlueprint({
  factory: "gf-health",
  pools: [
    { name: "train", instanceType: "p5.48xlarge", nodes: 64 },
    { name: "tune", instanceType: "p5en.48xlarge", nodes: 32 },
  ],
});

const site = new FakeNodeSite();
afterAll(() => site.clean());
for (const phase of HEALTH_PHASES) site.write(`${phase}.sh`, renderHealthScript(blueprint, phase));

const healthyP5: FakeNode = { name: "train-00007", gpus: 8, efaDevices: 32, inNodeBusBandwidthGBps: 480 };
const healthyP5en: FakeNode = { name: "tune-00001", gpus: 8, efaDevices: 16, inNodeBusBandwidthGBps: 480 };

describe("health checks expect what the catalog says each instance type has", () => {
  it.each([
    ["p4d.24xlarge", 8, 4],
    ["p5.48xlarge", 8, 32],
    ["p5e.48xlarge", 8, 32],
    ["p5en.48xlarge", 8, 16],
    ["p6-b200.48xlarge", 8, 8],
    ["trn2.48xlarge", 16, 16],
  ])("a %s node must show %i accelerators and %i EFA devices", (type, gpus, efa) => {
    const pool = { ...blueprint.pools[0], instanceType: type };
    const expected = nodeExpectation(pool, instanceType(type));
    expect([expected.gpus, expected.efaDevices]).toEqual([gpus, efa]);
  });

  it("reads every pool with nodes, each with its own host prefix", () => {
    expect(nodeExpectations(blueprint).map((e) => [e.pool, e.hostnamePrefix, e.instanceType])).toEqual([
      ["train", "train", "p5.48xlarge"],
      ["tune", "tune", "p5en.48xlarge"],
    ]);
  });

  it("looks deepest at burn-in and does not load busy GPUs in the periodic check", () => {
    expect(DCGM_LEVEL["burn-in"]).toBeGreaterThan(DCGM_LEVEL.healthcheck);
    expect(DCGM_LEVEL.healthcheck).toBe(1);
    expect(DCGM_LEVEL.prolog).toBe(0);
  });
});

// Each case starts bash a few times: a loaded machine needs more than the default five seconds.
describe("the rendered scripts", { timeout: 30_000 }, () => {
  beforeEach(() => rmSync(site.marker, { force: true }));

  it.each(HEALTH_PHASES)("%s is valid bash", (phase) => {
    const r = spawnSync("bash", ["-n", `${site.scripts}/${phase}.sh`], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it.each(["healthcheck", "prolog", "epilog"] as const)("%s passes a healthy node of either pool and drains nothing", (phase) => {
    for (const node of [healthyP5, healthyP5en]) {
      const r = site.run(`${phase}.sh`, node, { GF_BURN_IN_MARKER: "/dev/null" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.scontrol).toEqual([]);
    }
  });

  it.each<[string, FakeNode, RegExp]>([
    ["a missing GPU", { ...healthyP5, gpus: 7 }, /7 of 8 accelerators visible on p5\.48xlarge/],
    ["a missing EFA device", { ...healthyP5, efaDevices: 31 }, /31 of 32 EFA devices visible on p5\.48xlarge/],
    ["a p5en node with a p5's EFA count", { ...healthyP5en, efaDevices: 32 }, /32 of 16 EFA devices/],
    ["an Xid 79 since boot", { ...healthyP5, xids: [13, 79] }, /Xid 79 since boot/],
    ["GPU clocks held down", { ...healthyP5, clocksHeld: true }, /GPU clocks held down/],
    ["a node of no pool", { ...healthyP5, name: "infer-00001" }, /node infer-00001 belongs to no pool of gf-health/],
    ["no Lustre file system at the mount point", { ...healthyP5, lustreMounted: false }, /the factory's Lustre file system is not mounted at \S+ \(xfs there\)/],
  ])("the prolog drains the node with a reason on %s", (_what, node, reason) => {
    const r = site.run("prolog.sh", node);
    expect(r.status).toBe(1);
    expect(r.scontrol).toHaveLength(1);
    expect(r.scontrol[0]).toMatch(new RegExp(`^update NodeName=${node.name} State=DRAIN Reason=gigafactory prolog: `));
    expect(r.scontrol[0]).toMatch(reason);
  });

  it("finds a GPU whose clocks are held however long nvidia-smi's answer goes on after it", () => {
    const r = site.run("prolog.sh", { ...healthyP5, clocksHeld: true }, { FAKE_SMI_TRAILER: "20000" });
    expect(r.status).toBe(1);
    expect(r.scontrol[0]).toMatch(/GPU clocks held down/);
  });

  it("leaves an application's Xid (13) to the job", () => {
    expect(site.run("prolog.sh", { ...healthyP5, xids: [13, 31, 43] }).status).toBe(0);
  });

  it("runs DCGM at the phase's level: level 1 in the health check, none in the prolog", () => {
    expect(site.run("healthcheck.sh", healthyP5, { GF_BURN_IN_MARKER: "/dev/null" }).dcgmLevels).toEqual(["diag -r 1"]);
    expect(site.run("prolog.sh", healthyP5).dcgmLevels).toEqual([]);
  });

  it("drains on a failed DCGM diagnostic, naming it", () => {
    const r = site.run("epilog.sh", { ...healthyP5, dcgmFails: true });
    expect(r.status).toBe(1);
    expect(r.scontrol[0]).toMatch(/dcgmi diag -r 1 failed: .*Memory.*Fail - GPU 3/);
  });

  it("on Kubernetes prints the reason for the agent and leaves Slurm alone", () => {
    const r = site.run("healthcheck.sh", { ...healthyP5, name: "ip-10-0-1-2", gpus: 6 }, { GF_HEALTH_ACTION: "kubernetes", GF_POOL: "train", GF_BURN_IN_MARKER: "/dev/null" });
    expect(r.status).toBe(1);
    expect(r.scontrol).toEqual([]);
    expect(r.stderr.trim()).toBe("gigafactory healthcheck: 6 of 8 accelerators visible on p5.48xlarge");
  });

  describe("burn-in", () => {
    it("a new node passes DCGM level 2, EFA loopback and an in-node NCCL test, and is marked", () => {
      const r = site.run("burn-in.sh", healthyP5);
      expect(r.status).toBe(0);
      expect(r.dcgmLevels).toEqual(["diag -r 2"]);
      expect(existsSync(site.marker)).toBe(true);
    });

    it("the health check runs burn-in on a node that has not passed it, before its own checks", () => {
      const r = site.run("healthcheck.sh", healthyP5);
      expect(r.status).toBe(0);
      expect(r.dcgmLevels).toEqual(["diag -r 2", "diag -r 1"]);
      expect(existsSync(site.marker)).toBe(true);
    });

    it("a node whose in-node all-reduce is below the fabric's expectation is drained and not marked", () => {
      const floor = busBandwidthExpectation("p5.48xlarge")!.expectedBusBandwidthGBps;
      const r = site.run("healthcheck.sh", { ...healthyP5, inNodeBusBandwidthGBps: floor - 1 });
      expect(r.status).toBe(1);
      expect(r.scontrol[0]).toMatch(new RegExp(`Reason=gigafactory burn-in: in-node NCCL all-reduce reached ${floor - 1} GB/s, below the ${floor} GB/s`));
      expect(existsSync(site.marker)).toBe(false);
    });

    it("a node whose EFA loopback fails is drained", () => {
      const r = site.run("burn-in.sh", { ...healthyP5, efaLoopbackFails: true });
      expect(r.status).toBe(1);
      expect(r.scontrol[0]).toMatch(/EFA loopback/);
    });
  });
});

describe("the checks' environment", () => {
  it("find the EFA and CUDA tools when slurmd starts them with no PATH of its own", () => {
    const script = renderHealthScript(blueprint, "healthcheck");
    const r = spawnSync("bash", ["-c", `${script.split("\n").slice(0, 8).join("\n")}\necho "$PATH"`], { env: {}, encoding: "utf8" });
    expect(r.stdout.trim().split(":")).toEqual(expect.arrayContaining(["/opt/amazon/efa/bin", "/usr/local/cuda/bin", "/usr/bin"]));
  });
});
