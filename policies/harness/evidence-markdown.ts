import type { ResidencyEvidence } from "../eu-residency/evidence";
import type { CheckResult } from "./run";
import { exitCodeOf } from "./run";

// The residency evidence as a markdown document an auditor can file.

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderEvidenceMarkdown(e: ResidencyEvidence, check?: CheckResult): string {
  const placed = e.resources.filter((r) => r.verdict !== "no data");
  const byVerdict = (v: string) => e.resources.filter((r) => r.verdict === v).length;
  const lines = [
    `# Residency evidence: ${e.project}/${e.stack}`,
    "",
    `- Plan: \`${e.planHash}\``,
    `- Policy packs: ${e.packs.map((p) => `${p.name}@${p.version}`).join(", ")}`,
    `- Allowed regions: ${e.allowedRegions.join(", ")}`,
    `- Resources: ${e.resources.length} (${byVerdict("allowed")} in an allowed region, ${byVerdict("global")} global, ${byVerdict("no data")} holding no data, ${byVerdict("outside")} outside, ${byVerdict("unproven")} unproven)`,
  ];
  if (check) {
    const mandatory = check.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
    lines.push(`- Check: ${exitCodeOf(check) === 0 ? "passed" : `failed (${mandatory} mandatory violations, ${check.failures.length} policy errors)`}`);
  }
  lines.push("", "## Where each resource's data lives", "", "| resource | type | region | proven by |", "|---|---|---|---|");
  for (const r of placed) lines.push(`| ${cell(r.name)} | \`${r.type}\` | ${r.verdict === "outside" || r.verdict === "unproven" ? `**${cell(r.where)}**` : cell(r.where)} | ${cell(r.how)} |`);
  const noData = e.resources.filter((r) => r.verdict === "no data");
  if (noData.length) lines.push("", `Holding no data of their own: ${noData.map((r) => `${cell(r.name)} (${r.how})`).join(", ")}.`);
  lines.push("", "## Data flows out of a resource", "");
  if (e.flows.length === 0) lines.push("None: no input of the plan sends data anywhere.");
  else {
    lines.push("| from | input | lands in | region | proven by | verdict |", "|---|---|---|---|---|---|");
    for (const f of e.flows) lines.push(`| ${cell(f.name)} | \`${cell(f.path)}\` | ${cell(f.lands)} | ${f.region ?? "—"} | ${cell(f.proof)} | ${f.verdict === "allowed" ? "allowed" : `**${f.verdict}**`} |`);
  }
  lines.push("", "## Exemptions", "");
  if (e.exemptions.length === 0) lines.push("None.");
  else {
    lines.push("| policy | exempts | covers | justification |", "|---|---|---|---|");
    for (const x of e.exemptions) lines.push(`| \`${x.policy}\` | ${cell(x.resource)} | ${x.covers.length ? x.covers.map((u) => cell(u.split("::").pop() ?? u)).join(", ") : "nothing in this plan"} | ${cell(x.justification)} |`);
  }
  lines.push("");
  return lines.join("\n");
}
