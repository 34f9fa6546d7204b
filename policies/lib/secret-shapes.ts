import { SECRET_MARK, isUnknown, plain } from "./values";

// What a secret looks like wherever it sits in a resource's inputs: by its shape (a PEM private key, an AWS
// access key, a token with a vendor's prefix, a JWT, credentials in a URL, a password assigned in a script), by
// the name of the field that holds it (a password, a key, a token) when the value is random enough to be one,
// and in the fields that exist only to hold secrets. Text is searched inside JSON and base64 too, within bounds,
// so a hostile snapshot cannot stall the scan.

export interface SecretSighting {
  /** Dotted path from the inputs, e.g. `data.slurm.key` or `userData`. */
  path: string;
  /** What it looks like, never the value itself. */
  shape: string;
}

const SHAPES: readonly [shape: string, pattern: RegExp][] = [
  ["a PEM private key", /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/],
  ["an AWS access key id", /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/],
  ["a GitHub token", /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ["a Slack token", /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ["a JSON Web Token", /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ["credentials in a URL", /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s/:@'"]{1,128}:[^\s/@'"$]{3,128}@[^\s/]/i],
  ["an AWS secret access key", /aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+]{40}\b/i],
];

// A password, passphrase, secret, token, credential or key named in text, assigned a literal value (not a
// variable, a path, a reference or the mark of a secret).
// `name=value` or `name: value` (a colon followed by a space, so an ARN's `secret:name` is no assignment).
const ASSIGNED = /\b[A-Za-z_]*(?:pass|password|passwd|passphrase|secret|token|api_?key|private_?key)["']?(?:\s*=\s*|:\s+)["']?([^\s"',;]{8,})/gi;

// Field names that hold secrets, and the suffixes of names that only refer to one (an ARN, a name, a path, a type).
const SECRET_FIELD = /(pass(word|wd|phrase)|pwd|secret|token|credential|private_?key|api_?key|access_?key|auth_?key|signing_?key|munge|jwt|(^|[._-])key$)/i;
const PASSWORD_FIELD = /(pass(word|wd|phrase)|pwd)/i;
const REFERENCE_FIELD = /(arn|id|ids|name|names|ref|refs|path|file|files|type|kind|mode|version|versions|policy|enabled|length|ttl|rotation|prefix|uri|url|count|format|method|endpoint|audience|validation|days|seconds|selector|source|provider|location|reference|tokens)$/i;
// Values that only point at a secret, or say something about one.
const REFERENCE_VALUE = /^(arn:|\$|\{\{|%|\/|file:|secretsmanager:|ssm:|vault:|(?:true|false|required|optional|disabled|enabled|none)$)/i;

const MAX_SCAN_CHARS = 1 << 20;
const MAX_DEPTH = 40;
const MIN_RANDOM_CHARS = 16;
const MIN_BITS_PER_CHAR = 3.5;

/** Shannon entropy of a text in bits per character. */
export function bitsPerChar(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Random enough to be a key or a token: long, in a token's alphabet (base64, hex, URL-safe), varied, and not
 * words, a label key (`topology.kubernetes.io/zone`) or an identifier.
 */
export function looksRandom(text: string): boolean {
  if (text.length < MIN_RANDOM_CHARS || !/^[A-Za-z0-9+/=_-]+$/.test(text)) return false;
  const hex = /^[0-9a-fA-F]+$/.test(text);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(text)).length;
  return (hex ? text.length >= 32 : classes >= 3) && bitsPerChar(text) >= MIN_BITS_PER_CHAR;
}

/** The text behind a base64 value, when it is one and decodes to readable text. */
function base64Text(value: string): string | undefined {
  const compact = value.replace(/\s+/g, "");
  if (compact.length < 40 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const text = Buffer.from(compact, "base64").toString("utf8");
  return /^[\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]*$/.test(text) && !text.includes("\ufffd") ? text : undefined;
}

function shapesIn(text: string): string[] {
  const found = SHAPES.filter(([, re]) => re.test(text)).map(([shape]) => shape);
  for (const m of text.matchAll(ASSIGNED)) {
    if (!REFERENCE_VALUE.test(m[1]) && m[1] !== SECRET_MARK) {
      found.push("a password, secret or token assigned in text");
      break;
    }
  }
  return found;
}

function isSecretField(key: string): boolean {
  return SECRET_FIELD.test(key) && !REFERENCE_FIELD.test(key);
}

/** The secret-shaped values of one string under a field name. */
function inString(value: string, key: string, path: string, out: SecretSighting[], depth: number): void {
  if (value === SECRET_MARK || isUnknown(value) || value.length === 0) return;
  const text = value.length > MAX_SCAN_CHARS ? value.slice(0, MAX_SCAN_CHARS) : value;
  const trimmed = text.trim();
  if ((trimmed.startsWith("{") || trimmed.startsWith("[")) && depth < MAX_DEPTH) {
    try {
      const inner: unknown = JSON.parse(trimmed);
      if (inner !== null && typeof inner === "object") return walk(inner, key, path, out, depth + 1);
    } catch {
      // Not JSON: read as text.
    }
  }
  for (const shape of shapesIn(text)) out.push({ path, shape });
  const decoded = base64Text(text);
  if (decoded !== undefined) for (const shape of shapesIn(decoded)) out.push({ path, shape: `${shape} (base64)` });
  if (isSecretField(key) && !REFERENCE_VALUE.test(trimmed)) {
    if (PASSWORD_FIELD.test(key)) out.push({ path, shape: `a password in the field ${key}` });
    else if (looksRandom(trimmed)) out.push({ path, shape: `a random value in the field ${key}` });
  }
}

function walk(value: unknown, key: string, path: string, out: SecretSighting[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  const v = plain(value);
  if (typeof v === "string") inString(v, key, path, out, depth);
  else if (Array.isArray(v)) v.forEach((item, i) => walk(item, key, path ? `${path}.${i}` : String(i), out, depth + 1));
  else if (v !== null && typeof v === "object") {
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) walk(item, k, path ? `${path}.${k}` : k, out, depth + 1);
  }
}

/** Every secret-shaped value in a resource's inputs, one sighting per path and shape. */
export function secretSightings(inputs: unknown): SecretSighting[] {
  const out: SecretSighting[] = [];
  walk(inputs, "", "", out, 0);
  const seen = new Set<string>();
  return out.filter((s) => !seen.has(`${s.path}\u0000${s.shape}`) && seen.add(`${s.path}\u0000${s.shape}`) !== undefined);
}

// Fields that exist to hold secrets: whatever their value looks like, it must be a secret.
const SECRET_HOLDERS: Readonly<Record<string, readonly RegExp[]>> = {
  "kubernetes:core/v1:Secret": [/^data\.[^.]+$/, /^stringData\.[^.]+$/],
  "aws:secretsmanager/secretVersion:SecretVersion": [/^secretString$/, /^secretBinary$/],
  "aws:rds/instance:Instance": [/^password$/],
  "aws:rds/cluster:Cluster": [/^masterPassword$/],
  "aws:iam/accessKey:AccessKey": [/^pgpKey$/],
};

/** Values of a resource's secret-only fields that are not marked secret. */
export function unmarkedSecretFields(type: string, inputs: Record<string, unknown>): string[] {
  const holders = Object.hasOwn(SECRET_HOLDERS, type) ? SECRET_HOLDERS[type] : undefined;
  if (!holders) return [];
  const out: string[] = [];
  const visit = (value: unknown, path: string, depth: number): void => {
    const v = plain(value);
    if (holders.some((re) => re.test(path))) {
      if (v !== SECRET_MARK && !isUnknown(v) && v !== undefined && v !== null && v !== "") out.push(path);
      return;
    }
    if (depth < 4 && v !== null && typeof v === "object" && !Array.isArray(v)) {
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) visit(item, path ? `${path}.${k}` : k, depth + 1);
    }
  };
  visit(inputs, "", 0);
  return out;
}
