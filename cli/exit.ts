import { ProjectError } from "../plan/engine/project";
import { SnapshotError } from "../plan/snapshot";

// How every verb ends: exit codes of DESIGN.md's table, and errors a user can act on.

export const EXIT_OK = 0;
/** Mandatory policy violations (check). */
export const EXIT_VIOLATIONS = 1;
/** Something this tool did not expect: one line on stderr, never a stack trace. */
export const EXIT_UNEXPECTED = 1;
/** Bad input: a spec, a stack file, a snapshot or a command line that does not hold. */
export const EXIT_BAD_INPUT = 2;

/** Bad input already explained in `lines` (each `error <path>: <what> — <what to do>`): exit 2. */
export class InputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
  }
}

/** The bad input an error stands for, whichever verb met it (a project or a snapshot that cannot be read); undefined for a defect. */
export function inputErrorOf(e: unknown): InputError | undefined {
  if (e instanceof InputError) return e;
  if (e instanceof ProjectError || e instanceof SnapshotError) return new InputError([`error ${e.message}`]);
  return undefined;
}

/** A verb's outcome: the exit code the process ends with. */
export type VerbResult = number;

/** Wraps a verb's action so that the exit code it returns becomes the process's (commander drops return values). */
export function verb<A extends unknown[]>(action: (...args: A) => VerbResult | Promise<VerbResult>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    process.exitCode = await action(...args);
  };
}
