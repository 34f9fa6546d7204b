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

export const TARGETS = { planSeconds: 8, planMiB: 900, floorRatio: 1.3, designMs: 50 } as const;

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
  /** The floor with each resource sent through its own class in the provider SDK (bench/replay.ts, `classes`). */
  classFloorSeconds: number;
  classFloorCpuSeconds: number;
  classFloorPeakMiB: number;
  /** Plan time over the class floor's. */
  classFloorRatio: number;
  designMs: number;
}

const GIGAFACTORY = path.join(PACKAGE_DIR, "bin", "gigafactory.js");
const FLOOR = path.join(PACKAGE_DIR, "bench", "floor.js");

export async function benchStack(dir: string, stackDir: string, stack: string, runs: number): Promise<StackBench> {
  const design = timeDesign(stackDir, stack);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "gigafactory-bench-"));
  const snapshotFile = path.join(tmp, `${stack}.json`);
  try {
    const base = {
      stack,
      resources: 0,
      floorSeconds: 0,
      floorCpuSeconds: 0,
      floorPeakMiB: 0,
      floorRatio: 0,
      classFloorSeconds: 0,
      classFloorCpuSeconds: 0,
      classFloorPeakMiB: 0,
      classFloorRatio: 0,
      designMs: design.medianMs,
    };
    // Plan, floor and class floor take turns, run by run, so a change in the machine's load falls on all three
    // alike; every plan writes the same snapshot, which the floors replay.
    const plans: Measured[] = [];
    const floors: Measured[] = [];
    const classFloors: Measured[] = [];
    for (let i = 0; i < runs; i++) {
      const plan = await measure([GIGAFACTORY, "plan", "--stack", stack, "--dir", dir, "--json-file", snapshotFile], PACKAGE_DIR);
      plans.push(plan);
      if (plan.exitCode !== 0) break;
      floors.push(await measure([FLOOR, snapshotFile], PACKAGE_DIR));
      classFloors.push(await measure([FLOOR, snapshotFile, "--classes"], PACKAGE_DIR));
    }
    const planSeconds = median(plans.map((p) => p.wallMs)) / 1000;
    const planCpuSeconds = median(plans.map((p) => p.cpuSeconds));
    const planPeakMiB = Math.max(...plans.map((p) => p.peakRssMiB));
    const failed = plans.find((p) => p.exitCode !== 0);
    if (failed) return { ...base, status: failed.exitCode === 2 ? "rejected" : "failed", planSeconds, planCpuSeconds, planPeakMiB };
    const resources = (JSON.parse(readFileSync(snapshotFile, "utf8")) as { resources: unknown[] }).resources.length;
    const floorFailed = [...floors, ...classFloors].find((f) => f.exitCode !== 0);
    if (floorFailed) throw new Error(`the floor of ${stack} failed: ${floorFailed.stderr.trim()}`);
    const floorSeconds = median(floors.map((f) => f.wallMs)) / 1000;
    const classFloorSeconds = median(classFloors.map((f) => f.wallMs)) / 1000;
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
      classFloorSeconds,
      classFloorCpuSeconds: median(classFloors.map((f) => f.cpuSeconds)),
      classFloorPeakMiB: Math.max(...classFloors.map((f) => f.peakRssMiB)),
      classFloorRatio: planSeconds / classFloorSeconds,
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
    "class floor: the floor with each aws and kubernetes resource sent through its own provider SDK class, as a program must",
  ];
  if (giga) {
    notes.push(
      `gigafactory targets: plan ${f(giga.planSeconds, 1)} s <= ${TARGETS.planSeconds} s ${mark(giga.planSeconds <= TARGETS.planSeconds)}; ` +
        `peak ${f(giga.planPeakMiB, 0)} MiB <= ${TARGETS.planMiB} MiB ${mark(giga.planPeakMiB <= TARGETS.planMiB)}; ` +
        `${f(giga.floorRatio, 2)}x floor <= ${TARGETS.floorRatio}x ${mark(giga.floorRatio <= TARGETS.floorRatio)}; ` +
        `design ${f(giga.designMs, 1)} ms <= ${TARGETS.designMs} ms ${mark(giga.designMs <= TARGETS.designMs)}`,
      `gigafactory in cpu time: plan ${f(giga.planCpuSeconds / giga.floorCpuSeconds, 2)}x floor, ` +
        `${f(giga.planCpuSeconds / giga.classFloorCpuSeconds, 2)}x class floor`,
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
            columns: [
              "stack",
              "status",
              "resources",
              "plan s",
              "plan cpu s",
              "plan MiB",
              "floor s",
              "floor cpu s",
              "floor MiB",
              "x floor",
              "class floor s",
              "class floor cpu s",
              "x class floor",
              "design ms",
            ],
            numeric: [false, false, true, true, true, true, true, true, true, true, true, true, true, true],
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
              r.status === "planned" ? f(r.classFloorSeconds, 2) : "-",
              r.status === "planned" ? f(r.classFloorCpuSeconds, 2) : "-",
              r.status === "planned" ? f(r.classFloorRatio, 2) : "-",
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
