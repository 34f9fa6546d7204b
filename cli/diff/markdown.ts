import { DISRUPTION_ORDER } from "./disruption";
import { firstScreen, type MarkdownOptions } from "./first-screen";
import { cell, formatDelta, formatFigure, formatNumber, shortType } from "./format";
import { boundedTable, clipMarkdown, fold } from "./markdown-blocks";
import { type PolicyOutcome, policyHeadline } from "./policy";
import { diffStat } from "./text-diff";
import { textFilesSection } from "./text-markdown";
import type { DiffResult, DisruptionClass, InputChange, PoolFigures, ResourceChange, TenantChange } from "./types";

// The review a pull request shows: markdown under GitHub's comment limit however large the change.
// Long lists fold into <details> and end with a count of what was left out; a table is never cut mid-row.

/** GitHub refuses a comment body longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Room kept for what the workflow adds around the review (its marker, a heading per stack). */
const DEFAULT_BUDGET = GITHUB_COMMENT_LIMIT - 2_536;
/** Marks the sticky comment so the workflow can find and update it. */
export const COMMENT_MARKER = "<!-- gigafactory-diff -->";

export type { MarkdownOptions };
export { clipMarkdown };

const INPUTS_PER_ROW = 4;
const TENANT_ROWS_OPEN = 15;

export function renderMarkdown(diff: DiffResult, options: MarkdownOptions = {}): string {
  const budget = options.budget ?? DEFAULT_BUDGET;
  const head = [`## gigafactory diff — stack \`${diff.stack}\``, ""];
  if (diff.identical) {
    head.push(
      `**No changes.** The two plans are identical: ${formatNumber(diff.summary.unchanged)} resources, the same factory.`,
      "",
    );
    return head.join("\n");
  }
  // The first screen (intent, consequences, ...: first-screen.ts) leads and is never trimmed; then the figures.
  const fixed = [head.join("\n"), firstScreen(diff, options, budget), factoryFigures(diff), pools(diff), quotas(diff)].filter((p) => p.length > 0).join("\n");
  const picture = options.mermaid ? mermaidSection(options.mermaid) : "";
  const footer = "\n---\n<sub>`gigafactory diff BEFORE.json AFTER.json --json` gives every change in full.</sub>\n";
  // What is left is shared, in order, by the policies, the tenants, the findings, the files and the resources; when the
  // estimate overshoots, the shares shrink by the overshoot until the whole review fits.
  let room = budget - fixed.length - picture.length - footer.length;
  let markdown = "";
  for (let attempt = 0; attempt < 6; attempt++) {
    let left = room;
    const policy = policySection(options.policy, Math.max(1_500, Math.floor(left * 0.3)));
    left -= policy.length;
    const tenants = tenantsSection(diff, Math.max(800, Math.floor(left * 0.25)));
    left -= tenants.length;
    const findings = findingsSection(diff, Math.max(800, Math.floor(left * 0.2)));
    left -= findings.length;
    const files = textFilesSection(diff, Math.max(800, Math.floor(left * 0.45)));
    left -= files.length;
    const resources = resourcesSection(diff, Math.max(800, left));
    markdown = [fixed, tenants, picture, policy, findings, files, resources, footer].filter((p) => p.length > 0).join("\n");
    if (markdown.length <= budget) break;
    room -= markdown.length - budget + 500;
  }
  return markdown;
}

function factoryFigures(diff: DiffResult): string {
  const lines = ["### The factory", "", "| | before | after | change |", "|---|---:|---:|---:|"];
  for (const f of diff.meaning.figures) {
    const changed = f.before !== f.after;
    const label = changed ? `**${cell(f.label)}**` : cell(f.label);
    const delta = changed ? formatDelta(f.before, f.after, f.unit) || "changed" : "";
    const row = [f.before, f.after];
    lines.push(`| ${label} | ${cell(formatFigure(f.before, f.unit, row))} | ${cell(formatFigure(f.after, f.unit, row))} | ${delta} |`);
  }
  lines.push("");
  return lines.join("\n");
}

function poolText(p: PoolFigures | null): string {
  if (!p) return "–";
  return `${p.instanceType} · ${p.availabilityZone} · ${formatNumber(p.nodes)} nodes · ${formatNumber(p.gpus)} GPUs · ${formatNumber(p.units)} units · ${p.capacity}`;
}

function pools(diff: DiffResult): string {
  const pools = diff.meaning.pools;
  if (pools.length === 0) return "";
  const changed = pools.filter((p) => p.status !== "unchanged");
  const lines = ["#### Pools", ""];
  if (changed.length === 0) {
    lines.push(`${formatNumber(pools.length)} pools, none changed.`, "");
    return lines.join("\n");
  }
  lines.push("| pool | | before | after |", "|---|---|---|---|");
  for (const p of changed) lines.push(`| \`${cell(p.name)}\` | ${p.status} | ${cell(poolText(p.before))} | ${cell(poolText(p.after))} |`);
  const same = pools.length - changed.length;
  if (same > 0) lines.push("", `${formatNumber(same)} other pool${same === 1 ? "" : "s"} unchanged.`);
  const units = diff.meaning;
  const unitLine = [
    units.unitsAdded.length ? `${formatNumber(units.unitsAdded.length)} scalable unit${units.unitsAdded.length === 1 ? "" : "s"} added` : "",
    units.unitsRemoved.length ? `${formatNumber(units.unitsRemoved.length)} removed` : "",
    units.unitsResized.length ? `${formatNumber(units.unitsResized.length)} resized` : "",
  ].filter(Boolean);
  if (unitLine.length > 0) lines.push("", `${unitLine.join(", ")}.`);
  lines.push("");
  return lines.join("\n");
}

function tenantText(t: TenantChange["before"]): string {
  if (!t) return "–";
  return `${formatNumber(t.gpuQuota)} GPUs · ${t.priority} · borrow ${formatNumber(t.borrowingLimitGpus)} · lend ${formatNumber(t.lendingLimitGpus)}${t.pools.length ? ` · ${t.pools.join(", ")}` : ""}`;
}

function tenantsSection(diff: DiffResult, maxChars: number): string {
  const tenants = diff.meaning.tenants;
  const changed = tenants.filter((t) => t.status !== "unchanged");
  if (tenants.length === 0) return "";
  const lines = ["#### Tenants and their quotas", ""];
  if (changed.length === 0) {
    lines.push(`${formatNumber(tenants.length)} tenants, none changed.`, "");
    return lines.join("\n");
  }
  const counts = (["added", "changed", "removed"] as const)
    .map((s) => [s, changed.filter((t) => t.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${formatNumber(n)} ${s}`);
  lines.push(`${counts.join(", ")}; ${formatNumber(tenants.length - changed.length)} unchanged.`, "");
  // Added and removed first: a tenant the spec adds never sorts below a hundred derived changes.
  const rank = { added: 0, removed: 1, changed: 2, unchanged: 3 } as const;
  const rows = [...changed].sort((x, y) => rank[x.status] - rank[y.status] || (x.name < y.name ? -1 : 1)).map((t) => `| \`${cell(t.name)}\` | ${t.status} | ${cell(tenantText(t.before))} | ${cell(tenantText(t.after))} |`);
  const table = boundedTable(["| tenant | | before | after |", "|---|---|---|---|"], rows, maxChars - 300, "tenants");
  lines.push(...fold(`${formatNumber(changed.length)} tenant${changed.length === 1 ? "" : "s"} changed`, table, changed.length > TENANT_ROWS_OPEN));
  return lines.join("\n");
}

function quotas(diff: DiffResult): string {
  const q = diff.meaning.quotas;
  if (q.length === 0) return "";
  const lines = ["#### Service quotas", "", "| quota | needed before | needed after | AWS default | raise |", "|---|---:|---:|---:|---|"];
  for (const x of q) {
    lines.push(
      `| ${cell(x.name)} | ${formatFigure(x.neededBefore)} | ${formatFigure(x.neededAfter)} | ${formatNumber(x.defaultValue)} | ${x.raiseAfter ? "**raise**" : "–"} |`,
    );
  }
  lines.push("");
  return lines.join("\n");
}

function mermaidSection(mermaid: string): string {
  return [
    "### The factory after the change",
    "",
    "```mermaid",
    mermaid,
    "```",
    "",
    "<sub>yellow: changed · green: added · red, dashed: removed</sub>",
    "",
  ].join("\n");
}

function policySection(policy: PolicyOutcome | undefined, maxChars: number): string {
  const lines = ["### Policies", "", policyHeadline(policy), "", ...(policy?.proven ? [policy.proven, ""] : [])];
  if (policy && policy.markdown.trim().length > 0) {
    const clipped = clipMarkdown(policy.markdown.trim(), maxChars - 400);
    // Violations are shown open; a clean report folds away.
    if ((policy.mandatoryViolations ?? 0) > 0) lines.push(clipped, "");
    else lines.push(...fold("Policy report of the plan after the change", clipped.split("\n"), true));
  }
  return lines.join("\n");
}

function findingsSection(diff: DiffResult, maxChars: number): string {
  const shown = diff.findings.filter((f) => f.level !== "info" || f.status !== "kept");
  if (shown.length === 0) return "";
  const rows = shown.map(
    (f) =>
      `| ${f.status} | ${f.level} | \`${cell(f.path)}\` | ${cell(f.message)}${f.hint ? ` — ${cell(f.hint)}` : ""} |`,
  );
  const table = boundedTable(["| | level | path | finding |", "|---|---|---|---|"], rows, maxChars - 300, "findings");
  const fresh = shown.filter((f) => f.status === "new").length;
  const resolved = shown.filter((f) => f.status === "resolved").length;
  const title = `${formatNumber(shown.length)} finding${shown.length === 1 ? "" : "s"} (${formatNumber(fresh)} new, ${formatNumber(resolved)} resolved)`;
  return ["### Findings", "", ...fold(title, table, shown.length > 10)].join("\n");
}

function resourcesSection(diff: DiffResult, maxChars: number): string {
  const lines = ["### Resource changes", ""];
  // Grouped by layer too when the plans have layers: a reviewer sees which stack each change lands in.
  const layered = diff.stacks.length > 0;
  const byType = new Map<string, { layer: string; type: string; kind: string; disruption: DisruptionClass; count: number }>();
  for (const c of diff.changes) {
    const layer = c.layer ?? "";
    const key = `${layer}\u0000${c.type}\u0000${c.kind}\u0000${c.disruption}`;
    const entry = byType.get(key) ?? { layer, type: c.type, kind: c.kind, disruption: c.disruption, count: 0 };
    entry.count++;
    byType.set(key, entry);
  }
  const layerRank = (l: string) => diff.stacks.findIndex((s) => s.layer === l);
  const summaryRows = [...byType.values()]
    .sort(
      (x, y) =>
        DISRUPTION_ORDER.indexOf(y.disruption) - DISRUPTION_ORDER.indexOf(x.disruption) ||
        layerRank(x.layer) - layerRank(y.layer) ||
        (x.type < y.type ? -1 : x.type > y.type ? 1 : 0) ||
        (x.kind < y.kind ? -1 : 1),
    )
    .map((e) => `| \`${e.disruption}\` | ${layered ? `${e.layer} | ` : ""}${cell(e.type)} | ${e.kind} | ${formatNumber(e.count)} |`);
  const header = layered ? ["| disruption | layer | type | change | count |", "|---|---|---|---|---:|"] : ["| disruption | type | change | count |", "|---|---|---|---:|"];
  const summaryTable = boundedTable(header, summaryRows, Math.floor(maxChars * 0.25), "types");
  lines.push(...summaryTable, "");
  let left = maxChars - lines.join("\n").length;
  for (const cls of [...DISRUPTION_ORDER].reverse()) {
    const changes = diff.changes.filter((c) => c.disruption === cls);
    if (changes.length === 0) continue;
    const groups = groupAlike(changes.sort(byKindThenUrn));
    const rows = groups.map(resourceRow);
    // Each class gets its share of what is left, the most disruptive first.
    const classesLeft = DISRUPTION_ORDER.slice(0, DISRUPTION_ORDER.indexOf(cls) + 1).filter((c) => diff.changes.some((x) => x.disruption === c)).length;
    const share = Math.max(600, Math.floor(left / classesLeft));
    const table = boundedTable(["| resource | type | change | inputs |", "|---|---|---|---|"], rows, share - 200, "resources", groups.map((g) => g.length));
    const block = fold(`\`${cls}\`: ${formatNumber(changes.length)} resource${changes.length === 1 ? "" : "s"}`, table, cls !== "data-loss");
    lines.push(...block);
    left -= block.join("\n").length + 1;
  }
  return lines.join("\n");
}

const KIND_ORDER = { delete: 0, replace: 1, update: 2, create: 3 } as const;

function byKindThenUrn(x: ResourceChange, y: ResourceChange): number {
  return KIND_ORDER[x.kind] - KIND_ORDER[y.kind] || (x.urn < y.urn ? -1 : x.urn > y.urn ? 1 : 0);
}

/**
 * Changes of one type that change the same inputs the same way, with the same notes, make one row: 80
 * reservations of a pool replaced for a new instance type read as one line, not eighty.
 */
function groupAlike(changes: ResourceChange[]): ResourceChange[][] {
  const groups = new Map<string, ResourceChange[]>();
  for (const c of changes) {
    const key = [c.type, c.kind, c.stateBearing, c.inputs.map(inputText).join("\u0001"), c.notes.join("\u0001")].join("\u0000");
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()];
}

function resourceRow(group: ResourceChange[]): string {
  const c = group[0];
  const inputs = c.inputs.slice(0, INPUTS_PER_ROW).map(inputText);
  if (c.inputs.length > INPUTS_PER_ROW) inputs.push(`+${formatNumber(c.inputs.length - INPUTS_PER_ROW)} more`);
  const notes = c.notes.map((n) => `_${cell(n)}_`);
  const detail = [...inputs, ...notes].join("<br>");
  const names = group.length === 1 ? `\`${cell(c.name)}\`` : `\`${cell(c.name)}\` … \`${cell(group[group.length - 1].name)}\` (${formatNumber(group.length)})`;
  return `| ${names} | ${cell(shortType(c.type))} | ${c.kind}${c.stateBearing ? " (state)" : ""} | ${detail} |`;
}

function inputText(i: InputChange): string {
  if (i.secret) return `<code>${cell(i.path)}</code>: (secret changed)`;
  if (i.textDiff) {
    const stat = diffStat(i.textDiff);
    return `<code>${cell(i.path)}</code>: text +${formatNumber(stat.added)} −${formatNumber(stat.removed)} lines (Rendered files)`;
  }
  return `<code>${cell(i.path)}</code>: <code>${cell(i.before ?? "")}</code> → <code>${cell(i.after ?? "")}</code>`;
}

