import { count } from "../../core/lib/numbers";
import { DISRUPTION_ORDER } from "./disruption";
import { cell, shortType } from "./format";
import { fold } from "./markdown-blocks";
import { diffStat } from "./text-diff";
import type { DiffResult } from "./types";

// "Rendered files": each text input that changed (slurm.conf, topology.yaml, a tenant's script) as a unified diff.
// The same change to many resources (128 tenants' scripts) is shown once, with how many share it. Files come in the
// order their layers deploy, within the budget; a diff too long for what is left is cut at a line and says so.

const MIN_SHOWN = 400;

export function textFilesSection(diff: DiffResult, maxChars: number): string {
  const layerRank = (l?: string) => {
    const i = diff.stacks.findIndex((s) => s.layer === l);
    return i < 0 ? diff.stacks.length : i;
  };
  const tenants = diff.meaning.tenants.map((t) => t.name).sort((x, y) => y.length - x.length);
  const groups = new Map<string, { path: string; diff: string; names: string[]; type: string; layer?: string; rank: number; alike: boolean }>();
  for (const c of diff.changes) {
    for (const i of c.inputs) {
      if (!i.textDiff) continue;
      const key = `${c.type}\u0000${i.path}\u0000${shapeOf(i.textDiff, tenantIn(c.name, tenants))}`;
      const g = groups.get(key) ?? { path: i.path, diff: i.textDiff, names: [], type: c.type, layer: c.layer, rank: DISRUPTION_ORDER.indexOf(c.disruption), alike: false };
      if (g.names.length > 0 && i.textDiff !== g.diff) g.alike = true;
      g.names.push(c.name);
      groups.set(key, g);
    }
  }
  if (groups.size === 0) return "";
  const sorted = [...groups.values()].sort(
    (x, y) => y.rank - x.rank || layerRank(x.layer) - layerRank(y.layer) || y.names.length - x.names.length || (x.names[0] < y.names[0] ? -1 : 1),
  );
  const lines = ["### Rendered files", ""];
  let left = maxChars - 200;
  let shown = 0;
  for (const g of sorted) {
    if (left < MIN_SHOWN) break;
    const stat = diffStat(g.diff);
    const same = g.alike ? "the same lines changed, each with its own names and numbers" : "the same change";
    const who = g.names.length === 1 ? `\`${cell(g.names[0])}\`` : `\`${cell(g.names[0])}\` and ${count(g.names.length - 1)} more with ${same}`;
    const title = `${cell(shortType(g.type))} ${who} · <code>${cell(g.path)}</code> · +${count(stat.added)} −${count(stat.removed)} lines`;
    const body = clipLines(g.diff, left - title.length - 120);
    const block = fold(title, ["```diff", ...body, "```"], true);
    lines.push(...block);
    left -= block.join("\n").length + 1;
    shown++;
  }
  if (shown < sorted.length) lines.push(`… and ${count(sorted.length - shown)} more changed files, left out to fit one comment (see \`--json\`: \`textDiff\`).`, "");
  return lines.join("\n");
}

/** The tenant a resource is named for (`<factory>-scheduling-<tenant>-…`), the longest named whole. */
function tenantIn(name: string, tenants: string[]): string | undefined {
  return tenants.find((t) => name.endsWith(`-${t}`) || name.includes(`-${t}-`));
}

/**
 * What a diff changes, apart from the names and numbers of whom it is for: a tenant's script whose quota moved reads
 * like every other tenant's, and is shown once with their count.
 */
function shapeOf(textDiff: string, tenant: string | undefined): string {
  const changed = textDiff.split("\n").filter((l) => l.startsWith("+") || l.startsWith("-"));
  return changed.map((l) => (tenant ? l.split(tenant).join("\u0001") : l).replace(/\d+/g, "#")).join("\n");
}

/** The diff's lines up to maxChars, ending with how many lines were cut; a fence inside the text cannot close the block. */
function clipLines(diff: string, maxChars: number): string[] {
  const out: string[] = [];
  let size = 0;
  const all = diff.split("\n");
  for (const line of all) {
    const safe = line.replace(/```/g, "`\u200b``");
    if (size + safe.length + 1 > maxChars) break;
    out.push(safe);
    size += safe.length + 1;
  }
  if (out.length < all.length) out.push(`… ${count(all.length - out.length)} more lines of this diff left out`);
  return out;
}
