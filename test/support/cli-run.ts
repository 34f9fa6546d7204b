import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// Runs the `gigafactory` command as a user would: a fresh node process on bin/gigafactory.js.

export const ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURE_DIR = path.join(ROOT, "test", "fixtures", "engine");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function gigafactory(args: string[], cwd = ROOT): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "gigafactory.js"), ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "gigafactory-test-"));
}

/** A line of a JavaScript stack trace (`    at fn (file:line:col)`): never shown to a user. */
export const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;
