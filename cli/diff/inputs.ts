import { SECRET_MARK } from "../../plan/snapshot";

// The inputs of one resource, before and after, as a list of changed paths. A secret on either side is
// never rendered: the change says "(secret changed)" and carries no value.

export interface RawInputChange {
  path: string;
  before: unknown;
  after: unknown;
  secret: boolean;
}

const VALUE_CHARS = 80;

export function diffInputs(before: Record<string, unknown>, after: Record<string, unknown>): RawInputChange[] {
  const out: RawInputChange[] = [];
  walk("", before, after, out);
  return out;
}

function walk(path: string, before: unknown, after: unknown, out: RawInputChange[]): void {
  if (before === after) return;
  const secretBefore = holdsSecret(before);
  const secretAfter = holdsSecret(after);
  if (secretBefore || secretAfter) {
    // Both sides a bare secret: the plan cannot tell whether it changed, and says nothing.
    if (before === SECRET_MARK && after === SECRET_MARK) return;
    if (isPlainObject(before) && isPlainObject(after)) return walkObject(path, before, after, out);
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) return walkArray(path, before, after, out);
    if (sameJson(before, after)) return;
    out.push({ path: path || "(inputs)", before: undefined, after: undefined, secret: true });
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) return walkObject(path, before, after, out);
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) return walkArray(path, before, after, out);
  if (sameJson(before, after)) return;
  out.push({ path: path || "(inputs)", before, after, secret: false });
}

function walkObject(path: string, before: Record<string, unknown>, after: Record<string, unknown>, out: RawInputChange[]): void {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const k of keys) walk(joinKey(path, k), before[k], after[k], out);
}

function walkArray(path: string, before: unknown[], after: unknown[], out: RawInputChange[]): void {
  for (let i = 0; i < before.length; i++) walk(`${path}[${i}]`, before[i], after[i], out);
}

function joinKey(path: string, key: string): string {
  const segment = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : `["${key.replace(/["\\]/g, (c) => `\\${c}`)}"]`;
  if (!path) return segment;
  return segment.startsWith("[") ? `${path}${segment}` : `${path}.${segment}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** True when the value is a secret or holds one anywhere inside (a secret inside a policy document, a list...). */
export function holdsSecret(value: unknown): boolean {
  if (typeof value === "string") return value.includes(SECRET_MARK);
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (isPlainObject(value)) return Object.values(value).some(holdsSecret);
  return false;
}

/** A short, single-line rendering of an input value for a review table. */
export function renderValue(value: unknown): string {
  if (value === undefined) return "(unset)";
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  const line = text.replace(/\s+/g, " ");
  return line.length > VALUE_CHARS ? `${line.slice(0, VALUE_CHARS - 1)}…` : line;
}
