import { shortType } from "../diff/format";
import { count } from "../report/format";
import type { Reconciliation, ReconciledResource } from "./index";

// The reconciliation as a section of the pull request's one sticky comment, below the offline review.

const RECONCILE_HEADING = "The real preview beside the offline review";
const ROWS = 25;
const OPS = ["create", "update", "replace", "delete"] as const;

export function renderReconcileMarkdown(r: Reconciliation, options: { title?: string } = {}): string {
  const out: string[] = [`#### ${options.title ?? RECONCILE_HEADING}`, ""];
  if (r.projects.length === 0) {
    out.push("No `pulumi preview` result to compare: the real preview did not run (no AWS role for OIDC, or a fork).", "");
    return `${out.join("\n")}\n`;
  }
  out.push("| project | " + OPS.join(" | ") + " | errors |", "|---|" + OPS.map(() => "---:").join("|") + "|---:|");
  for (const p of r.projects) out.push(`| \`${p.project}\` | ${OPS.map((op) => count(p.changeSummary[op] ?? 0)).join(" | ")} | ${count(p.errors.length)} |`);
  out.push("");

  if (r.realOnly.length > 0) {
    out.push(
      `> [!WARNING]`,
      `> **The real engine replaces or deletes ${count(r.realOnly.length)} resource${r.realOnly.length === 1 ? "" : "s"} the offline review does not show as replaced or deleted.** The offline review understates this change: read these before approving.`,
      "",
      ...table(r.realOnly, ["resource", "type", "real engine", "because of", "offline review"], (x) => [
        `\`${x.name}\``,
        shortType(x.type),
        `**${x.real}**`,
        x.realReasons.length ? x.realReasons.map((f) => `\`${f}\``).join(", ") : "-",
        x.offline === "unchanged" ? "unchanged" : `${x.offline}${x.offlineDisruption ? ` (\`${x.offlineDisruption}\`)` : ""}`,
      ]),
      "",
    );
  } else {
    out.push("Every replacement and deletion the real engine plans is in the offline review.", "");
  }
  if (r.offlineOnly.length > 0) {
    out.push(
      `The offline review replaces or deletes ${count(r.offlineOnly.length)} resource${r.offlineOnly.length === 1 ? "" : "s"} the real engine does not: the deployed state differs from the base of this pull request, or the provider updates in place what the offline table replaces.`,
      "",
      ...table(r.offlineOnly, ["resource", "type", "offline review", "inputs it names", "real engine"], (x) => [
        `\`${x.name}\``,
        shortType(x.type),
        `${x.offline}${x.offlineDisruption ? ` (\`${x.offlineDisruption}\`)` : ""}`,
        x.offlineInputs.length ? x.offlineInputs.slice(0, 4).map((f) => `\`${f}\``).join(", ") : "-",
        x.realReasons.length ? `update (${x.realReasons.map((f) => `\`${f}\``).join(", ")})` : "no replacement",
      ]),
      "",
    );
  }
  if (r.agreed.length > 0) out.push(`${count(r.agreed.length)} replacement${r.agreed.length === 1 ? "" : "s"} and deletions agree: ${r.agreed.slice(0, 5).map((x) => `\`${x.name}\``).join(", ")}${r.agreed.length > 5 ? ", …" : ""}.`, "");
  const errors = r.projects.flatMap((p) => p.errors.map((e) => ({ project: p.project, e })));
  if (errors.length > 0) {
    out.push("Errors the real engine reported (a mandatory policy violation, a program error):", "");
    for (const { project, e } of errors.slice(0, ROWS)) out.push(`- \`${project}\`: ${e.split("\n").slice(0, 3).join(" ").slice(0, 400)}`);
    if (errors.length > ROWS) out.push(`- … and ${count(errors.length - ROWS)} more in the run's artifacts`);
    out.push("");
  }
  return `${out.join("\n")}\n`;
}

function table(rows: ReconciledResource[], columns: string[], cells: (r: ReconciledResource) => string[]): string[] {
  const lines = [`| ${columns.join(" | ")} |`, `|${columns.map(() => "---").join("|")}|`];
  for (const r of rows.slice(0, ROWS)) lines.push(`| ${cells(r).map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`);
  if (rows.length > ROWS) lines.push(`| … and ${count(rows.length - ROWS)} more (\`gigafactory reconcile --json\`) | | | | |`);
  return lines;
}
