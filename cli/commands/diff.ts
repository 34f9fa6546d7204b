import type { Command } from "commander";
import { type PlanSnapshot, readSnapshot, SnapshotError } from "../../plan/snapshot";
import { diffSnapshots, renderJson } from "../diff/index";
import { renderMarkdown } from "../diff/markdown";
import { factoryMermaid } from "../diff/mermaid";
import type { PolicyOutcome } from "../diff/policy";
import { EXIT_BAD_INPUT, EXIT_OK, verb } from "../exit";

// `gigafactory diff BEFORE.json AFTER.json [--markdown|--json]`: two PlanSnapshots → the review a pull request shows.

export interface DiffOptions {
  markdown?: boolean;
  json?: boolean;
  budget?: string;
  /** False with --no-policies: the review leaves the policy packs out. */
  policies?: boolean;
}

export interface DiffIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Runs the policy packs over the AFTER plan; absent when the packs are not available. */
  policy?: (after: PlanSnapshot) => Promise<PolicyOutcome | undefined>;
}

const processIo: DiffIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** The whole verb as a function of its arguments: the exit code (0 compared, 2 bad input). */
export async function runDiff(beforeFile: string, afterFile: string, options: DiffOptions, io: DiffIo = processIo): Promise<number> {
  if (options.markdown && options.json) {
    io.stderr("error diff: --markdown and --json both given — choose one\n");
    return EXIT_BAD_INPUT;
  }
  const budget = options.budget === undefined ? undefined : Number(options.budget);
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 5_000)) {
    io.stderr(`error diff --budget: ${JSON.stringify(options.budget)} is not a whole number of characters of at least 5000 — give e.g. --budget 30000\n`);
    return EXIT_BAD_INPUT;
  }
  try {
    const before = readSnapshot(beforeFile);
    const after = readSnapshot(afterFile);
    const diff = diffSnapshots(before, after);
    if (options.json) {
      io.stdout(renderJson(diff));
      return EXIT_OK;
    }
    const policy = options.policies !== false && io.policy ? await io.policy(after) : undefined;
    io.stdout(renderMarkdown(diff, { mermaid: factoryMermaid(before, after, diff), policy, budget }));
    return EXIT_OK;
  } catch (e) {
    if (e instanceof SnapshotError) {
      io.stderr(`error ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  }
}

/** The policy packs over the AFTER plan, as `gigafactory check` runs them; loaded only when a review needs them. */
async function runPolicies(after: PlanSnapshot): Promise<PolicyOutcome> {
  const { runPacks } = require("../../policies/harness/run") as typeof import("../../policies/harness/run");
  const { POLICY_PACKS } = require("../../policies/packs") as typeof import("../../policies/packs");
  const { policyOutcomeOf } = require("./check") as typeof import("./check");
  return policyOutcomeOf(await runPacks(after, POLICY_PACKS));
}

export function registerDiff(program: Command): void {
  program
    .command("diff")
    .description("compare two plans (PlanSnapshot JSON) of one stack: disruption, factory figures, policies, a picture")
    .argument("<before>", "the plan before the change, written by `gigafactory plan --json FILE`")
    .argument("<after>", "the plan after the change")
    .option("--markdown", "the review as markdown for a pull request comment (the default)")
    .option("--json", "every change as JSON (gigafactory.diff/v1)")
    .option("--budget <chars>", "most characters the markdown may take (default: one GitHub comment)")
    .option("--no-policies", "leave the policy packs' result of AFTER out of the review")
    .action(verb((before: string, after: string, options: DiffOptions) => runDiff(before, after, options, { ...processIo, policy: runPolicies })));
}
