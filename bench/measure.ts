import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// One child process, timed from outside, with the peak memory of every node process it ran.

export interface Measured {
  exitCode: number;
  wallMs: number;
  /** The largest peak resident set of the processes it ran (a plan may re-execute node with its flags). */
  peakRssMiB: number;
  /** CPU time of every node process it ran: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  stdout: string;
  stderr: string;
}

const PROBE = path.join(__dirname, "rss-probe.js");

export function measure(args: string[], cwd: string): Promise<Measured> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gigafactory-bench-"));
  const rssFile = path.join(dir, "rss");
  const env = {
    ...process.env,
    GIGAFACTORY_BENCH_RSS_FILE: rssFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${PROBE}`.trim(),
  };
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const lines = existsSync(rssFile) ? readFileSync(rssFile, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split(" ").map(Number)) : [];
      rmSync(dir, { recursive: true, force: true });
      resolve({
        exitCode: code ?? 1,
        wallMs,
        peakRssMiB: Math.max(0, ...lines.map((l) => l[1])) / 1024,
        cpuSeconds: lines.reduce((sum, l) => sum + l[2], 0) / 1e6,
        stdout,
        stderr,
      });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
