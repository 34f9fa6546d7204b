import { readFileSync } from "node:fs";
import { z } from "zod";

// The PlanSnapshot (`gigafactory.plan/v1`, DESIGN.md "The interface everything shares"): what `plan`
// writes and what `check` and `diff` read. Other tools read it too, so it only ever grows.

export const SNAPSHOT_FORMAT = "gigafactory.plan/v1";
/** What a secret input looks like in a snapshot: its plaintext never leaves the program. */
export const SECRET_MARK = "[secret]";

export interface SnapshotResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  /** `<provider urn>::<provider id>` or null. */
  provider: string | null;
  custom: boolean;
  inputs: Record<string, unknown>;
  dependencies: string[];
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  deleteBeforeReplace: boolean;
  additionalSecretOutputs: string[];
  /** The layer whose stack declares it (core/blueprint/layers.ts); absent in snapshots made before layers. */
  layer?: string;
}

/** A layer's stack, in deployment order. */
export interface SnapshotLayer {
  name: string;
  project: string;
  stack: string;
  /**
   * Each stack output the layers above read, leaf by leaf (`subnetIds.sys-a`): its value (none for a secret) and the
   * URNs of the resources it comes from.
   */
  outputs: Record<string, { value?: unknown; from: string[] }>;
}

export interface SnapshotFinding {
  path: string;
  level: "error" | "warning" | "info";
  message: string;
  hint: string;
}

export interface PlanSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  project: string;
  stack: string;
  tool: { gigafactory: string; pulumi: string; aws: string; kubernetes: string };
  config: Record<string, unknown>;
  spec: Record<string, unknown>;
  blueprint: Record<string, unknown> & { totalGpus: number };
  findings: SnapshotFinding[];
  /** The layers' stacks in the order they deploy; absent in snapshots made before layers. */
  layers?: SnapshotLayer[];
  resources: SnapshotResource[];
}

const resourceSchema = z
  .object({
    urn: z.string().min(1),
    type: z.string().min(1),
    name: z.string(),
    parent: z.string().nullable(),
    provider: z.string().nullable(),
    custom: z.boolean(),
    inputs: z.record(z.string(), z.unknown()),
    dependencies: z.array(z.string()),
    protect: z.boolean(),
    retainOnDelete: z.boolean(),
    // Older or hand-written snapshots may leave these out: they mean "none".
    ignoreChanges: z.array(z.string()).default([]),
    deleteBeforeReplace: z.boolean().default(false),
    additionalSecretOutputs: z.array(z.string()).default([]),
    layer: z.string().min(1).optional(),
  })
  .passthrough();

const snapshotSchema = z
  .object({
    format: z.literal(SNAPSHOT_FORMAT),
    project: z.string(),
    stack: z.string(),
    tool: z.record(z.string(), z.string()).default({}),
    config: z.record(z.string(), z.unknown()).default({}),
    spec: z.record(z.string(), z.unknown()).default({}),
    blueprint: z.record(z.string(), z.unknown()).and(z.object({ totalGpus: z.number() }).passthrough()),
    findings: z
      .array(
        z.object({ path: z.string(), level: z.enum(["error", "warning", "info"]), message: z.string(), hint: z.string().default("") }),
      )
      .default([]),
    layers: z
      .array(
        z.object({
          name: z.string().min(1),
          project: z.string().min(1),
          stack: z.string().min(1),
          outputs: z.record(z.string(), z.object({ value: z.unknown().optional(), from: z.array(z.string()) })).default({}),
        }),
      )
      .optional(),
    resources: z.array(resourceSchema),
  })
  .passthrough();

/** A snapshot that cannot be read, with a message a user can act on (the CLI exits 2). */
export class SnapshotError extends Error {}

/** Deeper than any provider's inputs nest; a hostile file cannot make a reader recurse without end. */
const MAX_SNAPSHOT_NESTING = 100;
// Keys an object inherits: JSON makes them own keys, which a copy would take as its prototype and drop unseen.
const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** The first place a value nests too deep or uses a reserved key, as a JSON path; undefined when none. */
function shapeProblem(value: unknown): string | undefined {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: "", depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > MAX_SNAPSHOT_NESTING) return `${path || "(top level)"}: nests more than ${MAX_SNAPSHOT_NESTING} levels deep`;
    if (Array.isArray(v)) v.forEach((item, i) => stack.push({ v: item, path: `${path}[${i}]`, depth: depth + 1 }));
    else {
      for (const key of Object.keys(v)) {
        if (RESERVED_KEYS.has(key)) return `${path ? `${path}.` : ""}${key}: the key ${JSON.stringify(key)} names an object's internals`;
        stack.push({ v: (v as Record<string, unknown>)[key], path: path ? `${path}.${key}` : key, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/** Checks any JSON value against gigafactory.plan/v1; the first problems are named by their JSON path. */
export function parseSnapshot(value: unknown, source = "snapshot"): PlanSnapshot {
  const shape = shapeProblem(value);
  if (shape) throw new SnapshotError(`${source}: ${shape} — no plan holds this; write the snapshot with \`gigafactory plan --json-file FILE\``);
  if (typeof value === "object" && value !== null && "format" in value && (value as { format: unknown }).format !== SNAPSHOT_FORMAT) {
    throw new SnapshotError(
      `${source}: format is ${JSON.stringify((value as { format: unknown }).format)}, not ${SNAPSHOT_FORMAT} — write it with \`gigafactory plan --json-file FILE\``,
    );
  }
  const parsed = snapshotSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.join(".") : "(top level)"}: ${i.message}`)
      .join("; ");
    throw new SnapshotError(`${source} is not a ${SNAPSHOT_FORMAT} snapshot: ${problems} — write it with \`gigafactory plan --json-file FILE\``);
  }
  const urns = new Set<string>();
  for (const r of parsed.data.resources) {
    if (urns.has(r.urn)) throw new SnapshotError(`${source}: resource ${r.urn} appears twice — a snapshot lists each URN once`);
    urns.add(r.urn);
  }
  return parsed.data as unknown as PlanSnapshot;
}

/**
 * Reads a snapshot file; a missing file or broken JSON is a SnapshotError, never a stack trace. `option`, the
 * command-line option that named the file, leads the error's message.
 */
export function readSnapshot(file: string, option?: string): PlanSnapshot {
  try {
    return readSnapshotFile(file);
  } catch (e) {
    if (option !== undefined && e instanceof SnapshotError) throw new SnapshotError(`${option}: ${e.message}`);
    throw e;
  }
}

function readSnapshotFile(file: string): PlanSnapshot {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new SnapshotError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"}) — check the path`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SnapshotError(`${file}: not valid JSON (${(e as Error).message}) — write it with \`gigafactory plan --json-file FILE\``);
  }
  return parseSnapshot(value, file);
}

/** JSON with keys in a stable order, so the same plan always gives the same bytes. */
export function stableStringify(value: unknown, indent = 2): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

/**
 * The value with every object's keys sorted (as JSON.stringify lists them: array indices first, in numeric order).
 * What is already in that order is returned as is, not copied: a plan's 13 MB of inputs mostly is.
 */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return value.map(sortKeys);
      const v = sortKeys(value[i]);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    // The copy is a plain object: one with a toJSON (a Date, a Buffer), keys out of order or an own `__proto__`
    // (which a copy takes as its prototype) is always copied.
    let inOrder = typeof obj.toJSON !== "function" && !Object.prototype.hasOwnProperty.call(obj, "__proto__");
    for (let i = 1; inOrder && i < keys.length; i++) inOrder = keys[i - 1] <= keys[i] || isIndex(keys[i - 1]);
    if (!inOrder) keys.sort();
    let out: Record<string, unknown> | undefined = inOrder ? undefined : {};
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const v = sortKeys(obj[k]);
      if (!out && v !== obj[k]) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]] = obj[keys[j]];
      }
      if (out) out[k] = v;
    }
    return out ?? value;
  }
  return value;
}

/** Keys an object lists first, in numeric order, wherever they were added. */
function isIndex(key: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}

const SNAPSHOT_KEYS = ["format", "project", "stack", "tool", "config", "spec", "blueprint", "findings", "layers", "resources"] as const;
/** Keys a snapshot may leave out (made before they existed). */
const OPTIONAL_KEYS: ReadonlySet<string> = new Set(["layers"]);

/** A snapshot as `plan --json` writes it: top-level keys in the contract's order, every nested key sorted. */
export function stringifySnapshot(snapshot: PlanSnapshot, indent = 2): string {
  const keys = SNAPSHOT_KEYS.filter((k) => !OPTIONAL_KEYS.has(k) || snapshot[k] !== undefined);
  if (indent >= 1 && indent <= 10 && keys.every((k) => snapshot[k] !== undefined)) {
    // The same text in one pass: each top-level value indented one level, as the lines below make it.
    const top: Record<string, unknown> = {};
    for (const k of keys) top[k] = sortKeys(snapshot[k]);
    return `${JSON.stringify(top, null, indent)}\n`;
  }
  const pad = " ".repeat(indent);
  const parts = keys.map((k) => `${pad}${JSON.stringify(k)}: ${stableStringify(snapshot[k], indent).replace(/\n/g, `\n${pad}`)}`);
  return `{\n${parts.join(",\n")}\n}\n`;
}
