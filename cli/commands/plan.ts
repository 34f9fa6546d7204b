import { writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { EXIT_OK, EXIT_UNEXPECTED, InputError, verb } from "../exit";
import { addStackOptions, projectOf, type StackOptions } from "./stack-options";

// `gigafactory plan --stack S`: validate, size and run the program offline; the report on stdout,
// the snapshot and a PR-ready markdown report on request.

interface PlanOptions extends StackOptions {
  json?: string;
  markdown?: string;
}

export function registerPlan(program: Command): void {
  addStackOptions(program.command("plan").description("validate, size and run the program offline (no cloud account); report on stdout"))
    .option("--json <file>", "write the PlanSnapshot (gigafactory.plan/v1) for check and diff")
    .option("--markdown <file>", "write the report as markdown for a pull request")
    .action(verb((opts: PlanOptions) => plan(opts)));
}

export async function plan(opts: PlanOptions): Promise<number> {
  // Loaded when the verb runs, so `--help` and the other verbs start quickly.
  const { planStack } = require("../../plan/engine/plan") as typeof import("../../plan/engine/plan");
  const { planReport } = require("../report/model") as typeof import("../report/model");
  const { renderMarkdown } = require("../report/markdown") as typeof import("../report/markdown");
  const { renderText } = require("../report/text") as typeof import("../report/text");
  const { stringifySnapshot } = require("../../plan/snapshot") as typeof import("../../plan/snapshot");
  const project = projectOf(opts);
  const outcome = await planStack(project, opts.stack);
  if (outcome.kind === "rejected") throw new InputError(outcome.rejected.messages);
  if (outcome.kind === "failed") {
    const where = path.relative(process.cwd(), project.programFile) || project.programFile;
    for (const e of outcome.errors) process.stderr.write(`error ${where}: ${e.split("\n").join("; ")} — the spec is valid, so the program failed; run \`pulumi preview --stack ${opts.stack}\` for its trace\n`);
    return EXIT_UNEXPECTED;
  }
  const { snapshot } = outcome;
  const warnings = [
    ...outcome.unmockedInvokes.map(
      (token) => `warning: data source ${token} has no offline answer; the plan used an empty result — give it one in plan/engine/invokes.ts`,
    ),
    // The spec's findings are in the snapshot: the program reuses the engine's design and leaves them to it.
    ...outcome.logs.filter((l) => l.level !== "info").map((l) => `${l.level} (program): ${l.message}`),
  ];
  const report = planReport({ snapshot, warnings });
  if (opts.json) writeOut(opts.json, stringifySnapshot(snapshot));
  if (opts.markdown) writeOut(opts.markdown, renderMarkdown(report));
  process.stdout.write(renderText(report));
  return EXIT_OK;
}

function writeOut(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new InputError([`error ${file}: cannot be written (${(e as NodeJS.ErrnoException).code ?? "error"}) — check the folder exists and is writable`]);
  }
}
