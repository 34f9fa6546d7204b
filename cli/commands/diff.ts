import type { Command } from "commander";
import { verb } from "../exit";
import { addFormatOptions, addQuietOption } from "../output";
import type { DiffOptions } from "./diff-run";
import { loadVerb } from "./load-verb";

// `gigafactory diff`: its arguments and options here; the diff, its renderers and the packs load when it runs (diff-run.ts).

export function registerDiff(program: Command): void {
  const cmd = program
    .command("diff")
    .description("compare two plans (PlanSnapshot JSON) of one stack: disruption, factory figures, policies, a picture")
    .argument("<before>", "the plan before the change, written by `gigafactory plan --json-file FILE`")
    .argument("<after>", "the plan after the change")
    .option("--budget <chars>", "most characters the markdown may take (default: one GitHub comment)")
    .option("--no-policies", "leave the policy packs' result of AFTER out of the review");
  // Flags without values: `diff --json BEFORE AFTER` reads as two plans.
  addFormatOptions(cmd, "markdown", "the review for a pull request comment (the default on stdout)", false);
  addFormatOptions(cmd, "json", "every change (gigafactory.diff/v1)", false);
  addQuietOption(cmd).action(
    verb(async (before: string, after: string, options: DiffOptions) => (await run()).runDiffVerb(before, after, options)),
  );
}

function run(): Promise<typeof import("./diff-run")> {
  return loadVerb(() => require("./diff-run") as typeof import("./diff-run"), () => import("./diff-run"));
}
