import { describe, expect, it } from "vitest";
import type { Blueprint } from "../../../../core/blueprint/types";
import { renderSlurm, renderSlurmConf, slurmRequirements, type RenderedFile } from "../../../../core/render/slurm";
import { slurmBlueprint } from "../../../fixtures/slurm/blueprint";
import { slurmHostnames, startController } from "../../../fixtures/slurm/controller";
import { inventoryProblems, parseNodes } from "../../../fixtures/slurm/inventory";
import { configurationProblems, topologyRoots } from "../../../fixtures/slurm/log-scan";
import { expectedNodes } from "../../../fixtures/slurm/stacks";
import { slurmTools } from "../../../fixtures/slurm/suite";

// The check itself: slurmctld accepts several broken files and only logs them (docs/sources.md#slurm-controller-checks), or not even
// that. Each breakage below must make the check fail, or the check proves nothing.

const tools = slurmTools();

const factory = (): Blueprint =>
  slurmBlueprint({
    factory: "gf-check",
    pools: [
      { name: "h100", nodes: 70, unitNodes: 32, reservedNodes: 40 },
      // A pool with its own figures: memory held back for the Lustre client's cache, cores kept for the system.
      { name: "h200", instanceType: "p5en.48xlarge", nodes: 64, slurm: { realMemoryMiB: 1_800_000, coreSpecCount: 4 } },
    ],
    tenants: [{ name: "team-a", gpuQuota: 256 }],
  });

/** Everything the check finds wrong with the files on the real controller. */
async function check(blueprint: Blueprint, files: RenderedFile[]): Promise<{ problems: string[]; notChecked: string[] }> {
  const controller = await startController(tools!, files, slurmRequirements(blueprint));
  try {
    const nodes = parseNodes(controller.scontrol(["--oneliner", "show", "nodes"]));
    return {
      problems: [...configurationProblems(controller.log(), topologyRoots(blueprint.topology).length), ...inventoryProblems(blueprint, nodes, expectedNodes(blueprint))],
      notChecked: controller.notChecked.map((r) => `${r.feature} needs Slurm ${r.minimumVersion}`),
    };
  } finally {
    await controller.stop();
  }
}

function broken(files: RenderedFile[], name: string, edit: (content: string) => string): RenderedFile[] {
  return files.map((f) => {
    if (f.path !== `slurm/${name}`) return f;
    const content = edit(f.content);
    if (content === f.content) throw new Error(`the breakage changed nothing in ${name}`);
    return { ...f, content };
  });
}

describe.skipIf(!tools)("the real-slurmctld check", () => {
  it("finds nothing wrong with the rendered files", async () => {
    const bp = factory();
    expect(await check(bp, renderSlurm(bp))).toEqual({ problems: [], notChecked: [] });
  });

  it.each<[string, string, (c: string) => string]>([
    ["a topology.conf naming nodes that do not exist", "topology.conf", (c) => c.replace("Nodes=h100-[00065-00070]", "Nodes=h100-[00065-00099]")],
    ["a spine that does not reach the core", "topology.conf", (c) => c.replace("Switches=h100-spine,h200-spine", "Switches=h100-spine")],
    ["CPUs that are not sockets x cores x threads", "slurm.conf", (c) => c.replace("CPUs=192 Sockets=2", "CPUs=190 Sockets=2")],
    ["a Gres count Slurm cannot read", "slurm.conf", (c) => c.replace("Gres=gpu:h100:8", "Gres=gpu:h100:eight")],
    ["a gres.conf with fewer devices than the node's Gres", "gres.conf", (c) => c.replace("Type=h100 File=/dev/nvidia[0-7]", "Type=h100 File=/dev/nvidia[0-3]")],
    ["nodes that promise more memory than the blueprint gives them", "slurm.conf", (c) => c.replace(/RealMemory=(\d+)/, (_, m) => `RealMemory=${Number(m) + 1024}`)],
    ["a pool that keeps every core from jobs", "slurm.conf", (c) => c.replace("CoreSpecCount=4", "CoreSpecCount=96")],
    ["a pool whose cores kept for the system are lost", "slurm.conf", (c) => c.replace(" CoreSpecCount=4", "")],
  ])("fails on %s", async (_what, name, edit) => {
    const bp = factory();
    const { problems } = await check(bp, broken(renderSlurm(bp), name, edit));
    expect(problems.length).toBeGreaterThan(0);
  });

  it("refuses a slurm.conf without ResumeProgram, which would turn power saving off in silence", async () => {
    const bp = factory();
    await expect(check(bp, broken(renderSlurm(bp), "slurm.conf", (c) => c.replace(/^ResumeProgram=.*\n/m, "")))).rejects.toThrow(/no ResumeProgram/);
  });

  it("checks a GB200 factory's nodes and says when this Slurm is too old for its NVLink blocks", async () => {
    const bp = slurmBlueprint({ factory: "gf-nvl", pools: [{ name: "gb", instanceType: "p6e-gb200.36xlarge", nodes: 144, unitNodes: 72 }] });
    const { problems, notChecked } = await check(bp, renderSlurm(bp));
    expect(problems).toEqual([]);
    const [major, minor] = tools!.version.split(".").map(Number);
    if (major < 24 || (major === 24 && minor < 5)) {
      expect(notChecked).toEqual([expect.stringMatching(/NVLink block topology .* needs Slurm 24\.05/)]);
      console.info(`slurmctld ${tools!.version}: NVLink block topology not checked (${notChecked.join("; ")}); nodes, gres and the rest checked`);
    } else {
      expect(notChecked).toEqual([]);
    }
  });

  it("writes a 70,000-node pool's hosts so that Slurm's own hostlist parser reads them all", () => {
    const conf = renderSlurmConf(slurmBlueprint({ pools: [{ name: "big", nodes: 70_000 }] }));
    const nodes = /^PartitionName=big Nodes=(\S+)/m.exec(conf)![1];
    expect(nodes).toBe("big-[00001-65536,65537-70000]");
    const read = slurmHostnames(tools!, nodes);
    expect(read.ok, read.output).toBe(true);
    expect(read.hosts).toHaveLength(70_000);
    // The same hosts as one range are more than one range may hold.
    expect(slurmHostnames(tools!, "big-[00001-70000]").output).toMatch(/Too many hosts in range/);
  });
});
