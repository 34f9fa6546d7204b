import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireMachineLock, lockPath } from "../../../fixtures/slurm/machine-lock";

// The real-Slurm test makes the stack's users on the machine, so runs take turns: the lock the test holds, waited for
// while another run lives, taken over (after removing what that run recorded) when its holder is gone.

const NAME = `slurm-accounting-lock-test-${process.pid}`;

describe("the machine lock of the real-Slurm test", () => {
  afterEach(() => rmSync(lockPath(NAME), { recursive: true, force: true }));

  it("is held by one run at a time: a second waits, and gets it once the first lets go", async () => {
    const first = await acquireMachineLock(NAME, 1000);
    await expect(acquireMachineLock(NAME, 700)).rejects.toThrow(new RegExp(`held by process ${process.pid}`));
    const waiting = acquireMachineLock(NAME, 10_000);
    setTimeout(() => first.release(), 300);
    const second = await waiting;
    second.release();
    expect(existsSync(lockPath(NAME))).toBe(false);
  });

  it("is taken from a run that died, and what that run recorded is removed first", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const pid = Number(dead.stdout);
    const scratch = mkdtempSync(join(tmpdir(), "gf-lock-scratch-"));
    mkdirSync(lockPath(NAME));
    // A user name no machine has: only a user whose name still has the recorded uid is removed.
    writeFileSync(join(lockPath(NAME), "owner.json"), JSON.stringify({ pid, users: [{ name: "gf-no-such-user-x", uid: 2_000_000_001 }], groups: [], dirs: [scratch] }));
    const lock = await acquireMachineLock(NAME, 2000);
    expect(existsSync(scratch)).toBe(false);
    lock.record({ dirs: ["/nonexistent"] });
    lock.release();
  });

  it("never releases a lock another process holds now", async () => {
    const lock = await acquireMachineLock(NAME, 1000);
    writeFileSync(join(lockPath(NAME), "owner.json"), JSON.stringify({ pid: 1, users: [], groups: [], dirs: [] }));
    lock.release();
    expect(existsSync(lockPath(NAME))).toBe(true);
  });
});
