import { SECRET_MARK } from "../snapshot";

// The stack's config as the YAML holds it, turned into what the SDK reads (strings, objects as JSON)
// and into what a snapshot may show (every `secure:` value masked). The plaintext of a secret is never known
// offline: the program sees SECRET_MARK in its place, marked secret so it stays secret in every output.

export type StackConfig = Record<string, unknown>;

/** A `secure: v1:...` value as Pulumi writes it into a stack file. */
export function isSecure(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === "string"
  );
}

/** `region` in project `p` means `p:region`, as Pulumi reads a key without a namespace. */
export function qualifiedKey(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** The config with every secret (at any depth) replaced by SECRET_MARK, keys namespaced. */
export function maskedConfig(config: StackConfig, project: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[qualifiedKey(k, project)] = mask(v);
  return out;
}

function mask(value: unknown): unknown {
  if (isSecure(value)) return SECRET_MARK;
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v)]));
  return value;
}

/** What `pulumi.runtime.setAllConfig` takes: string values, and the keys that are secret. */
export function runtimeConfig(config: StackConfig, project: string): { values: Record<string, string>; secretKeys: string[] } {
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(config)) {
    const key = qualifiedKey(k, project);
    const masked = mask(v);
    if (hasSecure(v)) secretKeys.push(key);
    values[key] = typeof masked === "string" ? masked : JSON.stringify(masked);
  }
  return { values, secretKeys };
}

function hasSecure(value: unknown): boolean {
  if (isSecure(value)) return true;
  if (Array.isArray(value)) return value.some(hasSecure);
  if (value && typeof value === "object") return Object.values(value).some(hasSecure);
  return false;
}

/** The keys of one package (`aws:region` → `region`) as its default provider takes them. */
export function packageConfig(config: StackConfig, pkg: string, project: string): Record<string, unknown> {
  const masked = maskedConfig(config, project);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(masked)) if (k.startsWith(`${pkg}:`)) out[k.slice(pkg.length + 1)] = v;
  return out;
}
