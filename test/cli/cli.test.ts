import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { designFactory } from "../../core/design";
import { loadStack } from "../../core/spec/load";
import { CONFIG_KEY } from "../../core/spec/schema";
import { count } from "../../cli/report/format";
import { type CliRun, FIXTURE_DIR, gigafactory, gigafactoryInProcess, ROOT, STACK_FRAME } from "../support/cli-run";

// The `gigafactory` command line: exit codes of DESIGN.md's table, errors a user can act on, never a stack trace.
// Where a test reads whole streams the command runs in a process of its own, as a user runs it; where it reads an
// exit code and a message, in this process (`gigafactoryInProcess`), one command at a time.

const FAILING_DIR = path.join(FIXTURE_DIR, "failing");

/** The command lines run in processes of their own: all start as the file loads, so they run side by side. */
const SPAWNED: string[][] = [
  ["--help"],
  ["plan", "--stack", "no-such-stack", "--dir", FIXTURE_DIR],
  ["plan", "--stack", "broken", "--dir", FIXTURE_DIR],
  ["plan", "--stack", "bad-spec", "--dir", FIXTURE_DIR],
  ["quotas", "--stack", "bad-spec", "--dir", FIXTURE_DIR],
  ["plan", "--stack", "small-files", "--dir", FIXTURE_DIR],
  ["quotas", "--stack", "dev", "--dir", path.join(ROOT, "test")],
  ["plan", "--stack", "fails", "--dir", FAILING_DIR],
  ["quotas", "--stack", "fixture", "--dir", FIXTURE_DIR, "--json", "-"],
  ["quotas", "--stack", "fixture", "--dir", FIXTURE_DIR],
  ["quotas", "--stack", "ai-factory", "--dir", ROOT],
];
const runs = new Map(SPAWNED.map((args) => [args.join(" "), gigafactory(args)]));
// A process that cannot start fails the test that reads it, not the file.
for (const run of runs.values()) run.catch(() => undefined);

/** `gigafactory ARGS` as a user runs it: one of SPAWNED, already under way. */
function spawned(args: string[]): Promise<CliRun> {
  const run = runs.get(args.join(" "));
  if (!run) throw new Error(`gigafactory ${args.join(" ")} is not one of SPAWNED`);
  return run;
}

/** Runs each command line in this process, one after the other. */
async function inProcess(commands: string[][]) {
  const runs = [];
  for (const args of commands) runs.push(await gigafactoryInProcess(...args));
  return runs;
}

describe("gigafactory --help", () => {
  it("lists the verbs and every verb answers --help with exit 0", async () => {
    const top = await spawned(["--help"]);
    expect(top.code).toBe(0);
    const verbs = [...top.stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((v) => v !== "help");
    expect(verbs).toEqual(expect.arrayContaining(["plan", "quotas"]));
    const helps = await inProcess(verbs.map((v) => [v, "--help"]));
    helps.forEach((h, i) => {
      expect(h.code, verbs[i]).toBe(0);
      expect(h.stdout).toContain(`Usage: gigafactory ${verbs[i]}`);
    });
  });
});

describe("a bad command line exits 2 with commander's message", () => {
  it("for no verb, an unknown verb, an unknown option and a missing --stack", async () => {
    const [none, verb, option, missing, misspelt] = await inProcess([[], ["plna"], ["quotas", "--stack", "dev", "--frobnicate"], ["plan"], ["plan", "--stak", "dev"]]);
    expect(none.code).toBe(2);
    expect(verb.code).toBe(2);
    expect(verb.stderr).toContain("unknown command 'plna'");
    expect(verb.stderr).toContain("plan");
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--frobnicate'");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error --stack: no stack named — pass --stack <name>, one of: .*gigafactory/m);
    // A misspelt option is named as such, with the one meant, not reported as a missing --stack.
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toContain("unknown option '--stak'");
    expect(misspelt.stderr).toContain("--stack");
    expect(misspelt.stderr).not.toContain("no stack named");
  });
});

describe("bad input exits 2 before any Pulumi code runs, with the path and what to do", () => {
  it("names a stack that does not exist and the stacks that do", async () => {
    const r = await spawned(["plan", "--stack", "no-such-stack", "--dir", FIXTURE_DIR]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error .*Pulumi\.no-such-stack\.yaml/m);
    expect(r.stderr).toContain("fixture");
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stdout).toBe("");
  });

  it("gives the line and column of malformed YAML", async () => {
    const r = await spawned(["plan", "--stack", "broken", "--dir", FIXTURE_DIR]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 8, column 5/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it("prints a spec error as `error <yaml.path>: <what> — <what to do>` with where it is written, for plan and quotas", async () => {
    const [plan, quotas] = await Promise.all([
      spawned(["plan", "--stack", "bad-spec", "--dir", FIXTURE_DIR]),
      spawned(["quotas", "--stack", "bad-spec", "--dir", FIXTURE_DIR]),
    ]);
    for (const r of [plan, quotas]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error gigafactory:factory\.pools\.try\.instanceType: .+ — .+\(.*Pulumi\.bad-spec\.yaml:9:9\)$/m);
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.stdout).toBe("");
    }
  });

  it("refuses a dataset whose files Lustre's metadata cannot open in time, at the spec's path, before any resource", async () => {
    const r = await spawned(["plan", "--stack", "small-files", "--dir", FIXTURE_DIR]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error gigafactory:factory\.storage\.datasetFiles: the objectives need [\d,]+ metadata IOPS .+ — pack the dataset into at most [\d,]+ files/m);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stdout).toBe("");
  });

  it("names a project folder without Pulumi.yaml", async () => {
    const r = await spawned(["quotas", "--stack", "dev", "--dir", path.join(ROOT, "test")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error .*Pulumi\.yaml: cannot be read/m);
  });
});

describe("a program that fails on a valid spec", () => {
  it("exits 1 with one line naming the program and its message, never a stack trace", async () => {
    const r = await spawned(["plan", "--stack", "fails", "--dir", FAILING_DIR]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error .*index\.ts: the pool table is empty — /);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});

describe("gigafactory quotas", () => {
  it("lists every quota the blueprint needs, with AWS's default and whether to raise it, as JSON and as a table", async () => {
    const loaded = loadStack(FIXTURE_DIR, "fixture");
    const design = designFactory({ raw: loaded.config[CONFIG_KEY], region: loaded.config["aws:region"] as string, stack: "fixture", stackDir: FIXTURE_DIR });
    const needs = design.blueprint!.quotas;
    const [json, table] = await Promise.all([
      spawned(["quotas", "--stack", "fixture", "--dir", FIXTURE_DIR, "--json", "-"]),
      spawned(["quotas", "--stack", "fixture", "--dir", FIXTURE_DIR]),
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).quotas).toEqual(needs);
    expect(table.code).toBe(0);
    for (const q of needs) {
      const row = table.stdout.split("\n").find((l) => l.includes(q.quotaCode) && l.includes(q.name));
      expect(row, q.name).toBeDefined();
      expect(row).toMatch(new RegExp(`${q.raise ? "yes" : "no"}$`));
    }
    expect(table.stdout).toContain(`(${needs.filter((q) => q.raise).length} to raise)`);
  });

  it("lists beside the quotas every reservation the pools name, with the instances, units and node groups on it", async () => {
    const loaded = loadStack(path.join(ROOT, "stacks"), "ai-factory");
    const design = designFactory({ raw: loaded.config[CONFIG_KEY], region: loaded.config["aws:region"] as string, stack: "ai-factory", stackDir: path.join(ROOT, "stacks") });
    const table = await spawned(["quotas", "--stack", "ai-factory", "--dir", ROOT]);
    expect(table.code).toBe(0);
    const section = table.stdout.split("Capacity reservations\n")[1] ?? "";
    const bp = design.blueprint!;
    for (const p of bp.pools) {
      if (p.capacity.source !== "odcr" || !p.capacity.reservations) throw new Error(`${p.name} names no reservations`);
      for (const r of p.capacity.reservations) {
        const units = bp.units.filter((u) => u.capacityReservationId === r.reservationId);
        const row = section.split("\n").find((l) => l.includes(r.reservationId!));
        expect(row, r.reservationId).toMatch(new RegExp(`${p.name}\\s+${r.reservationId}\\s+ODCR \\(delivered\\)\\s+${r.availabilityZoneId}\\s+${count(r.instances)}\\s+${count(r.instances)}\\s+${units.length}\\s`));
      }
    }
  });
});
