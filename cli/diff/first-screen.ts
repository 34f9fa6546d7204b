import { DISRUPTION_MEANING, DISRUPTION_ORDER } from "./disruption";
import { drainsSection } from "./drains";
import { formatNumber } from "./format";
import { consequencesSection } from "./consequences-markdown";
import { intentSection } from "./intent-markdown";
import type { PolicyOutcome } from "./policy";
import type { DiffResult } from "./types";

// The review's first screen: what a platform engineer reads before deciding, in this order. Each section is one entry
// of FIRST_SCREEN; a new one (what gets drained, what is proven) is one line in the list where it belongs, rendering
// from the diff and the options. The first screen is never trimmed: each section keeps itself to its `share` of the
// budget, and the sections after it (figures, policies, findings, files, resources) share what is left.

export interface MarkdownOptions {
  /** The Mermaid picture of the factory after the change (from factoryMermaid). */
  mermaid?: string;
  policy?: PolicyOutcome;
  /** Most characters the whole review may take; the default fits one GitHub comment. */
  budget?: number;
}

export interface FirstScreenSection {
  id: string;
  /** The markdown, at most `maxChars` long; empty when there is nothing to say. */
  render: (diff: DiffResult, options: MarkdownOptions, maxChars: number) => string;
  /** The most of the review's budget the section may take. */
  share: number;
}

export const FIRST_SCREEN: readonly FirstScreenSection[] = [
  { id: "disruption", render: (d) => headline(d), share: 0.05 },
  { id: "intent", render: (d, _o, max) => intentSection(d, max), share: 0.35 },
  { id: "consequences", render: (d, _o, max) => consequencesSection(d, max), share: 0.15 },
  // What the change does to running work: the nodes drained, in which waves, whose queues; a Kubernetes upgrade's order.
  { id: "drains", render: (d, _o, max) => drainsSection(d, max), share: 0.1 },
  { id: "stacks", render: (d) => stacksSection(d), share: 0.05 },
];

/** The first screen, section by section in order, each within its share of `budget`. */
export function firstScreen(diff: DiffResult, options: MarkdownOptions, budget: number): string {
  return FIRST_SCREEN.map((s) => s.render(diff, options, Math.floor(budget * s.share)))
    .filter((p) => p.length > 0)
    .join("\n");
}

function headline(diff: DiffResult): string {
  const lines = [`**Disruption: \`${diff.disruption}\`** — ${DISRUPTION_MEANING[diff.disruption]}.`, ""];
  for (const r of diff.disruptionReasons) lines.push(`- ${r}`);
  if (diff.disruptionReasons.length > 0) lines.push("");
  const s = diff.summary;
  lines.push(
    "| resources | create | update | replace | delete | unchanged |",
    "|---|---:|---:|---:|---:|---:|",
    `| count | ${formatNumber(s.create)} | ${formatNumber(s.update)} | ${formatNumber(s.replace)} | ${formatNumber(s.delete)} | ${formatNumber(s.unchanged)} |`,
    "",
  );
  const classes = DISRUPTION_ORDER.filter((c) => c !== "none" && s.byDisruption[c] > 0).map((c) => `\`${c}\` ${formatNumber(s.byDisruption[c])}`);
  if (classes.length > 0) lines.push(`By disruption: ${classes.join(" · ")}`, "");
  return lines.join("\n");
}

/** The layers' stacks the change updates, in the order to run `pulumi up`. */
function stacksSection(diff: DiffResult): string {
  if (diff.stacks.length === 0) return "";
  const lines = [
    "### Stacks to update, in order",
    "",
    "| # | layer | stack | create | update | replace | delete | disruption |",
    "|---:|---|---|---:|---:|---:|---:|---|",
    ...diff.stacks.map(
      (s, i) =>
        `| ${i + 1} | ${s.layer} | \`${s.project}/${s.stack}\` | ${formatNumber(s.create)} | ${formatNumber(s.update)} | ${formatNumber(s.replace)} | ${formatNumber(s.delete)} | \`${s.disruption}\` |`,
    ),
    "",
  ];
  lines.splice(lines.length - 1, 0, "", "A layer not listed is unchanged: its stack needs no `pulumi up`.");
  const first = diff.tolerationsFirst;
  if (first) {
    const taints = first.taints.map((t) => `\`${t.taint}\` (${t.nodeGroups.map((g) => `\`${g}\``).join(", ")})`).join("; ");
    const layers = first.firstLayers.map((l) => `\`${l}\``).join(" and ");
    const shown = first.resources.slice(0, 3).join("`, `");
    const more = first.resources.length > 3 ? ` and ${formatNumber(first.resources.length - 3)} more` : "";
    const is = first.firstLayers.length > 1 ? "are" : "is";
    lines.push(
      `**Apply ${layers} before \`${first.nodeLayer}\` for this change.** Nodes gain the taint ${taints}, and the pods that must run`,
      `there tolerate it only once ${layers} ${is} applied (\`${shown}\`${more}). In the order above, the nodes that \`${first.nodeLayer}\``,
      `rolls evict those pods and they stay Pending until ${layers} ${is} applied; a toleration where no node has the taint changes nothing.`,
      "",
    );
  }
  return lines.join("\n");
}

