import { count } from "../../core/lib/numbers";
import { cell, shortType } from "./format";
import { changeWords } from "./intent-markdown";
import type { Consequence, DiffResult } from "./types";

// "Why it changes": each consequence on one line, from the spec fields the pull request set, through the value sized
// anew, to the resources it reaches and how disruptive that is —
// `storage.checkpoint.seconds` 120 → 60 ⇒ Lustre capacity 1,612,800 → 1,228,800 GiB ⇒ fsx LustreFileSystem replace: `data-loss`.

const CAUSES_SHOWN = 3;
const RESOURCES_SHOWN = 3;

export function consequencesSection(diff: DiffResult, maxChars: number): string {
  const all = diff.consequences ?? [];
  if (all.length === 0) return "";
  const lines = ["### Why it changes", ""];
  let size = lines.join("\n").length + 200;
  let shown = 0;
  for (const c of all) {
    const line = `- ${consequenceLine(c)}`;
    if (size + line.length + 1 > maxChars && shown > 0) break;
    lines.push(line);
    size += line.length + 1;
    shown++;
  }
  if (shown < all.length) lines.push(`- … and ${count(all.length - shown)} more, in \`--json\` (\`consequences\`)`);
  lines.push("");
  return lines.join("\n");
}

function consequenceLine(c: Consequence): string {
  const causes = c.causes.length === 0 ? "_no spec field this pull request sets (the sizing rules changed)_" : causeText(c);
  const value = valueText(c);
  const reached = c.resources.slice(0, RESOURCES_SHOWN).map((r) => {
    const what = r.count === 1 ? `${cell(shortType(r.type))} \`${cell(r.example)}\`` : `${count(r.count)} × ${cell(shortType(r.type))}`;
    const whole = r.resourceDisruption ?? r.disruption;
    const cls = whole === "data-loss" || whole === "replace" ? `**${r.kind}: \`${whole}\`**` : `${r.kind}: \`${whole}\``;
    // The resource goes further than this field alone would take it: both are said.
    const alone = whole !== r.disruption ? [`this field alone: \`${r.disruption}\``] : [];
    const said = [...alone, ...r.notes.slice(0, 2).map(cell)];
    const notes = said.length > 0 ? ` (${said.join("; ")})` : "";
    return `${what} ${cls}${notes}`;
  });
  const more = c.resources.slice(RESOURCES_SHOWN).reduce((n, r) => n + r.count, 0);
  if (more > 0) reached.push(`${count(more)} more`);
  return `${causes} ⇒ ${value} ⇒ ${reached.join(", ")}`;
}

function causeText(c: Consequence): string {
  const shown = c.causes.slice(0, CAUSES_SHOWN).map((s) => `\`${cell(s.path)}\` ${changeWords(s)}`);
  if (c.causes.length > CAUSES_SHOWN) shown.push(`+${count(c.causes.length - CAUSES_SHOWN)} more fields`);
  return shown.join(", ");
}

/** "**Lustre capacity 1,612,800 → 1,228,800 GiB**"; "**tenant acme** added"; "GPUs each of 128 tenants may borrow, e.g. a: 1 → 2". */
function valueText(c: Consequence): string {
  const unit = c.unit ? ` ${c.unit}` : "";
  const one = c.values[0];
  const move = (v: { before: string | null; after: string | null }) =>
    v.before === null ? "added" : v.after === null ? "removed" : v.before === "present" && v.after === "present" ? "changed" : `${cell(v.before)} → ${cell(v.after)}${unit}`;
  if (c.instances === 1 && one) return `**${cell(c.label)}** ${move(one)}`;
  const examples = c.values.slice(0, 2).map((v) => `${cell(v.name)} ${move(v)}`);
  return `**${cell(c.label)}** (e.g. ${examples.join("; ")})`;
}
