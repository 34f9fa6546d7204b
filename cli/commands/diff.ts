import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { type PlanSnapshot, readSnapshot, SnapshotError } from "../snapshot";
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
  /** The policy packs' report of AFTER (`gigafactory check --snapshot AFTER.json` output), placed in the review. */
  policyReport?: string;
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
    const policy = options.policyReport !== undefined ? policyFromFile(options.policyReport) : io.policy ? await io.policy(after) : undefined;
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

const PLAIN_REPORT_CHARS = 15_000;

/** A `.md` report is placed as markdown; any other is plain text, kept to its first lines inside a code block. */
function policyFromFile(file: string): PolicyOutcome {
  try {
    const text = readFileSync(file, "utf8");
    if (file.endsWith(".md")) return { markdown: text };
    let kept = text.length > PLAIN_REPORT_CHARS ? text.slice(0, text.lastIndexOf("\n", PLAIN_REPORT_CHARS)) : text;
    kept = kept.replace(/```/g, "ˋˋˋ");
    const cut = kept.length < text.length ? `\n\n… the rest of the report is in \`${file}\`.` : "";
    return { markdown: `\`\`\`\n${kept.trimEnd()}\n\`\`\`${cut}` };
  } catch (e) {
    throw new SnapshotError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"}) — give the file \`gigafactory check --snapshot AFTER.json\` wrote`);
  }
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
    .option("--policy-report <file>", "the policy packs' report of AFTER, as `gigafactory check --snapshot AFTER.json` printed it")
    .action(verb((before: string, after: string, options: DiffOptions) => runDiff(before, after, options)));
}
