import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import type { SnapshotResource } from "../snapshot";
import { type ProviderFacts, OfflineMocks } from "./mocks";
import { outputsOnRead } from "./lazy-outputs";
import { type MockMonitorLike, recordRegistrations } from "./monitor";

// Runs a Pulumi program in this process on the offline mocks and records every registration as the engine
// would receive it. A program module runs once per process (require caches it): one plan, one process.

export interface ProgramRun {
  project: string;
  stack: string;
  /** Absolute path of the program's entry module, or the program itself as a function. */
  program: string | (() => unknown);
  /** What `pulumi.runtime.setAllConfig` takes. */
  config: Record<string, string>;
  secretKeys: string[];
  /** The default aws provider's region and tags (the stack's `aws:region` and `aws:defaultTags`). */
  defaults: ProviderFacts;
}

export interface ProgramLog {
  level: "info" | "warning" | "error";
  message: string;
}

export interface ProgramResult {
  /** In registration order, as the program sent them (default providers not yet added). */
  resources: SnapshotResource[];
  /** Package versions the resources asked for, by package (`aws` → `7.48.0`). */
  versions: Record<string, string>;
  unmockedInvokes: string[];
  /** Packages a data source used through the default provider. */
  invokedDefaultPackages: string[];
  logs: ProgramLog[];
  /** The program's failures: a thrown error, a rejected registration. Empty when it planned. */
  errors: string[];
}

const waitForRPCs = (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;

export async function runProgram(run: ProgramRun): Promise<ProgramResult> {
  const errors: string[] = [];
  const logs: ProgramLog[] = [];
  const onRejection = (reason: unknown) => errors.push(messageOf(reason));
  process.on("unhandledRejection", onRejection);
  const restoreConsole = captureConsole(logs);

  // The SDK records a stack trace for every resource and every promise it tracks; nobody reads them offline,
  // capturing and formatting them cost about half of a plan of a thousand resources.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  // The SDK also wraps every promise it makes in a leak detector that only speaks at process exit: two more
  // promises and a set entry for each, about a third of a gigafactory plan's time and memory. The offline
  // engine waits for every RPC itself and reports a program that does not settle, so it goes without.
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };
  const debuggablePromise = debuggable.debuggablePromise;
  debuggable.debuggablePromise = (p) => p;
  // `Resource.callsites()` lifts the limit again and formats the whole JavaScript stack of every resource it
  // constructs, for a source position and stack trace the engine only shows in error messages and the recorder
  // never reads: deep component stacks made that a tenth of a plan's CPU and an eighth of its garbage.
  const resourceClass = pulumi.Resource as unknown as { stackTrace: (skip: number) => unknown[] };
  const stackTrace = resourceClass.stackTrace;
  resourceClass.stackTrace = () => [];
  const restoreOutputs = outputsOnRead();
  pulumi.runtime.setAllConfig(run.config, run.secretKeys);
  const mocks = new OfflineMocks(run.defaults);
  await pulumi.runtime.setMocks(mocks, run.project, run.stack, false);
  const recording = recordRegistrations(pulumi.runtime.getMonitor() as unknown as MockMonitorLike, mocks, run.defaults);

  try {
    // The program runs inside the root Stack resource, as under `pulumi up`: its exports become the stack's outputs.
    const program = run.program;
    await pulumi.runtime.runInPulumiStack(async () => (typeof program === "string" ? require(program) : program()));
    await waitForRPCs();
  } catch (e) {
    errors.push(messageOf(e));
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    debuggable.debuggablePromise = debuggablePromise;
    resourceClass.stackTrace = stackTrace;
    restoreOutputs();
    restoreConsole();
    // Rejections surface a turn later; let them land before deciding whether the program failed.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onRejection);
  }
  return {
    resources: recording.resources.filter((r): r is SnapshotResource => r !== undefined),
    versions: recording.versions,
    unmockedInvokes: [...mocks.unmockedInvokes].sort(),
    invokedDefaultPackages: [...mocks.invokedDefaultPackages].sort(),
    logs,
    errors: [...new Set(errors)],
  };
}

/** Program output goes into the plan's log, not onto the report's stdout. */
function captureConsole(logs: ProgramLog[]): () => void {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const take = (level: ProgramLog["level"]) => (...args: unknown[]) => {
    const message = args.map(String).join(" ").replace(/^(warning|error|info): \[runtime\] /, "");
    logs.push({ level, message });
  };
  console.log = take("info");
  console.info = take("info");
  console.warn = take("warning");
  console.error = take("error");
  return () => Object.assign(console, saved);
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message.split("\n").filter((l) => l.trim() !== "").join("\n") || e.name;
  return String(e);
}
