import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import type { SnapshotResource } from "../snapshot";
import { type OutputSource, type ProviderFacts, OfflineMocks, type StackOutputs } from "./mocks";
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
  /** What stack references read: the outputs of other stacks, by fully qualified stack name. */
  stackOutputs?: ReadonlyMap<string, StackOutputs>;
  organization?: string;
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
  /** The stack's outputs: what the program returned, resolved. */
  exports: StackOutputs;
}

const waitForRPCs = (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;

export async function runProgram(run: ProgramRun): Promise<ProgramResult> {
  const errors: string[] = [];
  const logs: ProgramLog[] = [];
  let exports: StackOutputs = { outputs: {}, secretOutputNames: [], sources: {} };
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
  const mocks = new OfflineMocks(run.defaults, run.stackOutputs);
  await pulumi.runtime.setMocks(mocks, run.project, run.stack, false, run.organization ?? DEFAULT_ORGANIZATION);
  const recording = recordRegistrations(pulumi.runtime.getMonitor() as unknown as MockMonitorLike, mocks, run.defaults);

  try {
    // The program runs inside the root Stack resource, as under `pulumi up`: its exports become the stack's outputs.
    const program = run.program;
    let returned: unknown;
    await pulumi.runtime.runInPulumiStack(async () => {
      returned = typeof program === "string" ? require(program) : program();
      return returned;
    });
    await waitForRPCs();
    exports = await resolvedOutputs(returned);
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
    exports,
  };
}

/** The organization a stack belongs to where none is named: what a self-managed backend calls it. */
export const DEFAULT_ORGANIZATION = "organization";

/**
 * A program's exports as a stack keeps them: each output's value and which are secret; and, leaf by leaf (an
 * output inside an object is a leaf of its own), the value and the resources it came from.
 */
async function resolvedOutputs(returned: unknown): Promise<StackOutputs> {
  const outputs: Record<string, unknown> = {};
  const secretOutputNames: string[] = [];
  const sources: Record<string, OutputSource> = {};
  if (!returned || typeof returned !== "object") return { outputs, secretOutputNames, sources };
  for (const [key, value] of Object.entries(returned)) {
    const leaves: Record<string, OutputSource & { secret: boolean }> = {};
    outputs[key] = await resolveLeaves(value, key, leaves);
    if (Object.values(leaves).some((l) => l.secret)) secretOutputNames.push(key);
    for (const [path, { secret, ...leaf }] of Object.entries(leaves)) sources[path] = leaf;
  }
  return { outputs, secretOutputNames, sources };
}

async function resolveLeaves(value: unknown, path: string, into: Record<string, OutputSource & { secret: boolean }>): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    const output = value as pulumi.Output<unknown> & OutputInternals;
    const resolved = await valueOf(output);
    const secret = await output.isSecret;
    const resources = output.allResources ? await output.allResources() : output.resources();
    const from = [...new Set(await Promise.all([...resources].map((r) => valueOf(r.urn))))].sort();
    // A secret's value never leaves the program; where it came from may.
    into[path] = secret ? { from, secret } : { value: resolved, from, secret };
    return resolved;
  }
  if (Array.isArray(value)) return Promise.all(value.map((v, i) => resolveLeaves(v, `${path}[${i}]`, into)));
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveLeaves(v, `${path}.${k}`, into)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

/** What the SDK keeps of an output beyond its value: whether it is secret and the resources it depends on. */
interface OutputInternals {
  isSecret: Promise<boolean>;
  resources(): Set<pulumi.Resource>;
  allResources?: () => Promise<Set<pulumi.Resource>>;
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => (resolve(v), v)));
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
