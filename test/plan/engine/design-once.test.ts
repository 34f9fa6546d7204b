import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { gigafactory, ROOT } from "../../support/cli-run";

// `gigafactory plan` designs the stack before it runs the program, and the program designs it again under `pulumi up`:
// in a plan the program reuses the engine's design, so the spec is validated and sized once and its findings are
// reported once. Each run below is a process of its own, whose calls to the validation and the sizing are counted.

const run = promisify(execFile);

// Loaded before anything else: wraps the exports of the spec's validation and the blueprint as the modules that use
// them receive them, and writes how often each was called when the process ends.
const COUNTING = `
const Module = require("node:module");
const fs = require("node:fs");
const path = require("node:path");
const root = process.env.GF_ROOT;
const counted = { [path.join(root, "core/spec/validate.ts")]: "validateSpec", [path.join(root, "core/blueprint/index.ts")]: "buildBlueprint" };
const calls = { validateSpec: 0, buildBlueprint: 0 };
const wrapped = new Map();
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const exports = load.apply(this, arguments);
  let file;
  try { file = Module._resolveFilename(request, parent, isMain); } catch { return exports; }
  const name = counted[file];
  if (name === undefined) return exports;
  if (!wrapped.has(exports)) {
    const real = exports[name];
    wrapped.set(exports, Object.defineProperty({ ...exports, [name]: function () { calls[name]++; return real.apply(this, arguments); } }, "__esModule", { value: true }));
  }
  return wrapped.get(exports);
};
process.on("exit", () => fs.writeFileSync(process.env.GF_CALLS, JSON.stringify(calls)));
`;

// The foundation layer's program alone, as `pulumi up` runs it in layers/foundation: no engine designed the stack first.
const PROGRAM_ALONE = `
require(process.env.GF_ROOT + "/bin/load-typescript").registerTypeScript();
const fs = require("node:fs");
const { loadStack } = require(process.env.GF_ROOT + "/core/spec/load.ts");
const { runtimeConfig } = require(process.env.GF_ROOT + "/plan/engine/config.ts");
const { runProgram } = require(process.env.GF_ROOT + "/plan/engine/run.ts");
const loaded = loadStack(process.env.GF_ROOT + "/stacks", "dev");
const { values, secretKeys } = runtimeConfig(loaded.config, "gigafactory-foundation");
runProgram({ project: "gigafactory-foundation", stack: "dev", program: process.env.GF_ROOT + "/layers/foundation/index.ts", config: values, secretKeys, defaults: { region: "eu-north-1", defaultTags: {} } })
  .then((r) => fs.writeFileSync(process.env.GF_RESULT, JSON.stringify({ errors: r.errors, logs: r.logs, resources: r.resources.length })));
`;

// The dev stack's one finding, an info about borrowing.
const DEV_FINDING = "may borrow everything the rest of the cohort lends";
const occurrences = (text: string, part: string) => text.split(part).length - 1;

let dir: string;
const envFor = (name: string) => ({
  ...process.env,
  GF_ROOT: ROOT,
  GF_CALLS: join(dir, `${name}.calls.json`),
  GF_RESULT: join(dir, `${name}.result.json`),
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${join(dir, "counting.js")}`.trim(),
});
const callsOf = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.calls.json`), "utf8")) as { validateSpec: number; buildBlueprint: number };
let planned: { stdout: string; stderr: string };
let alone: { errors: string[]; logs: { level: string; message: string }[]; resources: number };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gigafactory-design-once-"));
  writeFileSync(join(dir, "counting.js"), COUNTING);
  writeFileSync(join(dir, "alone.js"), PROGRAM_ALONE);
  const opts = { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 };
  const [plan] = await Promise.all([
    gigafactory(["plan", "--stack", "dev"], { env: envFor("plan") }),
    run(process.execPath, [join(dir, "alone.js")], { ...opts, env: envFor("alone") }),
  ]);
  if (plan.code !== 0) throw new Error(`plan --stack dev exited ${plan.code}: ${plan.stderr}`);
  planned = plan;
  alone = JSON.parse(readFileSync(join(dir, "alone.result.json"), "utf8"));
}, 300_000);

describe("gigafactory plan --stack dev", () => {
  it("validates and sizes the spec once, for the engine and the program together", () => {
    expect(callsOf("plan")).toEqual({ validateSpec: 1, buildBlueprint: 1 });
  });

  it("reports the spec's findings once, and nothing in the program's name", () => {
    expect(occurrences(planned.stdout, DEV_FINDING)).toBe(1);
    expect(planned.stdout).not.toContain("(program)");
    expect(planned.stderr).toBe("");
  });
});

describe("the program without the engine, as pulumi up runs it", () => {
  it("designs the spec itself, once, and declares its layer of the factory", () => {
    expect(alone.errors).toEqual([]);
    expect(alone.resources).toBeGreaterThan(50);
    expect(callsOf("alone")).toEqual({ validateSpec: 1, buildBlueprint: 1 });
  });

  it("logs the spec's findings itself, since no engine reported them", () => {
    expect(alone.logs.filter((l) => l.message.includes(DEV_FINDING))).toEqual([expect.objectContaining({ level: "warning" })]);
  });
});
