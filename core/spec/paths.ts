import { CONFIG_KEY } from "./schema";

// Finding paths are YAML paths a user can follow in the stack file: `gigafactory:factory.pools.train.instanceType`,
// list items as `[0]`, and keys that are not plain words quoted as `["team.name"]`.

export type PathSegment = string | number;

export const REGION_PATH = "aws:region";

// A key YAML and a reader take as written; any other key is quoted in brackets.
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*/;

const isPlainKey = (key: string): boolean => PLAIN_KEY.exec(key)?.[0] === key;

/** `prefix` followed by the segments, e.g. specPath("pools", "train") → gigafactory:factory.pools.train. */
export function joinPath(prefix: string, ...segments: readonly PathSegment[]): string {
  let out = prefix;
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (isPlainKey(s)) out += out === "" || out.endsWith(":") ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

export function specPath(...segments: readonly PathSegment[]): string {
  return joinPath(CONFIG_KEY, ...segments);
}

/** The prefix of paths into a tenants file: `tenants.gigafactory.yaml:`. */
export function filePrefix(file: string): string {
  return `${file}:`;
}

/** A path into a file beside the stack file, e.g. filePath("tenants.gigafactory.yaml", "tenants", "acme") → tenants.gigafactory.yaml:tenants.acme. */
export function filePath(file: string, ...segments: readonly PathSegment[]): string {
  return joinPath(filePrefix(file), ...segments);
}

/**
 * The segments of a path written by joinPath (without its prefix): `pools.train["a.b"][0]` → ["pools","train","a.b",0].
 * Returns undefined for text that is not such a path.
 */
export function parsePath(text: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ".") {
      if (out.length === 0) return undefined;
      i++;
    }
    if (text[i] === "[") {
      const close = findClose(text, i);
      if (close < 0) return undefined;
      const inner = text.slice(i + 1, close);
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else {
        try {
          const key: unknown = JSON.parse(inner);
          if (typeof key !== "string") return undefined;
          out.push(key);
        } catch {
          return undefined;
        }
      }
      i = close + 1;
      continue;
    }
    const m = PLAIN_KEY.exec(text.slice(i));
    if (!m) return undefined;
    out.push(m[0]);
    i += m[0].length;
  }
  return out;
}

function findClose(text: string, open: number): number {
  if (text[open + 1] !== '"') return text.indexOf("]", open);
  // A quoted key: skip escaped quotes until the closing `"]`.
  for (let j = open + 2; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return text[j + 1] === "]" ? j + 1 : -1;
  }
  return -1;
}

/** The value at a path inside a plain document, or undefined. Never throws. */
export function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let node = root;
  for (const s of segments) {
    if (node === null || typeof node !== "object") return undefined;
    if (Array.isArray(node)) {
      if (typeof s !== "number") return undefined;
      node = node[s];
    } else {
      if (!Object.prototype.hasOwnProperty.call(node, s)) return undefined;
      node = (node as Record<PropertyKey, unknown>)[s];
    }
  }
  return node;
}
