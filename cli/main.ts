import { Command, CommanderError } from "commander";
import { registerCheck } from "./commands/check";
import { registerDiff } from "./commands/diff";
import { registerPlan } from "./commands/plan";
import { registerQuotas } from "./commands/quotas";
import { registerReconcile } from "./commands/reconcile";
import { registerRender } from "./commands/render";
import { registerSchema } from "./commands/schema";
import { toolVersions } from "../plan/engine/project";
import { oneLine } from "../core/spec/format";
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_UNEXPECTED, inputErrorOf } from "./exit";

// The `gigafactory` command. Each verb lives in cli/commands/<verb>.ts, exports `register<Verb>(program)` and is
// listed here with one line; its action is wrapped in `verb()` and returns its exit code, and loads the verb's
// implementation only when it runs (a `<verb>-run.ts` beside it, or requires inside the action), so the command line
// is read with a few of the project's modules. Bad input is thrown
// as an InputError (exit 2). Every failure ends as lines on stderr and an exit code, never a stack trace.

const VERBS: ((program: Command) => void)[] = [registerPlan, registerQuotas, registerDiff, registerCheck, registerRender, registerSchema, registerReconcile];

export function buildProgram(): Command {
  const program = new Command("gigafactory")
    .description("Plan, check and review an EU AI factory or gigafactory on AWS, offline, from one YAML spec.")
    .version(toolVersions().gigafactory)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of VERBS) register(program);
  // Options and arguments are checked per verb: the same overrides apply to every subcommand.
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) });
  return program;
}

/** Runs the command line and returns the exit code; nothing escapes as an exception. */
export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT_OK;
  } catch (e) {
    return exitCodeOf(e);
  }
}

function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) {
    // Help and version asked for are success; anything else commander rejects is a bad command line.
    return e.code === "commander.helpDisplayed" || e.code === "commander.version" ? EXIT_OK : EXIT_BAD_INPUT;
  }
  // A project, a layer project or a snapshot that cannot be read is bad input, whichever verb read it.
  const input = inputErrorOf(e);
  if (input) {
    // One line each, whatever text a line quotes.
    for (const line of input.lines) process.stderr.write(`${oneLine(line)}\n`);
    return EXIT_BAD_INPUT;
  }
  const message = e instanceof Error ? e.message.split("\n")[0] : String(e);
  process.stderr.write(`error: ${oneLine(message)} — this is a defect in gigafactory; please report it with the command line\n`);
  return EXIT_UNEXPECTED;
}
