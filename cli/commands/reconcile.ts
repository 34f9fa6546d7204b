import type { Command } from "commander";
import { verb } from "../exit";
import { addFormatOptions, addQuietOption } from "../output";
import type { ReconcileOptions } from "./reconcile-run";
import { loadVerb } from "./load-verb";

// `gigafactory reconcile`: its arguments and options here; the reconciliation loads when it runs (reconcile-run.ts).

export function registerReconcile(program: Command): void {
  const cmd = program
    .command("reconcile")
    .description("compare `pulumi preview --json` of each layer with the offline diff: replacements and deletions either side misses")
    .argument("<before>", "the offline plan of the base (PlanSnapshot)")
    .argument("<after>", "the offline plan of the head")
    .option("--preview <[layer=]file>", "the output of `pulumi preview --json` in a layer's project; repeat for each layer", (v: string, all: string[] = []) => [...all, v]);
  addFormatOptions(cmd, "markdown", "the section of the review (the default on stdout)", false);
  addFormatOptions(cmd, "json", "the reconciliation (gigafactory.reconcile/v1)", false);
  addQuietOption(cmd).action(
    verb(async (before: string, after: string, opts: ReconcileOptions) => (await run()).runReconcile(before, after, opts)),
  );
}

function run(): Promise<typeof import("./reconcile-run")> {
  return loadVerb(() => require("./reconcile-run") as typeof import("./reconcile-run"), () => import("./reconcile-run"));
}
