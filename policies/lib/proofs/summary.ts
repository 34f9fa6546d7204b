import { PROPERTIES, verdictOf, type Proof, type PropertyName } from "./types";
import type { Proofs } from "./prove";

// The proofs as a reader sees them: one line for a review ("128 tenants isolated: S3 ✓ KMS ✓ Lustre ✓ network ✓")
// and a section for the auditor's evidence, each property with its verdict, what it was proven over, what breaks it
// and the platform's own principals.

const MARKS: [string, PropertyName][] = [
  ["S3", "tenant-s3-isolated"],
  ["KMS", "tenant-key-isolated"],
  ["Lustre", "tenant-lustre-isolated"],
  ["namespace", "tenant-namespace-isolated"],
  ["network", "tenant-network-isolated"],
];

const mark = (ok: boolean | undefined) => (ok === undefined ? "?" : ok ? "✓" : "✗");

/** The review's line, from each property's verdict (true proven, false not, undefined not run). */
export function provenLine(tenants: number, proven: (p: PropertyName) => boolean | undefined): string {
  const isolated = MARKS.every(([, p]) => proven(p) === true);
  const paths = (["tenant-pods-reach-services", "deploy-path-reaches-api", "gpu-nodes-reach-services", "no-external-flows"] as PropertyName[]).map((p) => `${p} ${mark(proven(p))}`);
  return `${tenants} tenant${tenants === 1 ? "" : "s"} ${isolated ? "isolated" : "not proven isolated"}: ${MARKS.map(([label, p]) => `${label} ${mark(proven(p))}`).join(" ")}; ${paths.join(", ")}`;
}

const cell = (t: string) => t.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function proofsMarkdown(p: Proofs): string {
  const all = Object.values(p.proofs) as Proof[];
  const lines = ["", "## Isolation and reachability proofs", "", provenLine(p.tenants.length, (name) => verdictOf(p.proofs[name]) === "proven"), "", "| property | proves | over | verdict |", "|---|---|---|---|"];
  for (const proof of all) lines.push(`| \`${proof.property}\` | ${cell(PROPERTIES[proof.property])} | ${cell(proof.over)} | ${verdictOf(proof)} |`);
  for (const proof of all) {
    if (proof.findings.length === 0 && proof.notes.length === 0) continue;
    lines.push("", `### ${proof.property}`, "");
    for (const f of proof.findings.slice(0, 50)) lines.push(`- **${f.kind}**${f.tenant ? ` (${f.tenant})` : ""}: ${f.message}`);
    if (proof.findings.length > 50) lines.push(`- … and ${proof.findings.length - 50} more`);
    for (const n of proof.notes.slice(0, 30)) lines.push(`- ${n}`);
  }
  lines.push("");
  return lines.join("\n");
}
