import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { instanceType } from "../../../../core/catalog/instances";
import { renderSlurm, slurmRequirements } from "../../../../core/render/slurm";
import { renderAccountsScript, slurmAccounts, slurmQosList } from "../../../../core/render/slurm/accounts";
import { renderAccountsCfg } from "../../../../core/render/slurm/accounts-cfg";
import { compressNames, expandHostlist, formatHostlist, MAX_HOSTS_PER_RANGE } from "../../../../core/lib/hostlist";
import { slurmNodeShape, systemMemoryMiB } from "../../../../core/render/slurm/node";
import { slinkyNodeConf } from "../../../../core/render/slurm/slinky-conf";
import { renderSlurmConf, treeWidth } from "../../../../core/render/slurm/slurm-conf";
import { blockSizes, renderTopologyConf, topologyPlugin } from "../../../../core/render/slurm/topology-conf";
import { slurmBlueprint } from "../../../fixtures/slurm/blueprint";

const small = () =>
  slurmBlueprint({
    factory: "gf-small",
    pools: [
      { name: "h100", nodes: 70, unitNodes: 32, reservedNodes: 40 },
      { name: "h200", instanceType: "p5en.48xlarge", nodes: 64 },
    ],
    tenants: [
      { name: "team-a", gpuQuota: 256, priority: "critical", priorityValue: 1000, borrowingLimitGpus: 1024 },
      { name: "team-b", gpuQuota: 128, pools: ["h200"], borrowingLimitGpus: 64 },
      { name: "team-c", gpuQuota: 0, priority: "preemptible", priorityValue: 0 },
    ],
  });

const gb200 = () =>
  slurmBlueprint({
    factory: "gf-nvl",
    pools: [{ name: "gb", instanceType: "p6e-gb200.36xlarge", nodes: 144, unitNodes: 72 }],
    tenants: [{ name: "team-a", gpuQuota: 256 }],
  });

const file = (files: { path: string; content: string }[], name: string) => files.find((f) => f.path === `slurm/${name}`)!.content;
const lines = (content: string, key: string) => content.split("\n").filter((l) => l.startsWith(`${key}=`));
const setting = (content: string, key: string) => lines(content, key)[0]?.slice(key.length + 1);

describe("Slurm hostlists", () => {
  it("never write a bracketed range of more than 65,536 hosts", () => {
    const list = formatHostlist("gpu", 6, [{ first: 1, count: 140_000 }]);
    expect(list).toBe("gpu-[000001-065536,065537-131072,131073-140000]");
    expect(expandHostlist(list)).toHaveLength(140_000);
  });

  it("write each host exactly once, whatever runs they are given", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ first: fc.integer({ min: 1, max: 200_000 }), count: fc.integer({ min: 0, max: 70_000 }) }), { maxLength: 3 }), (runs) => {
        const expected = new Set(runs.flatMap((r) => Array.from({ length: r.count }, (_, i) => r.first + i)));
        const list = formatHostlist("n", 6, runs);
        const numbers = (list ? expandHostlist(list) : []).map((h) => Number(h.slice(2)));
        expect(numbers.length).toBe(expected.size);
        expect(numbers.every((n) => expected.has(n))).toBe(true);
        for (const range of list.match(/\d+-\d+/g) ?? []) {
          const [lo, hi] = range.split("-").map(Number);
          expect(hi - lo + 1).toBeLessThanOrEqual(MAX_HOSTS_PER_RANGE);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("compress switch names by their number, keeping names without one", () => {
    expect(compressNames(["a-su001", "a-su002", "a-su003", "a-su005", "core"])).toBe("a-su[001-003,005],core");
    expect(compressNames(["a-spine", "b-spine"])).toBe("a-spine,b-spine");
  });
});

describe("a Slurm node of a pool", () => {
  it("promises the catalog's CPU layout and the memory the VM and Kubernetes leave", () => {
    const bp = small();
    const p5 = instanceType("p5.48xlarge")!;
    const shape = slurmNodeShape(bp.pools[0], p5);
    expect([shape.cpus, shape.sockets * shape.coresPerSocket * shape.threadsPerCore]).toEqual([192, 192]);
    // 2,048 GiB less 7.5 % (VM), 11 MiB x 32 pods + 255 MiB (kube-reserved), 100 MiB (eviction).
    expect(shape.realMemoryMiB).toBe(2_097_152 - Math.ceil(2_097_152 * 0.075) - (11 * 32 + 255) - 100);
    expect(shape.gresFiles).toBe("/dev/nvidia[0-7]");
  });

  it("takes the spec's RealMemory and cores kept for the system, and gives a GPU job its share of the rest", () => {
    const bp = slurmBlueprint({ pools: [{ name: "train", nodes: 4, slurm: { realMemoryMiB: 1_500_000, coreSpecCount: 4 } }] });
    const conf = renderSlurmConf(bp);
    const node = conf.split("\n").find((l) => l.startsWith("NodeName=DEFAULT"))!;
    expect(node).toContain("RealMemory=1500000 CoreSpecCount=4 ");
    // 192 CPUs less 4 cores of 2 threads, over 8 GPUs; 1,500,000 MiB over 8 GPUs.
    expect(conf).toMatch(/^PartitionName=train .*DefCpuPerGPU=23 DefMemPerGPU=187500( |$)/m);
    expect(slinkyNodeConf(bp.pools[0])).toBe("Features=p5.48xlarge Gres=gpu:h100:8 RealMemory=1500000 CoreSpecCount=4");
  });

  it("keeps more memory for the system the more pods a node runs", () => {
    const p5 = instanceType("p5.48xlarge")!;
    expect(systemMemoryMiB(p5, 110) - systemMemoryMiB(p5, 10)).toBe(1100);
  });
});

describe("slurm.conf", () => {
  const conf = renderSlurmConf(small());

  it("sets the scheduler, GPU, priority, accounting and requeue settings a GPU factory needs", () => {
    expect(setting(conf, "SelectType")).toBe("select/cons_tres");
    expect(setting(conf, "GresTypes")).toBe("gpu");
    expect(setting(conf, "PriorityType")).toBe("priority/multifactor");
    expect(Number(setting(conf, "PriorityWeightFairshare"))).toBeGreaterThan(0);
    expect(setting(conf, "AccountingStorageType")).toBe("accounting_storage/slurmdbd");
    expect(setting(conf, "AccountingStorageEnforce")).toBe("associations,limits,qos,safe");
    expect(setting(conf, "AccountingStorageTRES")).toContain("gres/gpu");
    expect(setting(conf, "JobRequeue")).toBe("1");
    expect(setting(conf, "ClusterName")).toBe("gf-small");
  });

  it("turns power saving on for nodes that come and go, and never suspends an idle node itself", () => {
    for (const key of ["ResumeProgram", "SuspendProgram"]) expect(setting(conf, key)).toMatch(/^\/etc\/slurm\/power\//);
    for (const key of ["SuspendTimeout", "ResumeTimeout"]) expect(Number(setting(conf, key))).toBeGreaterThan(0);
    expect(setting(conf, "SuspendTime")).toBe("INFINITE");
    const files = renderSlurm(small()).map((f) => [f.path, f.mode]);
    expect(files).toEqual(expect.arrayContaining([["slurm/power/resume", 0o755], ["slurm/power/suspend", 0o755]]));
  });

  it("describes each pool's hardware once and each scalable unit with its pool, instance type and unit as features", () => {
    const defaults = lines(conf, "NodeName").filter((l) => l.startsWith("NodeName=DEFAULT"));
    expect(defaults).toEqual([
      expect.stringMatching(/^NodeName=DEFAULT CPUs=192 Sockets=2 CoresPerSocket=48 ThreadsPerCore=2 RealMemory=\d+ Gres=gpu:h100:8 State=CLOUD$/),
      expect.stringMatching(/Gres=gpu:h200:8 State=CLOUD$/),
    ]);
    expect(lines(conf, "NodeName").filter((l) => !l.startsWith("NodeName=DEFAULT"))).toEqual([
      "NodeName=h100-[00001-00032] Features=h100,p5.48xlarge,h100-su001",
      "NodeName=h100-[00033-00064] Features=h100,p5.48xlarge,h100-su002",
      "NodeName=h100-[00065-00070] Features=h100,p5.48xlarge,h100-su003",
      "NodeName=h200-[00001-00032] Features=h200,p5en.48xlarge,h200-su001",
      "NodeName=h200-[00033-00064] Features=h200,p5en.48xlarge,h200-su002",
    ]);
  });

  it("has a partition per pool open to the pool's tenants, and a default one over every node", () => {
    const partitions = lines(conf, "PartitionName");
    expect(partitions.map((p) => p.split(" ")[0])).toEqual(["PartitionName=h100", "PartitionName=h200", "PartitionName=all"]);
    expect(partitions[0]).toContain("Nodes=h100-[00001-00070]");
    expect(partitions[0]).toContain("AllowAccounts=team-a,team-c");
    expect(partitions[1]).not.toContain("AllowAccounts");
    expect(partitions[2]).toMatch(/Nodes=ALL Default=YES/);
    // A one-GPU job gets an eighth of the node, not all of it.
    expect(partitions[1]).toMatch(/DefCpuPerGPU=24 DefMemPerGPU=\d+/);
    const memPerGpu = Number(/DefMemPerGPU=(\d+)/.exec(partitions[1])![1]);
    expect(memPerGpu * 8).toBeLessThanOrEqual(slurmNodeShape(small().pools[1], instanceType("p5en.48xlarge")!).realMemoryMiB);
  });

  it("sizes slurmd's message tree by the node count (square root, cube root above 2,500 nodes)", () => {
    expect([treeWidth(2), treeWidth(2500), treeWidth(12_500)]).toEqual([2, 50, 24]);
  });
});

describe("topology.conf", () => {
  it("puts every node in exactly one leaf, every leaf under its pool's spine, and the spines under one core", () => {
    const bp = small();
    const topo = renderTopologyConf(bp);
    const switches = lines(topo, "SwitchName");
    const leafNodes = switches.filter((l) => l.includes(" Nodes=")).flatMap((l) => expandHostlist(l.split(" Nodes=")[1]));
    const allNodes = bp.units.flatMap((u) => expandHostlist(u.hostnames));
    expect(leafNodes.sort()).toEqual(allNodes.sort());
    expect(switches).toContain("SwitchName=h100-spine Switches=h100-su[001-003]");
    expect(switches).toContain("SwitchName=gf-small-core Switches=h100-spine,h200-spine");
    expect(setting(renderSlurmConf(bp), "TopologyPlugin")).toBe("topology/tree");
  });

  it("has no core when the factory has one pool", () => {
    const topo = renderTopologyConf(slurmBlueprint({ pools: [{ name: "one", nodes: 64 }] }));
    expect(lines(topo, "SwitchName").at(-1)).toBe("SwitchName=one-spine Switches=one-su[001-002]");
  });

  it("describes GB200 UltraServers as NVLink blocks, says which Slurm it needs, and tells the check", () => {
    const bp = gb200();
    expect(topologyPlugin(bp)).toBe("topology/block");
    const topo = renderTopologyConf(bp);
    expect(topo).toMatch(/Needs Slurm >= 24\.05/);
    const blocks = lines(topo, "BlockName");
    expect(blocks).toHaveLength(8);
    expect(blocks[0]).toBe("BlockName=gb-su001-nvl01 Nodes=gb-[00001-00018]");
    expect(blocks.flatMap((b) => expandHostlist(b.split(" Nodes=")[1])).sort()).toEqual(bp.units.flatMap((u) => expandHostlist(u.hostnames)).sort());
    expect(setting(topo, "BlockSizes")).toBe("18,36,72");
    const conf = renderSlurmConf(bp);
    expect(setting(conf, "TopologyPlugin")).toBe("topology/block");
    expect(setting(conf, "SwitchType")).toBe("switch/nvidia_imex");
    expect(slurmRequirements(bp)).toEqual([expect.objectContaining({ minimumVersion: "24.05", settings: ["TopologyPlugin", "SwitchType"], files: ["topology.conf"] })]);
    expect(slurmRequirements(small())).toEqual([]);
  });

  it("doubles block sizes within the largest scalable unit", () => {
    expect(blockSizes(18, 18)).toEqual([18]);
    expect(blockSizes(18, 150)).toEqual([18, 36, 72, 144]);
  });
});

describe("gres.conf and cgroup.conf", () => {
  it("give every pool's nodes the devices their Gres counts", () => {
    const files = renderSlurm(small());
    expect(lines(file(files, "gres.conf"), "NodeName")).toEqual([
      "NodeName=h100-[00001-00070] Name=gpu Type=h100 File=/dev/nvidia[0-7]",
      "NodeName=h200-[00001-00064] Name=gpu Type=h200 File=/dev/nvidia[0-7]",
    ]);
    const trainium = renderSlurm(slurmBlueprint({ pools: [{ name: "trn", instanceType: "trn2.48xlarge", nodes: 4 }] }));
    expect(file(trainium, "gres.conf")).toContain("Type=trainium2 File=/dev/neuron[0-15]");
    expect(file(trainium, "slurm.conf")).toContain("Gres=gpu:trainium2:16");
  });

  it("confine jobs to their cores, memory and devices", () => {
    const cgroup = file(renderSlurm(small()), "cgroup.conf");
    for (const key of ["ConstrainCores", "ConstrainRAMSpace", "ConstrainDevices"]) expect(setting(cgroup, key)).toBe("yes");
  });
});

describe("the tenants' accounts and QOS", () => {
  it("give each tenant its quota as fair share and its quota plus borrowing as a GPU limit, capped by its pools", () => {
    const accounts = slurmAccounts(small());
    expect(accounts.map((a) => [a.name, a.fairshare, a.grpGpus, a.qos])).toEqual([
      ["team-a", 256, 1072, "critical"],
      ["team-b", 128, 192, "standard"],
      ["team-c", 0, 0, "preemptible"],
    ]);
  });

  it("make a QOS per priority class, highest first", () => {
    expect(slurmQosList(small())).toEqual([
      { name: "critical", priority: 1000, preempts: ["standard", "preemptible"] },
      { name: "standard", priority: 100, preempts: ["preemptible"] },
      { name: "preemptible", priority: 0, preempts: [] },
    ]);
  });

  it("write the QOS as sacctmgr commands and the accounts in sacctmgr's dump format with GrpTRES=gres/gpu limits", () => {
    const script = renderAccountsScript(small());
    expect(script).toContain("set_qos critical '1000|standard,preemptible|requeue|priority class critical' Priority=1000 Preempt=standard,preemptible PreemptMode=requeue 'Description=priority class critical'");
    expect(script).toContain('sacctmgr --immediate load file="${1:-$(dirname "$0")/accounts.cfg}"');
    const cfg = renderAccountsCfg(small());
    expect(cfg).toContain("Account - 'team-b':Description='tenant team-b, internal data':Organization='cc-team-b':Fairshare=128:GrpTRES=gres/gpu=192:QOS='standard':DefaultQOS='standard'");
  });

  it("refuse a value the dump format would cut", () => {
    const bp = small();
    bp.tenants[0] = { ...bp.tenants[0], costCenter: "cc:a" };
    expect(() => renderAccountsCfg(bp)).toThrow(/holds a quote, a colon or a newline/);
  });
});

describe("the rendered Slurm files of a small factory", () => {
  it.each(["slurm.conf", "gres.conf", "cgroup.conf", "topology.conf", "accounts.sh", "accounts.cfg", "power/resume", "power/suspend"])("match the reviewed %s", async (name) => {
    await expect(file(renderSlurm(small()), name)).toMatchFileSnapshot(`../../../fixtures/slurm/golden/small/${name}`);
  });

  it.each(["slurm.conf", "topology.conf"])("match the reviewed GB200 %s", async (name) => {
    await expect(file(renderSlurm(gb200()), name)).toMatchFileSnapshot(`../../../fixtures/slurm/golden/gb200/${name}`);
  });

  it("make the accounts script and the power-saving programs executable and nothing else", () => {
    expect(renderSlurm(small()).map((f) => [f.path, f.mode ?? 0o644])).toEqual([
      ["slurm/slurm.conf", 0o644],
      ["slurm/gres.conf", 0o644],
      ["slurm/cgroup.conf", 0o644],
      ["slurm/topology.conf", 0o644],
      ["slurm/accounts.sh", 0o755],
      ["slurm/accounts.cfg", 0o644],
      ["slurm/power/resume", 0o755],
      ["slurm/power/suspend", 0o755],
    ]);
  });
});
