import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderResumeProgram, renderSuspendProgram } from "../../../../core/render/slurm/power";
import { slurmBlueprint } from "../../../fixtures/slurm/blueprint";
import { stackBlueprint } from "../../../fixtures/slurm/stacks";

// Slurm's power-saving programs against a fake scontrol and aws CLI: what they ask of EKS for the nodes Slurm names.

const factory = slurmBlueprint({
  factory: "gf-power",
  pools: [
    { name: "od", nodes: 64, unitNodes: 32 },
    { name: "cb", nodes: 16, unitNodes: 16, capacityBlocks: ["cr-0123456789abcdef0"] },
  ],
});

interface Run {
  code: number | null;
  aws: string[];
  log: string[];
}

/** Runs a program for `hosts` (what `scontrol show hostnames` expands to) with node groups in the given states. */
function run(script: string, hosts: string[], groups: Record<string, string>, awsFails = false): Run {
  const dir = mkdtempSync(join(tmpdir(), "gf-power-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const awsLog = join(dir, "aws.log");
  writeFileSync(join(dir, "groups"), Object.entries(groups).map(([g, s]) => `${g} ${s}`).join("\n") + "\n");
  const tool = (name: string, body: string) => writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
  tool("scontrol", `[ "$1 $2" = "show hostnames" ] && printf '%s\\n' ${hosts.join(" ")}`);
  tool(
    "aws",
    `echo "$*" >> "${awsLog}"
${awsFails ? "exit 255" : ""}
group=$(sed -n 's/.*--nodegroup-name \\([^ ]*\\).*/\\1/p' <<<"$*")
case "$2" in
  describe-nodegroup) awk -v g="$group" '$1 == g { print $2 "\\t" $3 "\\t" $4 }' "${join(dir, "groups")}" ;;
esac`,
  );
  const logFile = join(dir, "power.log");
  const r = spawnSync("bash", ["-c", script, "resume", "ignored-hostlist"], { env: { PATH: `${bin}:${process.env.PATH}`, POWER_LOG: logFile }, timeout: 10_000 });
  const read = (f: string) => {
    try {
      return readFileSync(f, "utf8").trim().split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };
  return { code: r.status, aws: read(awsLog), log: read(logFile).map((l) => l.replace(/^\S+ /, "")) };
}

describe("the ResumeProgram", () => {
  it("asks a unit's node group that is short of nodes to be whole again, and leaves a whole one alone", () => {
    const r = run(renderResumeProgram(factory), ["od-00003", "od-00004", "od-00040"], { "od-su001": "ACTIVE 30 32", "od-su002": "ACTIVE 32 32" });
    expect(r.code).toBe(0);
    expect(r.aws.filter((c) => c.startsWith("eks update-nodegroup-config"))).toEqual([
      "eks update-nodegroup-config --region eu-north-1 --cluster-name gf-power --nodegroup-name od-su001 --scaling-config desiredSize=32",
    ]);
    expect(r.log).toEqual([
      "resume: 2 node(s) of od-su001: node group was at 30 of 32, asked for 32",
      "resume: 1 node(s) of od-su002: node group ACTIVE at 32 of 32; they register when their instances boot (replaced or booting)",
    ]);
  });

  it("never resizes a capacity block's node group, which EKS sizes to the block's window", () => {
    const r = run(renderResumeProgram(factory), ["cb-00001"], { "cb-su001": "ACTIVE 0 16" });
    expect(r.code).toBe(0);
    expect(r.aws.some((c) => c.includes("update-nodegroup-config"))).toBe(false);
    expect(r.log).toEqual(["resume: 1 node(s) of cb-su001: capacity block, node group ACTIVE at 0 of 16; they register while the block is active"]);
  });

  it("fails on a host that is no node of the factory, and when the node group cannot be read", () => {
    const unknown = run(renderResumeProgram(factory), ["od-00065"], {});
    expect(unknown.code).toBe(1);
    expect(unknown.log).toEqual(["resume: od-00065 is no node of gf-power"]);
    const noApi = run(renderResumeProgram(factory), ["od-00001"], {}, true);
    expect(noApi.code).toBe(1);
    expect(noApi.log[0]).toMatch(/^resume: 1 node\(s\) of od-su001: its node group cannot be read/);
  });
});

describe("the SuspendProgram", () => {
  it("powers nodes down in Slurm only: it never touches an instance", () => {
    const r = run(renderSuspendProgram(factory), ["od-00001", "od-00033", "od-00034"], { "od-su001": "ACTIVE 32 32" });
    expect(r.code).toBe(0);
    expect(r.aws).toEqual([]);
    expect(r.log).toEqual([
      expect.stringMatching(/^suspend: 1 node\(s\) of od-su001: powered down in Slurm; the instances stay/),
      expect.stringMatching(/^suspend: 2 node\(s\) of od-su002: /),
    ]);
  });
});

describe.each(["dev", "gigafactory"])("the %s stack's power-saving programs", (stack) => {
  const bp = stackBlueprint(stack);
  it("are valid bash and know every unit of the factory and the node group it runs in", () => {
    for (const script of [renderResumeProgram(bp), renderSuspendProgram(bp)]) {
      expect(spawnSync("bash", ["-n", "-c", script]).status).toBe(0);
      const table = /UNITS='([^']*)'/.exec(script)![1].split("\n");
      expect(table.map((row) => row.split(" ")[3])).toEqual(bp.units.map((u) => u.nodeGroup));
      expect(table).toHaveLength(bp.units.length);
    }
  });
});
