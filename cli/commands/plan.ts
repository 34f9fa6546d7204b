import * as path from "node:path";
import type { Command } from "commander";
import { EXIT_OK, EXIT_UNEXPECTED, InputError, verb } from "../exit";
import { addStackOptions, projectOf, type StackOptions } from "./stack-options";
import { addFormatOptions, addQuietOption, formatTarget, oneOnStdout, type OutputOptions, layerProgress, Progress, writeOutput } from "../output";
import { isLayer, LAYERS } from "../../core/blueprint/layers";

// `gigafactory plan --stack S`: validate, size and run the program offline; the report on stdout,
// the snapshot and a PR-ready markdown report on request.

interface PlanOptions extends StackOptions, OutputOptions {
  layer?: string;
  baseline?: string;
  online?: boolean;
}

export function registerPlan(program: Command): void {
  const cmd = addStackOptions(program.command("plan").description("validate, size and run the program offline (no cloud account); report on stdout"));
  addFormatOptions(cmd, "json", "the PlanSnapshot (gigafactory.plan/v1) for check and diff", true);
  addFormatOptions(cmd, "markdown", "the report for a pull request", true);
  addQuietOption(cmd)
    .option("--layer <layer>", `plan one layer (${LAYERS.join(", ")}); the layers below still run to answer its stack references`)
    .option("--baseline <snapshot>", "judge the plan against the deployed one's snapshot: a Kubernetes downgrade or skip, or a wave past its rollout, is refused")
    .option("--online", "also list the node image releases AWS published after each pool's pinned one (needs the AWS CLI and credentials)")
    .action(verb((opts: PlanOptions) => plan(opts)));
}

export async function plan(opts: PlanOptions): Promise<number> {
  // The command line first: a wrong one is answered before anything heavy loads.
  if (opts.layer !== undefined && !isLayer(opts.layer)) {
    throw new InputError([`error --layer: ${JSON.stringify(opts.layer)} is no layer — name one of ${LAYERS.join(", ")}`]);
  }
  const project = projectOf(opts);
  const json = formatTarget(opts, "json");
  const markdown = formatTarget(opts, "markdown");
  oneOnStdout("plan", { json, markdown });
  const progress = Progress.of(opts);
  const { judgeAgainstBaseline, readBaseline, refusedBeforePlan } = require("./baseline") as typeof import("./baseline");
  const { awsCliSsm, newerReleaseLines } = require("./node-images") as typeof import("./node-images");
  const baseline = opts.baseline === undefined ? undefined : readBaseline(opts.baseline);
  // Loaded when the verb runs, so `--help` and the other verbs start quickly.
  const { planStack } = require("../../plan/engine/plan") as typeof import("../../plan/engine/plan");
  const { planReport } = require("../report/model") as typeof import("../report/model");
  const { renderMarkdown } = require("../report/markdown") as typeof import("../report/markdown");
  const { renderText } = require("../report/text") as typeof import("../report/text");
  const { stringifySnapshot } = require("../../plan/snapshot") as typeof import("../../plan/snapshot");
  const onLayer = layerProgress(progress);
  const refuse = baseline && ((design: { stack: string; spec: unknown }) => refusedBeforePlan(baseline, design.stack, design.spec));
  const outcome = await planStack(project, opts.stack, { layer: opts.layer, onLayer, refuse: refuse || undefined }).finally(() => progress.close());
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
  if (json.file) writeOutput(json.file, stringifySnapshot(snapshot), opts);
  if (markdown.file) writeOutput(markdown.file, renderMarkdown(report), opts);
  // The report on stdout, unless --json or --markdown takes it; warnings then go to stderr.
  if (json.stdout) process.stdout.write(stringifySnapshot(snapshot));
  else if (markdown.stdout) process.stdout.write(renderMarkdown(report));
  else process.stdout.write(renderText(report));
  if (json.stdout || markdown.stdout) for (const w of warnings) process.stderr.write(`${w}\n`);
  // What AWS published since the pinned images, and what the change from a baseline drains: beside the text report,
  // or on stderr when stdout holds a document. (The pinned images are a section of the report itself.)
  const extra = (lines: string[]) => (json.stdout || markdown.stdout ? process.stderr : process.stdout).write(`${lines.join("\n")}\n`);
  if (opts.online) extra(await newerReleaseLines(snapshot, awsCliSsm));
  if (baseline) extra(judgeAgainstBaseline(baseline, snapshot));
  return EXIT_OK;
}
