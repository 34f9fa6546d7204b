import { existsSync, lstatSync, mkdirSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { MACHINE_TMPDIR_VARIABLE, useRunTemporaryFolder } from "../support/run-tmp";

// A test run leaves nothing in the machine's temporary folder but its caches: thousands of plans of copies of the
// stacks (11 MB each for the gigafactory) once filled it by tens of gigabytes.

describe("a test run's temporary folders", () => {
  it("are under one folder of the run's, which the test files and the processes they start take from TMPDIR", () => {
    const machine = process.env[MACHINE_TMPDIR_VARIABLE]!;
    expect(machine).toBeTruthy();
    expect(dirname(tmpdir())).toBe(machine);
    expect(basename(tmpdir())).toMatch(/^gigafactory-test-run-\d+-/);
    // Open as /tmp is: the real-Slurm tests' jobs run as other users.
    expect(statSync(tmpdir()).mode & 0o7777).toBe(0o1777);
  });

  it("go when the run ends, its caches and killed runs' folders aside", () => {
    const machine = process.env[MACHINE_TMPDIR_VARIABLE]!;
    const outer = process.env.TMPDIR;
    const killed = join(machine, "gigafactory-test-run-999999999-gone");
    mkdirSync(killed, { recursive: true });
    const remove = useRunTemporaryFolder();
    try {
      const run = tmpdir();
      expect(run).not.toBe(outer);
      expect(existsSync(killed)).toBe(false);
      // The compiled-module cache is the machine's, reached through a link.
      const cache = join(run, `gigafactory-compile-cache-${process.getuid!()}`);
      expect(lstatSync(cache).isSymbolicLink()).toBe(true);
      writeFileSync(join(run, "plan.json"), "{}");
      remove();
      expect(existsSync(run)).toBe(false);
      expect(existsSync(realpathSync(join(machine, `gigafactory-compile-cache-${process.getuid!()}`)))).toBe(true);
      expect(process.env.TMPDIR).toBe(outer);
    } finally {
      if (process.env.TMPDIR !== outer) remove();
    }
  });
});
