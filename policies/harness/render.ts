import type { CheckResult, PolicyDiagnostic, PolicyFailure } from "./run";
import { exitCodeOf } from "./run";

// The check's result for people (text), for tools (JSON) and for a pull request (markdown). Every violation names
// the resource, the policy, the reason and the fix.

function resourceLabel(d: { urn?: string; resourceType?: string; resourceName?: string }): string {
  if (!d.urn) return "the whole plan";
  return d.resourceName && d.resourceType ? `${d.resourceName} (${d.resourceType})` : d.urn;
}

/** The policy message is "reason — fix"; the remediation steps are the policy's general fix. */
function split(message: string): { reason: string; fix?: string } {
  const i = message.lastIndexOf(" — ");
  return i < 0 ? { reason: message } : { reason: message.slice(0, i), fix: message.slice(i + 3) };
}

function counts(result: CheckResult) {
  const mandatory = result.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
  const advisory = result.diagnostics.length - mandatory;
  return { mandatory, advisory, failures: result.failures.length };
}

function verdict(result: CheckResult): string {
  const c = counts(result);
  if (exitCodeOf(result) === 0) return c.advisory ? `passed with ${c.advisory} advisory finding${c.advisory > 1 ? "s" : ""}` : "passed";
  const parts = [];
  if (c.mandatory) parts.push(`${c.mandatory} mandatory violation${c.mandatory > 1 ? "s" : ""}`);
  if (c.failures) parts.push(`${c.failures} polic${c.failures > 1 ? "ies" : "y"} failed to run`);
  return `failed: ${parts.join(", ")}${c.advisory ? `, ${c.advisory} advisory` : ""}`;
}

function packsLine(result: CheckResult): string {
  return result.packs.map((p) => `${p.name}@${p.version}`).join(", ");
}

export function renderCheckText(result: CheckResult): string {
  const lines = [`check ${result.project}/${result.stack}: ${result.resources} resources, packs ${packsLine(result)} — ${verdict(result)} (${result.durationMs} ms)`];
  const ordered = [...result.diagnostics].sort((a, b) => (a.enforcementLevel === b.enforcementLevel ? 0 : a.enforcementLevel === "mandatory" ? -1 : 1));
  for (const d of ordered) {
    const { reason, fix } = split(d.message);
    lines.push("");
    lines.push(`${d.enforcementLevel === "mandatory" ? "✗ mandatory" : "! advisory "}  ${d.policy} (${d.pack})`);
    lines.push(`    resource: ${resourceLabel(d)}`);
    if (d.urn) lines.push(`    urn:      ${d.urn}`);
    lines.push(`    reason:   ${reason}`);
    lines.push(`    fix:      ${fix ?? d.remediation ?? "see the policy's description"}`);
  }
  for (const f of result.failures) {
    lines.push("");
    lines.push(`✗ error      ${f.policy} (${f.pack})`);
    lines.push(`    ${f.message}`);
    lines.push(`    fix:      this is a defect in the policy; the other policies still ran — report it with the snapshot`);
  }
  return `${lines.join("\n")}\n`;
}

export function renderCheckJson(result: CheckResult): string {
  return `${JSON.stringify({ ...result, exitCode: exitCodeOf(result), summary: counts(result) }, null, 2)}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function row(d: PolicyDiagnostic): string {
  const { reason, fix } = split(d.message);
  return `| ${d.enforcementLevel} | \`${d.policy}\` | ${cell(resourceLabel(d))} | ${cell(reason)} | ${cell(fix ?? d.remediation ?? "")} |`;
}

function failureRow(f: PolicyFailure): string {
  return `| error | \`${f.policy}\` | ${cell(f.urn ?? "the whole plan")} | ${cell(f.message)} | defect in the policy: report it |`;
}

// A pull request comment holds 65,536 characters; a table row takes up to a few hundred.
const MARKDOWN_ROWS = 100;

export function renderCheckMarkdown(result: CheckResult): string {
  const icon = exitCodeOf(result) === 0 ? "✅" : "❌";
  const lines = [`### ${icon} Policy check: ${result.project}/${result.stack}`, "", `${result.resources} resources · packs ${packsLine(result)} · **${verdict(result)}**`, ""];
  if (result.diagnostics.length + result.failures.length > 0) {
    lines.push("| level | policy | resource | reason | fix |", "|---|---|---|---|---|");
    const ordered = [...result.diagnostics].sort((a, b) => (a.enforcementLevel === b.enforcementLevel ? 0 : a.enforcementLevel === "mandatory" ? -1 : 1));
    const rows = [...ordered.map(row), ...result.failures.map(failureRow)];
    lines.push(...rows.slice(0, MARKDOWN_ROWS));
    if (rows.length > MARKDOWN_ROWS) lines.push("", `… and ${rows.length - MARKDOWN_ROWS} more: \`gigafactory check --json\` lists them all.`);
    lines.push("");
  }
  lines.push("<details><summary>Policies run</summary>", "", "| pack | policy | level | applied to | violations |", "|---|---|---|---|---|");
  for (const r of result.runs) lines.push(`| ${r.pack} | \`${r.policy}\` | ${r.enforcementLevel} | ${r.kind === "stack" ? (r.applied ? "the plan" : "not applicable") : `${r.applied} resources`} | ${r.violations} |`);
  lines.push("", "</details>", "");
  return lines.join("\n");
}
