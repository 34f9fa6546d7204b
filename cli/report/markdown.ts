import type { Report, Table } from "./model";

// The same report as a pull request shows it: headings, two-column fact tables and GitHub tables.

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderMarkdown(report: Report): string {
  const out: string[] = [`# ${report.title}`];
  for (const s of report.sections) {
    out.push("", `## ${s.title}`);
    if (s.facts.length) out.push("", ...markdownTable({ columns: ["", ""], numeric: [false, false], rows: s.facts.map(([k, v]) => [`**${k}**`, v]) }));
    for (const t of s.tables) out.push("", ...markdownTable(t));
    if (s.notes.length) out.push("", ...s.notes.map((n) => `- ${cell(n)}`));
  }
  return `${out.join("\n")}\n`;
}

function markdownTable(t: Table): string[] {
  return [
    `| ${t.columns.map(cell).join(" | ")} |`,
    `|${t.numeric.map((n) => (n ? " ---: " : " --- ")).join("|")}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
}
