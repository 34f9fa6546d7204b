import { type ChildProcess, fork, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { capturedRun } from "./captured-run";

// The one way tests run the `gigafactory` command: as a user would, a fresh node process on bin/gigafactory.js
// (`gigafactory`); in the test's own process through cli/main's `run` (`gigafactoryInProcess`), which is quicker where
// a test only reads the exit code and what the verb wrote; or in a gigafactory process kept for the test worker
// (`gigafactoryServed`), for the verbs that load their parts when they run, plan above all.

export const ROOT = path.resolve(__dirname, "..", "..");
export const BIN = path.join(ROOT, "bin", "gigafactory.js");
export const FIXTURE_DIR = path.join(ROOT, "test", "fixtures", "engine");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  /** The working directory (the repository when none is given). */
  cwd?: string;
  /** Variables set on top of this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Arguments to node before the script, e.g. `["--require", preload]`. */
  nodeArgs?: string[];
  /** Ends the process (SIGTERM) when aborted. */
  signal?: AbortSignal;
}

/** Runs `gigafactory ARGS` in a process of its own; a process ended by a signal has the code -1. */
export function gigafactory(args: string[], options: SpawnOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: options.env ? { ...process.env, ...options.env } : process.env,
      stdio: ["ignore", "pipe", "pipe"],
      signal: options.signal,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => {
      if ((e as { name?: string }).name !== "AbortError") reject(e);
    });
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Runs `gigafactory ARGS` in this process and returns its exit code and what it wrote. One at a time: what the
 * process writes to stdout and stderr meanwhile is taken as the verb's. Not for the verbs that load their parts
 * with `require` when they run (plan, quotas, diff with policies): under vitest those load in a process of their own.
 */
export async function gigafactoryInProcess(...args: string[]): Promise<CliRun> {
  const { run } = await import("../../cli/main");
  return capturedRun(run, args);
}

// ---- served: many command lines, one process ----

interface Server {
  child: ChildProcess;
  pending: Map<number, (run: CliRun) => void>;
}

/** Two, as the machine has two cores: two plans of a test still run side by side. */
const SERVERS_AT_MOST = 2;
const servers: Server[] = [];
let nextId = 0;

function startServer(): Server {
  const child = fork(path.join(__dirname, "cli-server.js"), [], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit", "ipc"], serialization: "advanced" });
  const server: Server = { child, pending: new Map() };
  child.on("message", (m: CliRun & { id: number }) => {
    server.pending.get(m.id)?.({ code: m.code, stdout: m.stdout, stderr: m.stderr });
    server.pending.delete(m.id);
  });
  child.on("exit", (code, signal) => {
    servers.splice(servers.indexOf(server), 1);
    for (const done of server.pending.values()) done({ code: -1, stdout: "", stderr: `the gigafactory process serving the test ended (${signal ?? code})` });
    server.pending.clear();
  });
  // The test process may end while the server waits for its next command line.
  child.unref();
  child.channel?.unref();
  servers.push(server);
  return server;
}

/**
 * Runs `gigafactory ARGS` in a gigafactory process kept for the test worker (test/support/cli-server.js): the same
 * code as `gigafactory(ARGS)` with the same exit code and output, without node's start and the SDKs' load for each
 * command line. For a test that runs many plans; a test of the process itself (signals, environment, preloads) spawns
 * one with `gigafactory`.
 */
export function gigafactoryServed(args: string[], options: { cwd?: string } = {}): Promise<CliRun> {
  const idle = servers.find((s) => s.pending.size === 0);
  const server = idle ?? (servers.length < SERVERS_AT_MOST ? startServer() : servers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a)));
  const id = nextId++;
  return new Promise((resolve) => {
    server.pending.set(id, resolve);
    server.child.ref();
    server.child.channel?.ref();
    server.child.send({ id, args, cwd: options.cwd ?? ROOT });
  }).finally(() => {
    if (server.pending.size === 0) {
      server.child.unref();
      server.child.channel?.unref();
    }
  }) as Promise<CliRun>;
}

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "gigafactory-test-"));
}

/** A line of a JavaScript stack trace (`    at fn (file:line:col)`): never shown to a user. */
export const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;
