import type { z } from "zod";
import { valueAt, type PathSegment } from "./paths";

// A document with a typo in one pool still deserves every other finding. Salvage removes what the schema
// rejects (an unknown key, a wrong value; a required value missing takes its parent with it) and parses
// again, so that the validators past the schema see every part that is sound.

export interface Salvaged<T> {
  /** The sound part of the document, parsed; undefined when nothing at the top level holds. */
  value?: T;
  /** The issues of the first parse: what the user must fix. */
  issues: readonly unknown[];
}

/** A copy of the plain-data part of a document (maps and lists), safe to prune; cycles stay cycles. */
function copy(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const v of value) out.push(copy(v, seen));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const k of Object.keys(value)) {
    // defineProperty: a key named __proto__ stays a key, never the prototype.
    Object.defineProperty(out, k, { value: copy((value as Record<string, unknown>)[k], seen), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function remove(root: unknown, segments: readonly PathSegment[]): boolean {
  if (segments.length === 0) return false;
  const parent = valueAt(root, segments.slice(0, -1));
  const last = segments[segments.length - 1];
  if (parent === null || typeof parent !== "object") return false;
  if (Array.isArray(parent)) {
    if (typeof last !== "number" || last >= parent.length) return false;
    parent.splice(last, 1);
    return true;
  }
  if (!Object.hasOwn(parent, last)) return false;
  delete (parent as Record<PropertyKey, unknown>)[last];
  return true;
}

interface IssueLike {
  code?: string;
  path?: PropertyKey[];
  keys?: string[];
}

function safeParse<T>(schema: z.ZodType<T>, doc: unknown): { success: true; data: T } | { success: false; issues: readonly unknown[] } {
  try {
    const r = schema.safeParse(doc);
    return r.success ? { success: true, data: r.data } : { success: false, issues: r.error.issues };
  } catch (e) {
    return { success: false, issues: [{ code: "custom", path: [], message: `the document could not be read: ${(e as Error).message}` }] };
  }
}

export function salvage<T>(schema: z.ZodType<T>, document: unknown): Salvaged<T> {
  const first = safeParse(schema, document);
  if (first.success) return { value: first.data, issues: [] };
  const doc = copy(document);
  let issues = first.issues;
  // Every round removes at least one node, so this ends; the bound only guards against the unforeseen.
  for (let round = 0; round < 1000; round++) {
    const targets: PathSegment[][] = [];
    for (const raw of issues) {
      const issue = raw as IssueLike;
      const path = (issue.path ?? []).map((p) => (typeof p === "number" ? p : String(p)));
      if (issue.code === "unrecognized_keys") {
        for (const k of issue.keys ?? []) targets.push([...path, k]);
        continue;
      }
      // A value that is missing cannot be removed: its parent (the pool, the tenant) goes instead.
      const target = valueAt(doc, path) === undefined ? path.slice(0, -1) : path;
      if (target.length === 0) return { issues: first.issues };
      targets.push(target);
    }
    // Last list items first, so that removing one does not shift the others.
    targets.sort(comparePathsDescending);
    let removed = false;
    for (const t of targets) removed = remove(doc, t) || removed;
    if (!removed) return { issues: first.issues };
    const again = safeParse(schema, doc);
    if (again.success) return { value: again.data, issues: first.issues };
    issues = again.issues;
  }
  return { issues: first.issues };
}

function comparePathsDescending(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] === "number" && typeof b[i] === "number") return (b[i] as number) - (a[i] as number);
    return String(b[i]) < String(a[i]) ? -1 : 1;
  }
  return b.length - a.length;
}
