import { readFileSync } from "node:fs";
import * as path from "node:path";
import { evidenceOf } from "../../policies/harness/evidence";
import { renderEvidenceMarkdown } from "../../policies/harness/evidence-markdown";
import type { ConfigProblem } from "../../policies/harness/json-schema";
import { PolicyConfigError, unknownPolicyNames } from "../../policies/harness/pack-config";
import { renderCheckJson, renderCheckMarkdown, renderCheckText } from "../../policies/harness/render";
import { type CheckResult, exitCodeOf, runPacks } from "../../policies/harness/run";
import { POLICY_PACKS, selectPacks } from "../../policies/packs";
import { configWithSpec } from "../../policies/tenant-isolation/declared";
import { malformedDocuments, proofsEvidenceOf } from "../../policies/harness/proofs-evidence";
import type { PolicyOutcome } from "../diff/policy";
import { planStack } from "../../plan/engine/plan";
import { EXIT_UNEXPECTED, InputError } from "../exit";
import { type PlanSnapshot, readSnapshot } from "../../plan/snapshot";
import { projectOf } from "./stack-options";
import { count } from "../report/format";
import { formatTarget, oneOnStdout, type OutputOptions, layerProgress, PROCESS_IO, Progress, streamsOf, type VerbIo, writeOutput } from "../output";

// `gigafactory check --stack S | --snapshot FILE [--pack NAME]`: the policy packs over a plan, offline, with the
// very policy objects `pulumi preview --policy-pack policies/<pack>` serves. 0 clean, 1 a mandatory violation
// (or a policy that failed to run), 2 bad input.

export interface CheckOptions extends OutputOptions {
  stack?: string;
  dir?: string;
  snapshot?: string;
  pack?: string;
  config?: string;
  evidence?: string;
}

export type CheckIo = VerbIo;

/** The whole verb as a function of its options: the exit code. */
export async function check(opts: CheckOptions, io: CheckIo = PROCESS_IO): Promise<number> {
  const streams = streamsOf(io);
  const progress = Progress.of(opts, streams);
  const json = formatTarget(opts, "json", streams);
  const markdown = formatTarget(opts, "markdown", streams);
  oneOnStdout("check", { json, markdown });
  if (Boolean(opts.stack) === Boolean(opts.snapshot)) {
    throw new InputError(["error check: give exactly one of --stack <name> and --snapshot <file> — e.g. `gigafactory check --stack dev`"]);
  }
  const packs = selectPacks(opts.pack);
  if (!packs) {
    throw new InputError([`error check --pack: no pack named "${opts.pack}" — choose one of ${POLICY_PACKS.map((p) => p.name).join(", ")}`]);
  }
  const config = opts.config ? readConfig(opts.config) : {};
  const unknownNames = unknownPolicyNames(POLICY_PACKS.flatMap((p) => p.policies), config);
  if (unknownNames.length > 0) throw new InputError(unknownNames.map((p) => configLine(opts.config, p)));

  let snapshot: PlanSnapshot;
  if (opts.snapshot) {
    snapshot = readSnapshot(opts.snapshot);
  } else {
    const planned = await planOf(opts, io, progress);
    if (typeof planned === "number") return planned;
    snapshot = planned;
  }

  // A policy document that does not parse is bad input, named, before any pack runs.
  const malformed = malformedDocuments(snapshot.resources);
  if (malformed.length > 0) throw new InputError(malformed.map((m) => `error ${opts.snapshot ?? "plan"}: ${m.message} in ${m.urn} — write the policy as IAM's JSON (a Statement of objects with Effect, Action, Resource)`));
  const withDeclared = configWithSpec(snapshot, config);

  let result: CheckResult;
  progress.start(`checking ${count(snapshot.resources.length)} resources with ${packs.map((p) => p.name).join(", ")}`);
  try {
    result = await runPacks(snapshot, packs, { config: withDeclared });
    progress.done(result.diagnostics.length, "violations");
  } catch (e) {
    progress.close();
    if (e instanceof PolicyConfigError) throw new InputError(e.problems.map((p) => configLine(opts.config, p)));
    throw e;
  }

  // The text report goes to stdout unless --json or --markdown takes it.
  const write = (file: string, text: string) => writeOutput(file, text, opts, streams);
  if (json.file) write(json.file, renderCheckJson(result));
  if (markdown.file) write(markdown.file, renderCheckMarkdown(result));
  if (json.stdout) io.stdout(renderCheckJson(result));
  else if (markdown.stdout) io.stdout(renderCheckMarkdown(result));
  else io.stdout(renderCheckText(result));
  if (opts.evidence) write(opts.evidence, renderEvidenceMarkdown(evidenceOf(snapshot, packs, config), result) + proofsEvidenceOf(snapshot, packs, withDeclared));
  return exitCodeOf(result);
}

/** One problem of the policy config as a finding line: `error <file>:<policy.key>: <what> — <what to do>`. */
function configLine(file: string | undefined, p: ConfigProblem): string {
  return `error ${file ?? "policy config"}:${p.path}: ${p.message} — ${p.hint}`;
}

/** The check of a plan as the diff review shows it. */
export function policyOutcomeOf(result: CheckResult): PolicyOutcome {
  const mandatory = result.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length + result.failures.length;
  return { markdown: renderCheckMarkdown(result), mandatoryViolations: mandatory, advisoryViolations: result.diagnostics.length - (mandatory - result.failures.length) };
}

async function planOf(opts: CheckOptions, io: CheckIo, progress: Progress): Promise<PlanSnapshot | number> {
  const project = projectOf({ stack: opts.stack!, dir: opts.dir });
  const onLayer = layerProgress(progress);
  const outcome = await planStack(project, opts.stack!, { onLayer }).finally(() => progress.close());
  if (outcome.kind === "rejected") throw new InputError(outcome.rejected.messages);
  if (outcome.kind === "failed") {
    const where = path.relative(process.cwd(), project.programFile) || project.programFile;
    for (const e of outcome.errors) io.stderr(`error ${where}: ${e.split("\n").join("; ")} — the spec is valid, so the program failed; run \`pulumi preview --stack ${opts.stack}\` for its trace\n`);
    return EXIT_UNEXPECTED;
  }
  return outcome.snapshot;
}

function readConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError([`error ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"}) — check the path`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError([`error ${file}: not valid JSON (${(e as Error).message}) — write the policy config as JSON`]);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError([`error ${file}: expected an object of policy names — e.g. {"residency-resource-region": {"allowedRegions": ["eu-north-1"]}}`]);
  }
  return value as Record<string, unknown>;
}
