import type { PlanSnapshot } from "../../plan/snapshot";
import { diffInputs, type RawInputChange } from "./inputs";
import { decimal } from "../../core/lib/numbers";
import type { SpecChange } from "./types";

// What the pull request changed in the spec (gigafactory:factory, with its preset's defaults), field by field in the
// spec's own paths: `storage.checkpoint.seconds`, `pools.h200-a.nodes`, `tenants.acme` (a tenant added whole).

/**
 * The fields the pull request sets (`asked`), apart from those the spec fills in by rule and that moved only because
 * something else did (`derived`): a tenant's default borrowing limit when a pool grows, a pool's tenant list when a
 * tenant is added. Derived fields are consequences, not intent.
 */
export function specChanges(before: PlanSnapshot, after: PlanSnapshot): { asked: SpecChange[]; derived: SpecChange[] } {
  const raw = diffInputs(before.spec, after.spec);
  const isDerived = derivedRule(before, after);
  return { asked: toSpecChanges(grownLists(raw.filter((c) => !isDerived(c)))), derived: toSpecChanges(raw.filter(isDerived)) };
}

function toSpecChanges(changes: RawInputChange[]): SpecChange[] {
  return changes.map((c) => {
    const out: SpecChange = { path: c.path };
    if (c.secret) out.secret = true;
    else {
      if (c.before !== undefined) out.before = specValue(c.before);
      if (c.after !== undefined) out.after = specValue(c.after);
    }
    return out;
  });
}

const VALUE_CHARS = 60;

type TenantView = { gpuQuota?: number; borrowingLimitGpus?: number; lendingLimitGpus?: number; pools?: string[] };

/** True for a change of a field the spec resolver fills in (core/spec/resolve.ts) that holds its default on both sides. */
function derivedRule(before: PlanSnapshot, after: PlanSnapshot): (c: RawInputChange) => boolean {
  const tenantsOf = (s: PlanSnapshot) => ((s.spec as { tenants?: Record<string, TenantView> }).tenants ?? {});
  const poolGpus = (s: PlanSnapshot) => new Map(((s.blueprint as { pools?: { name: string; gpus: number }[] }).pools ?? []).map((p) => [p.name, p.gpus]));
  const sides = [before, after].map((s) => ({ tenants: tenantsOf(s), gpus: poolGpus(s) }));
  const names = sides.map((s) => new Set(Object.keys(s.tenants)));
  const addedOrRemoved = new Set([...names[0], ...names[1]].filter((n) => names[0].has(n) !== names[1].has(n)));
  const isDefault = (side: (typeof sides)[number], tenant: string, field: string): boolean => {
    const t = side.tenants[tenant];
    if (!t || t.gpuQuota === undefined) return false;
    if (field === "lendingLimitGpus") return t.lendingLimitGpus === t.gpuQuota;
    const usable = (t.pools ?? []).reduce((n, p) => n + (side.gpus.get(p) ?? 0), 0);
    return t.borrowingLimitGpus === Math.max(0, usable - t.gpuQuota);
  };
  return (c) => {
    const [top, name, field, ...rest] = segments(c.path);
    if (top === "tenants" && rest.length === 0 && (field === "borrowingLimitGpus" || field === "lendingLimitGpus")) {
      return sides.every((side) => isDefault(side, name, field));
    }
    if (top === "pools" && field === "tenants" && rest.length === 0 && Array.isArray(c.before) && Array.isArray(c.after)) {
      const b = new Set(c.before as string[]);
      const a = new Set(c.after as string[]);
      return [...b, ...a].filter((t) => b.has(t) !== a.has(t)).every((t) => addedOrRemoved.has(t));
    }
    return false;
  };
}

/** A list that grew or shrank is told item by item past what both have: `reservations[3]` added, not two long lists. */
function grownLists(changes: RawInputChange[]): RawInputChange[] {
  const out: RawInputChange[] = [];
  for (const c of changes) {
    if (!Array.isArray(c.before) || !Array.isArray(c.after) || c.before.length === c.after.length || c.secret) {
      out.push(c);
      continue;
    }
    const shared = Math.min(c.before.length, c.after.length);
    const head = diffInputs({ list: c.before.slice(0, shared) }, { list: c.after.slice(0, shared) });
    out.push(...head.map((h) => ({ ...h, path: `${c.path}${h.path.slice("list".length)}` })));
    for (let i = shared; i < Math.max(c.before.length, c.after.length); i++) {
      out.push({ path: `${c.path}[${i}]`, before: c.before[i], after: c.after[i], secret: false });
    }
  }
  return out;
}

/** A spec value as the YAML says it: numbers grouped, strings bare, anything else short JSON. */
function specValue(value: unknown): string {
  if (typeof value === "number") return decimal(value, 6);
  if (typeof value === "string") return value.length > VALUE_CHARS ? `${value.slice(0, VALUE_CHARS - 1)}…` : value;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text;
}

/** True when a spec change touches a field a template names: one is inside the other; `*` matches one key. */
export function touches(changePath: string, template: string): boolean {
  const c = segments(changePath);
  const t = segments(template);
  const n = Math.min(c.length, t.length);
  for (let i = 0; i < n; i++) if (t[i] !== "*" && t[i] !== c[i]) return false;
  return true;
}

/** `pools.h200-a.capacity.reservations[3]` → ["pools", "h200-a", "capacity", "reservations", "3"]. */
export function segments(path: string): string[] {
  const out: string[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) out.push(m[1] ?? m[2] ?? m[3].replace(/\\(.)/g, "$1"));
  return out;
}
