// Slurm hostlist expressions: numbered hosts written as prefix-[00001-00032,00065-00096].

// Slurm's hostlist parser rejects a bracketed range of more than 64 K hosts ("Too many hosts in range",
// MAX_RANGE in src/common/hostlist.c; checked on slurmctld 22.05 and 24.11, docs/sources.md#slurm-controller-checks [P]).
export const MAX_HOSTS_PER_RANGE = 65_536;

/** `count` consecutive host numbers starting at `first` (1-based ordinals). */
export interface HostRun {
  first: number;
  count: number;
}

const pad = (n: number, digits: number): string => String(n).padStart(digits, "0");

/** One numbered host: hostName("train", 7, 5) → train-00007. */
export function hostName(prefix: string, ordinal: number, digits: number): string {
  return `${prefix}-${pad(ordinal, digits)}`;
}

/** Width of a zero-padded ordinal: at least `min` digits, more when the count needs them. */
export function ordinalDigits(count: number, min: number): number {
  return Math.max(min, String(Math.max(count, 1)).length);
}

/** Runs sorted, with touching or overlapping runs merged. */
export function mergeRuns(runs: readonly HostRun[]): HostRun[] {
  const sorted = runs.filter((r) => r.count > 0).sort((a, b) => a.first - b.first);
  const out: HostRun[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.first <= last.first + last.count) {
      last.count = Math.max(last.count, r.first + r.count - last.first);
    } else {
      out.push({ first: r.first, count: r.count });
    }
  }
  return out;
}

/** The hosts `prefix-<n>` of the runs as one expression, no bracketed range above MAX_HOSTS_PER_RANGE. */
export function formatHostlist(prefix: string, digits: number, runs: readonly HostRun[]): string {
  const merged = mergeRuns(runs);
  const hosts = merged.reduce((s, r) => s + r.count, 0);
  if (hosts === 0) return "";
  const ranges = merged.flatMap((r) => splitRange(r, digits));
  return hosts === 1 ? hostName(prefix, merged[0].first, digits) : `${prefix}-[${ranges.join(",")}]`;
}

/**
 * Names that end in a number, compressed per prefix and width: su001,su002,su003 → su[001-003].
 * Names without a trailing number stay as they are. The order of first appearance is kept.
 */
export function compressNames(names: readonly string[]): string {
  const groups = new Map<string, { prefix: string; digits: number; numbers: number[] }>();
  const parts: (string | { key: string })[] = [];
  for (const name of names) {
    const m = /^(.*?)(\d+)$/.exec(name);
    if (!m) {
      parts.push(name);
      continue;
    }
    const [, prefix, number] = m;
    const key = `${prefix}\u0000${number.length}`;
    let group = groups.get(key);
    if (!group) {
      group = { prefix, digits: number.length, numbers: [] };
      groups.set(key, group);
      parts.push({ key });
    }
    group.numbers.push(Number(number));
  }
  return parts
    .map((p) => {
      if (typeof p === "string") return p;
      const g = groups.get(p.key)!;
      const runs = g.numbers.map((n) => ({ first: n, count: 1 }));
      const merged = mergeRuns(runs);
      const ranges = merged.flatMap((r) => splitRange(r, g.digits));
      const total = merged.reduce((s, r) => s + r.count, 0);
      return total === 1 ? `${g.prefix}${ranges[0]}` : `${g.prefix}[${ranges.join(",")}]`;
    })
    .join(",");
}

function splitRange(run: HostRun, digits: number): string[] {
  const out: string[] = [];
  for (let start = run.first; start < run.first + run.count; start += MAX_HOSTS_PER_RANGE) {
    const end = Math.min(run.first + run.count, start + MAX_HOSTS_PER_RANGE) - 1;
    out.push(start === end ? pad(start, digits) : `${pad(start, digits)}-${pad(end, digits)}`);
  }
  return out;
}

/**
 * Every host name of a hostlist expression, in order: `a-[01-03,07],b-1` → a-01, a-02, a-03, a-07, b-1.
 * One bracket group per name, as the renderers write them.
 */
export function expandHostlist(expression: string): string[] {
  const out: string[] = [];
  for (const item of splitTopLevel(expression)) {
    const m = /^([^[\]]*)\[([^\]]+)\]([^[\]]*)$/.exec(item);
    if (!m) {
      if (item) out.push(item);
      continue;
    }
    const [, head, body, tail] = m;
    for (const range of body.split(",")) {
      const [lo, hi = lo] = range.split("-");
      const width = lo.length;
      for (let n = Number(lo); n <= Number(hi); n++) out.push(`${head}${pad(n, width)}${tail}`);
    }
  }
  return out;
}

/** Commas outside brackets separate the items of a hostlist. */
function splitTopLevel(expression: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "[") depth++;
    else if (c === "]") depth--;
    else if (c === "," && depth === 0) {
      items.push(expression.slice(start, i));
      start = i + 1;
    }
  }
  items.push(expression.slice(start));
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}
