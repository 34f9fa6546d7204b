import { writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { EXIT_OK, EXIT_UNEXPECTED, InputError, verb } from "../exit";
import { addStackOptions, projectOf, type StackOptions } from "./stack-options";
import { isLayer, LAYERS } from "../../core/blueprint/layers";

// `gigafactory plan --stack S`: validate, size and run the program offline; the report on stdout,
// the snapshot and a PR-ready markdown report on request.

interface PlanOptions extends StackOptions {
  json?: string;
  markdown?: string;
  layer?: string;
}

export function registerPlan(program: Command): void {
  addStackOptions(program.command("plan").description("validate, size and run the program offline (no cloud account); report on stdout"))
    .option("--json <file>", "write the PlanSnapshot (gigafactory.plan/v1) for check and diff")
    .option("--markdown <file>", "write the report as markdown for a pull request")
    .option("--layer <layer>", `plan one layer (${LAYERS.join(", ")}); the layers below still run to answer its stack references`)
    .action(verb((opts: PlanOptions) => plan(opts)));
}

export async function plan(opts: PlanOptions): Promise<number> {
  // The command line first: a wrong one is answered before anything heavy loads.
  if (opts.layer !== undefined && !isLayer(opts.layer)) {
    throw new InputError([`error --layer: ${JSON.stringify(opts.layer)} is no layer — name one of ${LAYERS.join(", ")}`]);
  }
  const project = projectOf(opts);
  // Loaded when the verb runs, so `--help` and the other verbs start quickly.
  const { planStack } = require("../../plan/engine/plan") as typeof import("../../plan/engine/plan");
  const { planReport } = require("../report/model") as typeof import("../report/model");
  const { renderMarkdown } = require("../report/markdown") as typeof import("../report/markdown");
  const { renderText } = require("../report/text") as typeof import("../report/text");
  const { stringifySnapshot } = require("../../plan/snapshot") as typeof import("../../plan/snapshot");
  const outcome = await planStack(project, opts.stack, { layer: opts.layer });
  if (outcome.kind === "rejected") throw new InputError(outcome.rejected.messages);
  if (outcome.kind === "failed") {
    const where = path.relative(process.cwd(), outcome.programFile) || outcome.programFile;
    const layerDir = path.relative(process.cwd(), path.dirname(outcome.programFile)) || ".";
    for (const e of outcome.errors) {
      process.stderr.write(
        `error ${where}: ${outcome.layer ? `the ${outcome.layer} layer: ` : ""}${e.split("\n").join("; ")} — the spec is valid, so the program failed; run \`pulumi preview --stack ${opts.stack}\` in ${layerDir} for its trace\n`,
      );
    }
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
  const report = planReport({ snapshot, warnings, timings: outcome.timings });
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
