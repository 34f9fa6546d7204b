import { type PlanSnapshot, readSnapshot } from "../../plan/snapshot";
import { formatFinding } from "../../core/spec/format";
import { diffSnapshots, refusals, renderJson } from "../diff/index";
import { renderMarkdown } from "../diff/markdown";
import { factoryMermaid } from "../diff/mermaid";
import type { PolicyOutcome } from "../diff/policy";
import { count } from "../report/format";
import { EXIT_BAD_INPUT, EXIT_OK, inputErrorOf } from "../exit";
import { formatTarget, oneOnStdout, type OutputOptions, PROCESS_IO, Progress, streamsOf, type VerbIo, writeOutput } from "../output";

// `gigafactory diff BEFORE.json AFTER.json [--markdown|--json]`: two PlanSnapshots → the review a pull request shows.

export interface DiffOptions extends OutputOptions {
  markdown?: boolean;
  json?: boolean;
  budget?: string;
  /** False with --no-policies: the review leaves the policy packs out. */
  policies?: boolean;
}

export interface DiffIo extends VerbIo {
  /** Runs the policy packs over the AFTER plan; absent when the packs are not available. */
  policy?: (after: PlanSnapshot) => Promise<PolicyOutcome | undefined>;
}

/** The whole verb as a function of its arguments: the exit code (0 compared, 2 bad input). */
export async function runDiff(beforeFile: string, afterFile: string, options: DiffOptions, io: DiffIo = PROCESS_IO): Promise<number> {
  const streams = streamsOf(io);
  const progress = Progress.of(options, streams);
  try {
    const json = formatTarget(options, "json", streams);
    const markdown = formatTarget(options, "markdown", streams);
    oneOnStdout("diff", { markdown, json });
    const budget = options.budget === undefined ? undefined : Number(options.budget);
    if (budget !== undefined && (!Number.isInteger(budget) || budget < 5_000)) {
      io.stderr(`error diff --budget: ${JSON.stringify(options.budget)} is not a whole number of characters of at least 5000 — give e.g. --budget 30000\n`);
      return EXIT_BAD_INPUT;
    }
    progress.start("reading the two plans");
    const before = readSnapshot(beforeFile);
    const after = readSnapshot(afterFile);
    progress.done(before.resources.length + after.resources.length, "resources");
    progress.start("comparing");
    const diff = diffSnapshots(before, after);
    progress.done(diff.changes.length, "changes");
    // A Kubernetes downgrade or skip, or a wave past its pool's rollout: the review is still written, and the exit says no.
    const refused = refusals(diff);
    for (const f of refused) io.stderr(`${formatFinding(f)}\n`);
    const code = refused.length > 0 ? EXIT_BAD_INPUT : EXIT_OK;
    const write = (file: string, text: string) => writeOutput(file, text, options, streams);
    if (json.file) write(json.file, renderJson(diff));
    if (json.stdout) {
      io.stdout(renderJson(diff));
      if (!markdown.file) return code;
    }
    const runPolicies = options.policies !== false && io.policy !== undefined;
    if (runPolicies) progress.start(`checking ${count(after.resources.length)} resources of the after plan`);
    const policy = runPolicies ? await io.policy!(after) : undefined;
    if (policy) progress.done(policy.mandatoryViolations, "mandatory violations");
    const review = renderMarkdown(diff, { mermaid: factoryMermaid(before, after, diff), policy, budget });
    if (markdown.file) write(markdown.file, review);
    if (!json.stdout) io.stdout(review);
    return code;
  } catch (e) {
    progress.close();
    // The verb's own streams take the lines, so a caller with its own io sees them; main decides the rest.
    const input = inputErrorOf(e);
    if (!input) throw e;
    for (const line of input.lines) io.stderr(`${line}\n`);
    return EXIT_BAD_INPUT;
  }
}

/** The policy packs over the AFTER plan, as `gigafactory check` runs them; loaded only when a review needs them. */
async function runPolicies(after: PlanSnapshot): Promise<PolicyOutcome> {
  const { runPacks } = require("../../policies/harness/run") as typeof import("../../policies/harness/run");
  const { POLICY_PACKS } = require("../../policies/packs") as typeof import("../../policies/packs");
  const { policyOutcomeOf } = require("./check-run") as typeof import("./check-run");
  const { configWithSpec } = require("../../policies/tenant-isolation/declared") as typeof import("../../policies/tenant-isolation/declared");
  const result = await runPacks(after, POLICY_PACKS, { config: configWithSpec(after, {}) });
  const { provenSection } = require("../diff/proven") as typeof import("../diff/proven");
  return { ...policyOutcomeOf(result), proven: provenSection(result, Array.isArray(after.blueprint.tenants) ? after.blueprint.tenants.length : 0) };
}


/** The verb as the command line runs it: on the process's streams, with the packs' result of AFTER. */
export function runDiffVerb(before: string, after: string, options: DiffOptions): Promise<number> {
  return runDiff(before, after, options, { ...PROCESS_IO, policy: runPolicies });
}
