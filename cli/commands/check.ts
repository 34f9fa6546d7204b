import type { Command } from "commander";
import { verb } from "../exit";
import { addFormatOptions, addQuietOption } from "../output";
import { POLICY_PACK_NAMES } from "../../policies/pack-names";
import type { CheckOptions } from "./check-run";
import { loadVerb } from "./load-verb";

// `gigafactory check`: its options here; the packs and the harness load when the verb runs (check-run.ts), so the
// other verbs and `--help` start without them.

export function registerCheck(program: Command): void {
  const cmd = program
    .command("check")
    .description(`run the policy packs (${POLICY_PACK_NAMES.join(", ")}) over a plan, offline; 0 clean, 1 mandatory violations, 2 bad input`)
    .option("-s, --stack <name>", "plan stacks/Pulumi.<name>.yaml offline and check it")
    .option("--dir <folder>", "the Pulumi project (folder of Pulumi.yaml), with --stack")
    .option("--snapshot <file>", "check a PlanSnapshot (gigafactory.plan/v1) written by `plan --json` or any other tool")
    .option("--pack <name>", `run one pack only (${POLICY_PACK_NAMES.join(", ")})`)
    .option("--config <file>", "policy config as JSON, the same document as `pulumi preview --policy-pack-config`")
    .option("--evidence <file>", "write the evidence (markdown) an auditor asks for: residency, and the isolation proofs");
  addFormatOptions(cmd, "json", "the result", true);
  addFormatOptions(cmd, "markdown", "the result for a pull request comment", true);
  addQuietOption(cmd).action(verb(async (opts: CheckOptions) => (await run()).check(opts)));
}

function run(): Promise<typeof import("./check-run")> {
  return loadVerb(() => require("./check-run") as typeof import("./check-run"), () => import("./check-run"));
}
