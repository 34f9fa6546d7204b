import { count, signed } from "../../core/lib/numbers";
import { cell } from "./format";
import type { DiffResult, PoolIntent, SpecChange, TenantIntent, TenantTerms } from "./types";

// "What this pull request asks for", the review's first section: tenants with quota, class and cost centre; pools in
// units and GPUs; every other spec field it sets. Every row is shown; only a pull request whose intent alone passes
// its share of the comment is cut, and then it says how many rows it left out.

interface Block {
  title: string;
  header: string[];
  rows: string[];
}

export function intentSection(diff: DiffResult, maxChars: number): string {
  const intent = diff.intent;
  if (!intent || intent.tenants.length + intent.pools.length + intent.objectives.length === 0) return "";
  const blocks: Block[] = [
    {
      title: "**Tenants**",
      header: ["| tenant | | GPU quota | data class | cost centre | priority | pools |", "|---|---|---:|---|---|---|---|"],
      rows: intent.tenants.map(tenantRow),
    },
    { title: "**Pools**", header: ["| pool | | scalable units | GPUs | nodes | spec |", "|---|---|---:|---:|---:|---|"], rows: intent.pools.map(poolRow) },
    { title: "**Objectives and settings**", header: ["| spec field | before | after |", "|---|---|---|"], rows: intent.objectives.map(objectiveRow) },
  ].filter((b) => b.rows.length > 0);
  const lines = ["### What this pull request asks for", ""];
  // Every block keeps its title and header; rows fill the share in order, and those past it are counted.
  let size = lines.join("\n").length + blocks.reduce((n, b) => n + b.title.length + b.header.join("\n").length + 4, 0) + 120;
  let left = 0;
  for (const block of blocks) {
    lines.push(block.title, "", ...block.header);
    for (const row of block.rows) {
      if (size + row.length + 1 > maxChars) {
        left++;
        continue;
      }
      lines.push(row);
      size += row.length + 1;
    }
    lines.push("");
  }
  if (left > 0) lines.push(`… and ${count(left)} more rows of intent, left out to fit one comment (see \`--json\`: \`intent\`).`, "");
  return lines.join("\n");
}

function terms(t: TenantTerms | null): [string, string, string, string, string] {
  if (!t) return ["–", "–", "–", "–", "–"];
  return [`${count(t.gpuQuota)} GPUs`, t.dataClassification || "–", t.costCenter || "–", t.priority, t.pools.join(", ") || "–"];
}

function tenantRow(t: TenantIntent): string {
  const now = terms(t.after ?? t.before);
  if (t.status === "changed" && t.before && t.after) {
    const was = terms(t.before);
    const cells = now.map((v, i) => (v === was[i] ? cell(v) : `${cell(was[i])} → **${cell(v)}**`));
    return `| \`${cell(t.name)}\` | changed | ${cells.join(" | ")} |`;
  }
  const status = t.status === "added" ? "**added**" : "**removed**";
  return `| \`${cell(t.name)}\` | ${status} | ${now.map(cell).join(" | ")} |`;
}

function change(before: number, after: number): string {
  if (before === after) return count(after);
  return `${count(before)} → **${count(after)}** (${signed(after - before)})`;
}

function poolRow(p: PoolIntent): string {
  const spec = p.fields.slice(0, 3).map(fieldText);
  if (p.fields.length > 3) spec.push(`+${count(p.fields.length - 3)} more`);
  return `| \`${cell(p.name)}\` (${cell(p.instanceType)}) | ${p.status} | ${change(p.unitsBefore, p.unitsAfter)} | ${change(p.gpusBefore, p.gpusAfter)} | ${change(p.nodesBefore, p.nodesAfter)} | ${spec.join("<br>")} |`;
}

/** `nodes` 4,800 → 4,864; `capacity.reservations[3]` added. */
function fieldText(c: SpecChange): string {
  const name = `<code>${cell(c.path.split(".").slice(2).join(".") || c.path)}</code>`;
  return `${name} ${changeWords(c)}`;
}

/** "120 → 60", "added", "removed (was 125)", "changed (secret)". */
export function changeWords(c: SpecChange): string {
  if (c.secret) return "changed (secret)";
  if (c.before === undefined) return "added";
  if (c.after === undefined) return `unset (was ${cell(c.before)})`;
  return `${cell(c.before)} → ${cell(c.after)}`;
}

function objectiveRow(c: SpecChange): string {
  return `| \`${cell(c.path)}\` | ${c.before === undefined || c.secret ? "–" : cell(c.before)} | ${c.after === undefined || c.secret ? (c.secret ? "(secret)" : "(unset)") : cell(c.after)} |`;
}

