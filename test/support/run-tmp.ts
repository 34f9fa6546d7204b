import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
const { cacheFolderName } = require("../../bin/compile-cache") as { cacheFolderName: () => string };

// Every temporary folder of a test run (plans of copies of the stacks, rendered files, scratch Slurm clusters) is made
// under one folder of the run's, which the run removes when it ends: the test files and every process they start
// take it from TMPDIR. The caches that outlive a run (compiled modules, tsx's) stay in the machine's temporary folder,
// linked into the run's, and what holds for the whole machine (the real-Slurm lock) is kept there too.

const PREFIX = "gigafactory-test-run-";
/** The machine's temporary folder, for what must be one per machine whatever the run (test/fixtures/slurm/machine-lock.ts). */
export const MACHINE_TMPDIR_VARIABLE = "GIGAFACTORY_MACHINE_TMPDIR";

// The caches a run should find warm: bin/compile-cache.js's, and tsx's (`tsx-<uid>`, tsx's own naming).
const KEPT_CACHES = [cacheFolderName(), `tsx-${typeof process.getuid === "function" ? process.getuid() : "user"}`];

/** Whether process `pid` runs (of this user or, EPERM, of another). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Moves this process's (and its children's) temporary folder into a new folder of the run; returns its removal. */
export function useRunTemporaryFolder(): () => void {
  const machine = process.env[MACHINE_TMPDIR_VARIABLE] ?? os.tmpdir();
  // A run that was killed left its folder: removed once its process is gone.
  for (const name of readdirSync(machine)) {
    const pid = Number(/^gigafactory-test-run-(\d+)-/.exec(name)?.[1]);
    if (pid && !alive(pid)) rmSync(path.join(machine, name), { recursive: true, force: true });
  }
  const run = mkdtempSync(path.join(machine, `${PREFIX}${process.pid}-`));
  // As /tmp is: the real-Slurm tests run jobs as the tenants' users, who read and write under it too.
  chmodSync(run, 0o1777);
  for (const cache of KEPT_CACHES) {
    mkdirSync(path.join(machine, cache), { recursive: true });
    if (!existsSync(path.join(run, cache))) symlinkSync(path.join(machine, cache), path.join(run, cache));
  }
  const before = { TMPDIR: process.env.TMPDIR, machine: process.env[MACHINE_TMPDIR_VARIABLE] };
  process.env[MACHINE_TMPDIR_VARIABLE] = machine;
  process.env.TMPDIR = run;
  return () => {
    // The links go, not the caches they point to: rm does not follow a link.
    rmSync(run, { recursive: true, force: true });
    if (before.TMPDIR === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before.TMPDIR;
    if (before.machine === undefined) delete process.env[MACHINE_TMPDIR_VARIABLE];
  };
}
