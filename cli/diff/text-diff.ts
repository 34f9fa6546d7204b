// A unified diff of two texts, line by line, as `diff -u` prints its hunks: what a reviewer reads for a rendered
// file (slurm.conf, a topology, a script) instead of its first line twice.

/** Lines of context around each change, as `diff -u`. */
const CONTEXT = 3;
/** Above this many lines by lines in the part that differs, the middle is shown as removed then added. */
const MAX_CELLS = 4_000_000;

type Op = { kind: " " | "-" | "+"; line: string };

/** The hunks of `diff -u` without the file header; empty when the texts are equal. */
export function unifiedDiff(before: string, after: string, context = CONTEXT): string {
  if (before === after) return "";
  const a = before.split("\n");
  const b = after.split("\n");
  const ops = lineOps(a, b);
  return hunks(ops, context).join("\n");
}

/** How many lines a unified diff removes and adds. */
export function diffStat(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of diff.split("\n")) {
    if (l.startsWith("+")) added++;
    else if (l.startsWith("-")) removed++;
  }
  return { added, removed };
}

function lineOps(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: Op[] = a.slice(0, start).map((line) => ({ kind: " ", line }));
  const tail: Op[] = a.slice(endA).map((line) => ({ kind: " ", line }));
  return [...head, ...middle(a.slice(start, endA), b.slice(start, endB)), ...tail];
}

/** The longest common subsequence of the differing middle; a middle too large for it is replaced whole. */
function middle(a: string[], b: string[]): Op[] {
  if (a.length * b.length > MAX_CELLS) return [...a.map((line) => ({ kind: "-" as const, line })), ...b.map((line) => ({ kind: "+" as const, line }))];
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: the common lines of a[i..] and b[j..], in one flat array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[i] === b[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: " ", line: a[i++] });
      j++;
    } else if (lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) ops.push({ kind: "-", line: a[i++] });
    else ops.push({ kind: "+", line: b[j++] });
  }
  while (i < n) ops.push({ kind: "-", line: a[i++] });
  while (j < m) ops.push({ kind: "+", line: b[j++] });
  return ops;
}

function hunks(ops: Op[], context: number): string[] {
  const out: string[] = [];
  const changed = ops.map((o, k) => (o.kind !== " " ? k : -1)).filter((k) => k >= 0);
  let k = 0;
  while (k < changed.length) {
    const from = Math.max(0, changed[k] - context);
    let to = Math.min(ops.length, changed[k] + context + 1);
    // Changes whose contexts touch share one hunk.
    while (k + 1 < changed.length && changed[k + 1] - context <= to) {
      k++;
      to = Math.min(ops.length, changed[k] + context + 1);
    }
    k++;
    const lineA = 1 + ops.slice(0, from).filter((o) => o.kind !== "+").length;
    const lineB = 1 + ops.slice(0, from).filter((o) => o.kind !== "-").length;
    const body = ops.slice(from, to);
    const countA = body.filter((o) => o.kind !== "+").length;
    const countB = body.filter((o) => o.kind !== "-").length;
    out.push(`@@ -${lineA},${countA} +${lineB},${countB} @@`, ...body.map((o) => `${o.kind}${o.line}`));
  }
  return out;
}
