import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Blueprint } from "../../../../core/blueprint/types";
import { renderSlurm, slurmRequirements } from "../../../../core/render/slurm";
import { startController, type RunningController } from "../../../fixtures/slurm/controller";
import { inventoryProblems, parseLeaves, parseNodes, placement } from "../../../fixtures/slurm/inventory";
import { configurationProblems, topologyRoots } from "../../../fixtures/slurm/log-scan";
import { expectedNodes, stackBlueprint } from "../../../fixtures/slurm/stacks";
import { slurmTools } from "../../../fixtures/slurm/suite";

// The stacks' rendered Slurm files on Debian's real slurmctld: it must come up with every node of the
// blueprint known, log nothing wrong with them, and place a 512-node GPU job topology-aware.
// Paths, ports, hosts and daemon users point into a scratch folder; no slurmdbd runs (see overlay.ts).

const tools = slurmTools();
const START_TIMEOUT_MS = 240_000;

describe.skipIf(!tools).each(["dev", "ai-factory", "gigafactory"])("the %s stack's Slurm configuration on the real slurmctld", (stack) => {
  let blueprint: Blueprint;
  let controller: RunningController;

  beforeAll(async () => {
    blueprint = stackBlueprint(stack);
    controller = await startController(tools!, renderSlurm(blueprint), slurmRequirements(blueprint));
    console.info(
      `slurmctld ${tools!.version} started on the ${stack} stack (${blueprint.nodes} nodes) in ${Math.round(controller.startMs)} ms, ` +
        `${controller.startCpuSeconds.toFixed(2)} s of CPU`,
    );
  }, START_TIMEOUT_MS);

  afterAll(async () => controller?.stop());

  it("checks every rendered feature this Slurm has", () => {
    expect(controller.notChecked).toEqual([]);
  });

  it("comes up with every node of the blueprint known, with its GPUs, CPUs, memory, features and partitions", () => {
    const nodes = parseNodes(controller.scontrol(["--oneliner", "show", "nodes"]));
    expect(nodes).toHaveLength(blueprint.nodes);
    expect(inventoryProblems(blueprint, nodes, expectedNodes(blueprint)).slice(0, 10)).toEqual([]);
  });

  it("logs no problem with the topology, the gres or the node definitions", () => {
    expect(configurationProblems(controller.log(), topologyRoots(blueprint.topology).length)).toEqual([]);
  });

  it("has the blueprint's scalable units as its leaf switches, every node in exactly one", () => {
    const leaves = parseLeaves(controller.scontrol(["show", "topology"]));
    expect([...leaves.keys()].sort()).toEqual(blueprint.units.map((u) => u.name).sort());
    const all = [...leaves.values()].flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(blueprint.nodes);
  });

  it("places a 512-node job of 8 GPUs a node on whole scalable units under one spine", () => {
    const largestPool = Math.max(...blueprint.pools.map((p) => p.nodes));
    const nodes = Math.min(512, largestPool);
    const job = controller.testOnly(["--nodes", String(nodes), "--gres=gpu:8"]);
    expect(job.ok, job.output).toBe(true);
    const where = placement(blueprint, job.nodes);
    expect(where.nodes).toBe(nodes);
    expect(where.pools).toHaveLength(1);
    expect(where.leaves).toHaveLength(where.fewestLeaves);
  });

  it("places a job of one availability zone's nodes, and never one that needs nodes of two AZs", () => {
    const zones = new Map<string, number>();
    for (const p of blueprint.pools) zones.set(p.availabilityZone, (zones.get(p.availabilityZone) ?? 0) + p.nodes);
    const largest = Math.max(...zones.values());
    const gpus = Math.min(...blueprint.pools.map((p) => p.gpusPerNode));
    const whole = controller.testOnly(["--nodes", String(largest), `--gres=gpu:${gpus}`]);
    expect(whole.ok, whole.output).toBe(true);
    const where = placement(blueprint, whole.nodes).zones;
    expect(where).toHaveLength(1);
    expect(zones.get(where[0])).toBe(largest);
    if (zones.size > 1) {
      const across = controller.testOnly(["--nodes", String(largest + 1), `--gres=gpu:${gpus}`]);
      expect(across.ok, across.output).toBe(false);
      expect(across.output).toMatch(/Requested node configuration is not available/);
    }
  });

  it("takes a job in each pool's partition", () => {
    for (const pool of blueprint.pools) {
      const job = controller.testOnly(["--partition", pool.name, "--nodes", "1", `--gres=gpu:${pool.gpusPerNode}`]);
      expect(job.ok, job.output).toBe(true);
      expect(job.partition).toBe(pool.name);
    }
  });
});
