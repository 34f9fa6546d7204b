import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../cli/main";
import { formatTarget, Progress, writeOutput } from "../../cli/output";
import { BIN, FIXTURE_DIR, gigafactoryInProcess, gigafactoryServed, ROOT, tempDir } from "../support/cli-run";

// What every verb writes besides its report: progress on a terminal, `wrote FILE (SIZE)` for each file, one JSON
// convention (--json to stdout, --json-file FILE), the old forms still working with a note, --quiet, and an
// unknown option named with the one meant.

const dir = tempDir();
const out = (name: string) => path.join(dir, name);
const fixture = ["--stack", "fixture", "--dir", FIXTURE_DIR];
const WROTE = (file: string) => new RegExp(`^wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\([\\d.,]+ [KMG]?B\\)\\r?$`, "m");

// Started as the file loads, side by side.
const planned = gigafactoryServed(["plan", ...fixture, "--json-file", out("plan.json"), "--markdown-file", out("plan.md")]);
const legacy = gigafactoryServed(["plan", ...fixture, "--json", out("legacy.json")]);
const quiet = gigafactoryServed(["plan", ...fixture, "--json-file", out("quiet.json"), "--quiet"]);
const onStdout = gigafactoryServed(["plan", ...fixture, "--json"]);
for (const p of [planned, legacy, quiet, onStdout]) p.catch(() => undefined);

/** Every verb's long options, from the program itself: a verb added later is tested too. */
function verbs(): { name: string; options: string[] }[] {
  return buildProgram().commands.map((c: Command) => ({ name: c.name(), options: c.options.map((o) => o.long).filter((l): l is string => !!l && l !== "--no-policies") }));
}

/** A plausible slip: a letter dropped from the middle of the option's name. */
function misspelt(option: string): string {
  const i = Math.floor(option.length / 2) + 1;
  return option.slice(0, i) + option.slice(i + 1);
}

describe("an unknown option, for every verb", () => {
  it("is named as unknown with the option meant, exit 2, before any missing option or argument", async () => {
    const all = verbs();
    expect(all.map((v) => v.name)).toEqual(expect.arrayContaining(["plan", "quotas", "check", "diff", "render", "schema"]));
    for (const { name, options } of all) {
      for (const option of options) {
        const slip = misspelt(option);
        if (options.includes(slip)) continue;
        const r = await gigafactoryInProcess(name, slip, "x");
        expect(r.code, `${name} ${slip}`).toBe(2);
        expect(r.stderr, `${name} ${slip}`).toContain(`unknown option '${slip}'`);
        expect(r.stderr, `${name} ${slip}`).toMatch(new RegExp(`Did you mean (one of )?[^\\n]*${option.replace(/-/g, "\\-")}\\b`));
      }
    }
  });
});

describe("files written", () => {
  it("plan says `wrote FILE (SIZE)` for each file, and the sizes are the files'", async () => {
    const r = await planned;
    expect(r.code).toBe(0);
    for (const f of [out("plan.json"), out("plan.md")]) {
      expect(r.stderr).toMatch(WROTE(f));
      expect(statSync(f).size).toBeGreaterThan(0);
    }
    // The text report still goes to stdout.
    expect(r.stdout).toMatch(/gigafactory plan/);
    expect(JSON.parse(readFileSync(out("plan.json"), "utf8")).format).toBe("gigafactory.plan/v1");
  });

  it("the old `--json FILE` still writes the file, with a note saying what replaces it", async () => {
    const r = await legacy;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`\`--json FILE\` is deprecated — use --json-file ${out("legacy.json")}`);
    expect(readFileSync(out("legacy.json"), "utf8")).toBe(readFileSync(out("plan.json"), "utf8"));
  });

  it("--json alone puts the snapshot on stdout instead of the report", async () => {
    const r = await onStdout;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(out("plan.json"), "utf8"));
  });

  it("--quiet writes the file and says nothing", async () => {
    const r = await quiet;
    expect(r.code).toBe(0);
    expect(existsSync(out("quiet.json"))).toBe(true);
    expect(r.stderr).toBe("");
  });

  it("quotas, check, diff, render and schema say so too; the old `quotas --json -` and `check --json FILE` still work", async () => {
    await planned;
    const plan = out("plan.json");
    const runs = await Promise.all([
      gigafactoryServed(["quotas", ...fixture, "--json-file", out("quotas.json")]),
      gigafactoryServed(["quotas", ...fixture, "--json", "-"]),
      gigafactoryServed(["check", "--snapshot", plan, "--json-file", out("check.json"), "--markdown-file", out("check.md")]),
      gigafactoryServed(["check", "--snapshot", plan, "--json", out("check-legacy.json")]),
      gigafactoryServed(["diff", "--json", plan, plan, "--markdown-file", out("diff.md"), "--no-policies"]),
      gigafactoryServed(["diff", plan, plan, "--json-file", out("diff.json"), "--no-policies"]),
      gigafactoryServed(["render", ...fixture, "--out", out("rendered")]),
      gigafactoryServed(["schema", "--out", out("schema")]),
    ]);
    const [quotas, quotasLegacy, check, checkLegacy, diffJson, diffMd, render, schema] = runs;
    expect(quotas.stderr).toMatch(WROTE(out("quotas.json")));
    expect(JSON.parse(quotasLegacy.stdout).stack).toBe("fixture");
    expect(quotasLegacy.stderr).toContain("`--json -` is deprecated — use --json");
    expect(check.stderr).toMatch(WROTE(out("check.json")));
    expect(check.stderr).toMatch(WROTE(out("check.md")));
    expect(checkLegacy.stderr).toMatch(WROTE(out("check-legacy.json")));
    expect(checkLegacy.stderr).toContain("`--json FILE` is deprecated");
    // `diff --json BEFORE AFTER`: the flag takes no value, so both plans are read as plans.
    expect(diffJson.code).toBe(0);
    expect(JSON.parse(diffJson.stdout).format).toBe("gigafactory.diff/v1");
    expect(diffJson.stderr).toMatch(WROTE(out("diff.md")));
    expect(diffMd.stderr).toMatch(WROTE(out("diff.json")));
    expect(render.code).toBe(0);
    expect(render.stderr).toMatch(new RegExp(`^wrote [\\d,]+ files under ${out("rendered")} \\([\\d.,]+ [KMG]?B\\)$`, "m"));
    expect(render.stdout.trim().split("\n").length).toBeGreaterThan(3);
    expect(schema.stderr).toMatch(WROTE(path.join(out("schema"), "gigafactory.schema.json")));
    for (const r of runs) expect(r === check || r === checkLegacy ? [0, 1] : [0], r.stderr).toContain(r.code);
  });

  it("two formats on stdout, or two files for one format, are a bad command line", async () => {
    await planned;
    const [both, twoFiles] = await Promise.all([
      gigafactoryServed(["check", "--snapshot", out("plan.json"), "--json", "--markdown"]),
      gigafactoryServed(["plan", ...fixture, "--json", out("a.json"), "--json-file", out("b.json")]),
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--json and --markdown both want stdout — send one to a file/);
    expect(twoFiles.code).toBe(2);
    expect(twoFiles.stderr).toMatch(/^error --json: two files given/m);
  });
});

describe("progress", () => {
  it("is shown on a terminal, phase by phase with counts, and never with --quiet or into a pipe", async () => {
    const r = await planned;
    // Into a pipe (as in CI): no progress line.
    expect(r.stderr).not.toMatch(/planning/);
    const onTerminal = (args: string) => execFileSync("script", ["-qec", `${process.execPath} ${BIN} ${args} > /dev/null`, "/dev/null"], { cwd: ROOT, encoding: "utf8" });
    const shown = onTerminal(`plan --stack dev --json-file ${out("dev.json")}`);
    for (const layer of ["foundation", "data", "compute", "platform", "tenants"]) {
      expect(shown).toMatch(new RegExp(`^planning ${layer} layer… [\\d,]+ resources \\(\\d+\\.\\d s\\)\\r?$`, "m"));
    }
    expect(shown).toMatch(WROTE(out("dev.json")));
    const silent = onTerminal(`plan --stack dev --json-file ${out("dev-quiet.json")} --quiet`);
    expect(silent.trim()).toBe("");
  }, 60_000);

  it("counts with grouped thousands and closes a phase left open", () => {
    let text = "";
    const p = new Progress({ write: (t: string) => (text += t) }, true);
    p.start("planning tenants layer");
    p.done(3464, "resources", 1.25);
    p.start("checking");
    p.close();
    expect(text).toBe("planning tenants layer… 3,464 resources (1.3 s)\nchecking…\n");
    const off = new Progress({ write: () => expect.unreachable() }, false);
    off.start("x");
    off.done(1);
  });

  it("is off unless stderr is a terminal, and with --quiet", () => {
    expect(Progress.of({}, { stderr: { write: () => true, isTTY: true } }).enabled).toBe(true);
    expect(Progress.of({ quiet: true }, { stderr: { write: () => true, isTTY: true } }).enabled).toBe(false);
    expect(Progress.of({}, { stderr: { write: () => true } }).enabled).toBe(false);
  });
});

describe("the output convention", () => {
  it("reads --json, --json-file and the old forms into one target", () => {
    const notes: string[] = [];
    const io = { stderr: { write: (t: string) => notes.push(t) } };
    expect(formatTarget({ json: true }, "json", io)).toEqual({ stdout: true, file: undefined });
    expect(formatTarget({ jsonFile: "a.json" }, "json", io)).toEqual({ stdout: false, file: "a.json" });
    expect(formatTarget({ json: true, jsonFile: "a.json" }, "json", io)).toEqual({ stdout: true, file: "a.json" });
    expect(notes).toEqual([]);
    expect(formatTarget({ json: "a.json" }, "json", io)).toEqual({ stdout: false, file: "a.json" });
    expect(formatTarget({ json: "-" }, "json", io)).toEqual({ stdout: true, file: undefined });
    expect(formatTarget({ markdown: "r.md" }, "markdown", io)).toEqual({ stdout: false, file: "r.md" });
    expect(notes).toHaveLength(3);
    expect(formatTarget({ json: "a.json", quiet: true }, "json", io)).toEqual({ stdout: false, file: "a.json" });
    expect(notes).toHaveLength(3);
  });

  it("writes a file with the mode asked even where one was, says so, and names a place it cannot write", () => {
    const notes: string[] = [];
    const io = { stderr: { write: (t: string) => notes.push(t) } };
    const file = out("modes/run.sh");
    writeOutput(file, "#!/bin/sh\n", {}, io, 0o755);
    writeFileSync(file, "old");
    chmodSync(file, 0o600);
    writeOutput(file, "#!/bin/sh\n", {}, io, 0o755);
    expect([readFileSync(file, "utf8"), statSync(file).mode & 0o777]).toEqual(["#!/bin/sh\n", 0o755]);
    expect(notes.join("")).toMatch(WROTE(file));
    expect(() => writeOutput(path.join(file, "inside.json"), "{}", {}, io)).toThrow(/cannot be written \((ENOTDIR|EEXIST)\) — check the folder is one you can write to/);
  });
});
