import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { designFactory } from "../../../core/design";
import { instanceType } from "../../../core/catalog/instances";
import type { InstanceType } from "../../../core/catalog/types";
import type { Finding } from "../../../core/spec/schema";
import {
  slurmAccountFindings,
  slurmNameFindings,
  slurmNodeFindings,
  slurmTopologyFindings,
  validateSlurm,
} from "../../../core/checks/slurm";
import { renderSlurmConf } from "../../../core/render/slurm";
import { slurmBlueprint, type TenantFixture } from "../../fixtures/slurm/blueprint";
import { stackBlueprint } from "../../fixtures/slurm/stacks";
import { aiFactoryDoc } from "../../fixtures/spec/specs";

const p5 = instanceType("p5.48xlarge")!;
/** The catalog with p5.48xlarge changed. */
const catalogWith = (change: Partial<InstanceType>) => (name: string) => (name === "p5.48xlarge" ? { ...p5, ...change } : instanceType(name));
const withTenants = (tenants: TenantFixture[]) => slurmBlueprint({ pools: [{ name: "train", nodes: 64 }], tenants });
const errors = (findings: Finding[]) => findings.filter((f) => f.level === "error");

describe("Slurm's view of the factory", () => {
  it("has nothing to say about the stacks' kind of factory", () => {
    const bp = slurmBlueprint({
      factory: "gf-nordics",
      pools: [
        { name: "h200-a", instanceType: "p5en.48xlarge", nodes: 4800 },
        { name: "h100-c", nodes: 2900 },
      ],
      tenants: [{ name: "alpine-ai", gpuQuota: 1024 }, { name: "aurora-labs", gpuQuota: 384, priority: "critical", priorityValue: 1000 }],
    });
    expect(validateSlurm(bp)).toEqual([]);
  });

  it.each(["dev", "ai-factory", "gigafactory"])("has nothing to say about the %s stack", (stack) => {
    expect(validateSlurm(stackBlueprint(stack))).toEqual([]);
  });
});

describe("a pool whose nodes Slurm would drop", () => {
  it("is an error when the CPU layout does not add up to the vCPUs", () => {
    const findings = slurmNodeFindings(slurmBlueprint({ pools: [{ name: "train", nodes: 8 }] }), catalogWith({ coresPerSocket: 47 }));
    expect(findings).toEqual([
      expect.objectContaining({ level: "error", path: "gigafactory:factory.pools.train.instanceType", message: expect.stringContaining("192 vCPUs but 2 sockets x 47 cores x 2 threads = 188") }),
    ]);
  });

  it("is an error when the node keeps all its memory for the system", () => {
    const findings = slurmNodeFindings(slurmBlueprint({ pools: [{ name: "train", nodes: 8 }] }), catalogWith({ memoryGiB: 0.5 }));
    expect(findings).toEqual([expect.objectContaining({ level: "error", path: "gigafactory:factory.pools.train.maxPodsPerNode", message: expect.stringContaining("no RealMemory") })]);
  });

  it("is an error when so many pods are allowed that kube-reserved eats the memory", () => {
    const bp = slurmBlueprint({ pools: [{ name: "train", nodes: 8, maxPodsPerNode: 200_000 }] });
    expect(errors(slurmNodeFindings(bp)).map((f) => f.path)).toEqual(["gigafactory:factory.pools.train.maxPodsPerNode"]);
  });
});

describe("a pool's own Slurm figures", () => {
  const withSlurm = (slurm: { realMemoryMiB?: number; coreSpecCount: number }) => slurmBlueprint({ pools: [{ name: "train", nodes: 8, slurm }] });
  const derivedMiB = () => renderedRealMemory(withSlurm({ coreSpecCount: 0 }));

  it("takes a RealMemory below what the node has left, and a few cores kept for the system", () => {
    expect(slurmNodeFindings(withSlurm({ realMemoryMiB: derivedMiB() - 65_536, coreSpecCount: 4 }))).toEqual([]);
  });

  it("is an error when RealMemory is more than the guest sees, which drains every node", () => {
    const findings = slurmNodeFindings(withSlurm({ realMemoryMiB: 2048 * 1024, coreSpecCount: 0 }));
    expect(findings).toEqual([
      expect.objectContaining({ level: "error", path: "gigafactory:factory.pools.train.slurm.realMemoryMiB", message: expect.stringContaining("Low RealMemory"), hint: expect.stringContaining(`at most ${derivedMiB()}`) }),
    ]);
  });

  it("is an error when RealMemory reaches into what the VM and Kubernetes keep", () => {
    const findings = slurmNodeFindings(withSlurm({ realMemoryMiB: derivedMiB() + 1, coreSpecCount: 0 }));
    expect(findings).toEqual([expect.objectContaining({ level: "error", path: "gigafactory:factory.pools.train.slurm.realMemoryMiB", message: expect.stringContaining("1 MiB that the VM and Kubernetes keep") })]);
  });

  it("is an error to keep every core from jobs, and a warning to leave fewer CPUs than GPUs", () => {
    expect(errors(slurmNodeFindings(withSlurm({ coreSpecCount: 96 })))).toEqual([
      expect.objectContaining({ path: "gigafactory:factory.pools.train.slurm.coreSpecCount", message: expect.stringContaining("resets it to 1") }),
    ]);
    expect(slurmNodeFindings(withSlurm({ coreSpecCount: 93 }))).toEqual([
      expect.objectContaining({ level: "warning", path: "gigafactory:factory.pools.train.slurm.coreSpecCount", message: expect.stringContaining("leaves 6 CPUs for 8 GPUs") }),
    ]);
  });
});

/** The RealMemory slurm.conf gives the blueprint's first pool. */
function renderedRealMemory(bp: ReturnType<typeof slurmBlueprint>): number {
  return Number(/RealMemory=(\d+)/.exec(renderSlurmConf(bp))![1]);
}

describe("names Slurm would refuse", () => {
  it("reports a pool whose host names are not valid Slurm host names", () => {
    const bp = slurmBlueprint({ pools: [{ name: "GPU_pool", nodes: 8 }, { name: "ok", nodes: 8 }] });
    expect(errors(slurmNameFindings(bp))).toEqual([
      expect.objectContaining({ path: "gigafactory:factory.pools.GPU_pool", message: expect.stringContaining("GPU_pool-00001, which is not a valid Slurm host name") }),
    ]);
  });

  it("reports host and switch names longer than Slurm takes, once per pool", () => {
    const name = "p".repeat(60);
    const findings = errors(slurmNameFindings(slurmBlueprint({ pools: [{ name, nodes: 8 }] })));
    expect(findings.map((f) => [f.path, f.message.slice(0, 40)])).toEqual([
      [`gigafactory:factory.pools.${name}`, `pool ${name.slice(0, 35)}`],
      [`gigafactory:factory.pools.${name}`, `the topology switch ${name.slice(0, 20)}`],
    ]);
  });

  it("reports pools that would be the partition Slurm reserves for defaults, or the default partition", () => {
    const bp = slurmBlueprint({ pools: [{ name: "default", nodes: 8 }, { name: "all", nodes: 8 }] });
    expect(errors(slurmNameFindings(bp)).map((f) => f.path)).toEqual(["gigafactory:factory.pools.default", "gigafactory:factory.pools.all"]);
  });

  it("reports a factory name too long to be Slurm's ClusterName", () => {
    const bp = slurmBlueprint({ factory: "f".repeat(41), pools: [{ name: "a", nodes: 2 }] });
    expect(errors(slurmNameFindings(bp)).map((f) => f.path)).toContain("gigafactory:factory.name");
  });
});

describe("tenants that would not be Slurm accounts of their own", () => {
  it("reports two tenants that differ only in case, which sacctmgr folds", () => {
    const findings = slurmAccountFindings(withTenants([{ name: "acme-ai", gpuQuota: 8 }, { name: "ACME-AI", gpuQuota: 8 }]));
    expect(findings).toEqual([
      expect.objectContaining({ level: "error", path: "gigafactory:factory.tenants.ACME-AI", message: expect.stringContaining("sacctmgr folds account names to lower case, so acme-ai and ACME-AI are both acme-ai") }),
    ]);
  });

  it("reports two tenants alike in their first 42 characters, where slurmdbd keys accounts", () => {
    const stem = "european-research-consortium-for-language-"; // 42 characters
    const findings = slurmAccountFindings(withTenants([{ name: `${stem}models`, gpuQuota: 8 }, { name: `${stem}vision`, gpuQuota: 8 }]));
    expect(findings).toEqual([expect.objectContaining({ path: `gigafactory:factory.tenants.${stem}vision`, message: expect.stringContaining("first 42 characters") })]);
  });

  it("reports tenant names sacctmgr would split or rewrite, and the root account", () => {
    const findings = slurmAccountFindings(withTenants([{ name: "a,b", gpuQuota: 8 }, { name: "root", gpuQuota: 8 }, { name: "fine-1", gpuQuota: 8 }]));
    expect(findings.map((f) => f.path)).toEqual(['gigafactory:factory.tenants["a,b"]', "gigafactory:factory.tenants.root"]);
  });

  it("names the tenants file's path when the design says tenants live there", () => {
    const findings = slurmAccountFindings(withTenants([{ name: "x", gpuQuota: 8 }, { name: "X", gpuQuota: 8 }]), {
      tenantPath: (t) => `tenants.gigafactory.yaml:tenants.${t}`,
    });
    expect(findings.map((f) => f.path)).toEqual(["tenants.gigafactory.yaml:tenants.X"]);
  });

  it("reports priority classes that would be one QOS", () => {
    const findings = slurmAccountFindings(
      withTenants([
        { name: "a", gpuQuota: 8, priority: "High", priorityValue: 10 },
        { name: "b", gpuQuota: 8, priority: "high", priorityValue: 20 },
      ]),
    );
    expect(findings).toEqual([expect.objectContaining({ path: "gigafactory:factory.tenants.b.priority", message: expect.stringContaining("would be one Slurm QOS") })]);
  });
});

describe("NVLink domains in the topology", () => {
  it("tells which Slurm a GB200 factory needs", () => {
    const bp = slurmBlueprint({ pools: [{ name: "gb", instanceType: "p6e-gb200.36xlarge", nodes: 72, unitNodes: 72 }] });
    expect(slurmTopologyFindings(bp)).toEqual([expect.objectContaining({ level: "info", message: expect.stringContaining("needs Slurm >= 24.05") })]);
  });

  it("warns when units do not hold whole NVLink domains, and when NVLink pools share a factory with others", () => {
    const bp = slurmBlueprint({
      pools: [
        { name: "gb", instanceType: "p6e-gb200.36xlarge", nodes: 64, unitNodes: 32 },
        { name: "h100", nodes: 64 },
      ],
    });
    expect(slurmTopologyFindings(bp).map((f) => [f.level, f.path])).toEqual([
      ["warning", "gigafactory:factory.pools.gb.instanceType"],
      ["warning", "gigafactory:factory.scalableUnit.nodes"],
    ]);
  });
});

describe("any pool's Slurm figures, through the design", () => {
  it("either render as given or stop the design with a finding at the field", () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 1, max: 4_000_000 }), { nil: undefined }), fc.integer({ min: 0, max: 200 }), (realMemoryMiB, coreSpecCount) => {
        const doc = aiFactoryDoc();
        doc.pools.train.slurm = { ...(realMemoryMiB !== undefined ? { realMemoryMiB } : {}), coreSpecCount };
        const design = designFactory({ raw: doc, region: "eu-north-1", stack: "test", stackDir: "." });
        const errors = design.findings.filter((f) => f.level === "error");
        if (!design.blueprint) {
          expect(errors.length).toBeGreaterThan(0);
          for (const f of errors) expect(f.path).toMatch(/^gigafactory:factory\.pools\.train\.slurm\.(realMemoryMiB|coreSpecCount)$/);
          return;
        }
        const node = renderSlurmConf(design.blueprint).split("\n").find((l) => l.startsWith("NodeName=DEFAULT"))!;
        if (realMemoryMiB !== undefined) expect(node).toContain(` RealMemory=${realMemoryMiB} `);
        expect(node.includes("CoreSpecCount=")).toBe(coreSpecCount > 0);
        // A p5en node has 96 cores: a design that holds keeps some for jobs.
        expect(coreSpecCount).toBeLessThan(96);
      }),
      { numRuns: 60 },
    );
  });
});
