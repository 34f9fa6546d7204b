import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { PACKAGE_DIR, readProject } from "../plan/engine/project";
import { renderText } from "../cli/report/text";
import { timeDesign } from "./design";
import { type Measured, measure, median } from "./measure";

// `npm run bench`: every stack planned in a fresh process (wall time, peak memory, resources) against its floor,
// the same registrations through the bare SDK; and the pure design step alone. Targets on a 2-core machine.

export const TARGETS = { planSeconds: 10, planMiB: 1024, floorRatio: 2, designMs: 50 } as const;

export interface StackBench {
  stack: string;
  status: "planned" | "rejected" | "failed";
  resources: number;
  planSeconds: number;
  planPeakMiB: number;
  planCpuSeconds: number;
  floorSeconds: number;
  floorCpuSeconds: number;
  floorPeakMiB: number;
  /** Plan time over floor time. */
  floorRatio: number;
  designMs: number;
}

const GIGAFACTORY = path.join(PACKAGE_DIR, "bin", "gigafactory.js");
const FLOOR = path.join(PACKAGE_DIR, "bench", "floor.js");

async function repeat(runs: number, args: string[]): Promise<Measured[]> {
  const out: Measured[] = [];
  for (let i = 0; i < runs; i++) out.push(await measure(args, PACKAGE_DIR));
  return out;
}

export async function benchStack(dir: string, stackDir: string, stack: string, runs: number): Promise<StackBench> {
  const design = timeDesign(stackDir, stack);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "gigafactory-bench-"));
  const snapshotFile = path.join(tmp, `${stack}.json`);
  try {
    const plans = await repeat(runs, [GIGAFACTORY, "plan", "--stack", stack, "--dir", dir, "--json", snapshotFile]);
    const failed = plans.find((p) => p.exitCode !== 0);
    const base = { stack, resources: 0, floorSeconds: 0, floorCpuSeconds: 0, floorPeakMiB: 0, floorRatio: 0, designMs: design.medianMs };
    const planSeconds = median(plans.map((p) => p.wallMs)) / 1000;
    const planCpuSeconds = median(plans.map((p) => p.cpuSeconds));
    const planPeakMiB = Math.max(...plans.map((p) => p.peakRssMiB));
    if (failed) return { ...base, status: failed.exitCode === 2 ? "rejected" : "failed", planSeconds, planCpuSeconds, planPeakMiB };
    const resources = (JSON.parse(readFileSync(snapshotFile, "utf8")) as { resources: unknown[] }).resources.length;
    const floors = await repeat(runs, [FLOOR, snapshotFile]);
    const floorFailed = floors.find((f) => f.exitCode !== 0);
    if (floorFailed) throw new Error(`the floor of ${stack} failed: ${floorFailed.stderr.trim()}`);
    const floorSeconds = median(floors.map((f) => f.wallMs)) / 1000;
    return {
      ...base,
      status: "planned",
      resources,
      planSeconds,
      planCpuSeconds,
      planPeakMiB,
      floorSeconds,
      floorCpuSeconds: median(floors.map((f) => f.cpuSeconds)),
      floorPeakMiB: Math.max(...floors.map((f) => f.peakRssMiB)),
      floorRatio: planSeconds / floorSeconds,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function stacksIn(stackDir: string): string[] {
  return readdirSync(stackDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

function benchText(rows: StackBench[]): string {
  const f = (n: number, d: number) => n.toFixed(d);
  const mark = (ok: boolean) => (ok ? "ok" : "OVER");
  const giga = rows.find((r) => r.stack === "gigafactory" && r.status === "planned");
  const notes = [
    `${os.cpus().length} CPUs; node ${process.version}; load average ${os.loadavg()[0].toFixed(1)} (wall times stretch on a busy machine; cpu s less so)`,
    "x floor: plan wall time over the floor's (the same registrations through the bare SDK, no program logic)",
  ];
  if (giga) {
    notes.push(
      `gigafactory targets: plan ${f(giga.planSeconds, 1)} s <= ${TARGETS.planSeconds} s ${mark(giga.planSeconds <= TARGETS.planSeconds)}; ` +
        `peak ${f(giga.planPeakMiB, 0)} MiB <= ${TARGETS.planMiB} MiB ${mark(giga.planPeakMiB <= TARGETS.planMiB)}; ` +
        `${f(giga.floorRatio, 2)}x floor <= ${TARGETS.floorRatio}x ${mark(giga.floorRatio <= TARGETS.floorRatio)}; ` +
        `design ${f(giga.designMs, 1)} ms <= ${TARGETS.designMs} ms ${mark(giga.designMs <= TARGETS.designMs)}`,
    );
  }
  return renderText({
    title: "gigafactory bench",
    sections: [
      {
        title: "plan per stack (fresh process each)",
        facts: [],
        tables: [
          {
            columns: ["stack", "status", "resources", "plan s", "plan cpu s", "plan MiB", "floor s", "floor cpu s", "floor MiB", "x floor", "design ms"],
            numeric: [false, false, true, true, true, true, true, true, true, true, true],
            rows: rows.map((r) => [
              r.stack,
              r.status,
              String(r.resources),
              f(r.planSeconds, 2),
              f(r.planCpuSeconds, 2),
              f(r.planPeakMiB, 0),
              r.status === "planned" ? f(r.floorSeconds, 2) : "-",
              r.status === "planned" ? f(r.floorCpuSeconds, 2) : "-",
              r.status === "planned" ? f(r.floorPeakMiB, 0) : "-",
              r.status === "planned" ? f(r.floorRatio, 2) : "-",
              f(r.designMs, 1),
            ]),
          },
        ],
        notes,
      },
    ],
  });
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command("bench")
    .description("time `gigafactory plan` on every stack against the bare-SDK floor, and the design step alone")
    .option("--json", "print the measurements as JSON")
    .option("--runs <n>", "runs per stack (the median is reported)", "1")
    .option("--stack <name...>", "only these stacks")
    .option("--dir <folder>", "the Pulumi project", PACKAGE_DIR)
    .parse(argv);
  const opts = program.opts<{ json?: boolean; runs: string; stack?: string[]; dir: string }>();
  const project = readProject(opts.dir);
  const stacks = opts.stack ?? stacksIn(project.stackDir);
  const rows: StackBench[] = [];
  for (const stack of stacks) {
    const row = await benchStack(project.dir, project.stackDir, stack, Math.max(1, Number(opts.runs) || 1));
    rows.push(row);
    if (!opts.json) process.stderr.write(`${stack}: ${row.status}, ${row.resources} resources, ${row.planSeconds.toFixed(2)} s\n`);
  }
  const machine = { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg()[0] };
  process.stdout.write(opts.json ? `${JSON.stringify({ machine, targets: TARGETS, stacks: rows }, null, 2)}\n` : benchText(rows));
}
