// How the policies read inputs. The policy runtime hands them through a proxy that throws on a value unknown
// during preview, which the runtime then reports as advisory: a residency proof would silently stop being
// mandatory. The policies read the plain values behind the proxy and treat an unknown value as unproven.

interface ProxyModule {
  getSpecialProxyTarget: string;
  unknownBooleanValue: string;
  unknownNumberValue: string;
  unknownStringValue: string;
  unknownArrayValue: string;
  unknownAssetValue: string;
  unknownArchiveValue: string;
  unknownObjectValue: string;
}

// The runtime's own module: its sentinels and the key that opens a proxy (internal, hence untyped).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as ProxyModule;

/** The values @pulumi/policy puts where a preview cannot know an input yet. */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  proxy.unknownBooleanValue,
  proxy.unknownNumberValue,
  proxy.unknownStringValue,
  proxy.unknownArrayValue,
  proxy.unknownAssetValue,
  proxy.unknownArchiveValue,
  proxy.unknownObjectValue,
]);

/** The runtime's sentinel for an unknown string, which the harness uses for a snapshot's unknown mark. */
export const UNKNOWN_STRING = proxy.unknownStringValue;

/** What a snapshot shows for a secret: its plaintext never leaves the program (plan/snapshot.ts). */
export const SECRET_MARK = "[secret]";

/** The plain object behind the runtime's unknown-checking proxy (or the value itself when it is not one). */
export function plain<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    const target = (value as Record<string, unknown>)[proxy.getSpecialProxyTarget];
    if (target !== undefined && target !== null && typeof target === "object") return target as T;
  }
  return value;
}

export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** A value the policy cannot read: unknown during preview, or a secret in an offline snapshot. */
export function isOpaque(value: unknown): boolean {
  return isUnknown(value) || value === SECRET_MARK;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Reads `a.b.0.c` from plain inputs; undefined when any step is missing. */
export function at(value: unknown, path: string): unknown {
  let current: unknown = plain(value);
  for (const step of path.split(".")) {
    if (current === null || current === undefined || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The readable strings of a list: an entry that is unknown, secret or not a string is left out. */
export function asStrings(value: unknown): string[] {
  return asArray(value).map(asString).filter((s): s is string => s !== undefined);
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" && !isOpaque(value) ? value : undefined;
}

/** Booleans that providers take as strings ("true") or booleans; undefined when not set or unreadable. */
export function asBoolean(value: unknown): boolean | undefined {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return undefined;
}

/**
 * Provider inputs arrive JSON-encoded (the SDK serialises every non-string provider argument), other inputs as
 * objects: both read the same here.
 */
export function decoded(value: unknown): unknown {
  if (typeof value !== "string" || isOpaque(value)) return value;
  const text = value.trim();
  if (!(text.startsWith("{") || text.startsWith("["))) return value;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return value;
  }
}

export interface Leaf {
  /** Dotted path from the resource's inputs, e.g. `rules.0.destination.bucket`. */
  path: string;
  /** The last property name on the path that is not an array index. */
  key: string;
  value: string;
}

/**
 * Every string in a value, with its path, looking inside JSON documents held in strings (policies, container
 * definitions, provider settings). Depth-limited so a hostile document cannot stall a check.
 */
export function leaves(value: unknown, path = "", key = "", depth = 0, out: Leaf[] = []): Leaf[] {
  if (depth > 40) return out;
  const v = plain(value);
  if (typeof v === "string") {
    const inner = decoded(v);
    if (inner !== v && inner !== null && typeof inner === "object") leaves(inner, path, key, depth + 1, out);
    else out.push({ path, key, value: v });
  } else if (Array.isArray(v)) {
    v.forEach((item, i) => leaves(item, path ? `${path}.${i}` : String(i), key, depth + 1, out));
  } else if (v !== null && typeof v === "object") {
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) leaves(item, path ? `${path}.${k}` : k, k, depth + 1, out);
  }
  return out;
}
