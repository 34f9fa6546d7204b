import type { Report, Section, Table } from "./model";

// The report as a terminal shows it: aligned facts and tables, no colour (it goes into CI logs too).

export function renderText(report: Report): string {
  const out: string[] = [report.title, "=".repeat(report.title.length)];
  for (const s of report.sections) out.push("", ...sectionLines(s));
  return `${out.join("\n")}\n`;
}

/** One section: its title underlined, its facts aligned, its tables, its notes. */
export function sectionLines(s: Section): string[] {
  const out = [s.title, "-".repeat(s.title.length)];
  const width = Math.max(0, ...s.facts.map(([k]) => k.length));
  for (const [k, v] of s.facts) out.push(`  ${k.padEnd(width)}  ${v}`);
  for (const t of s.tables) out.push(...tableLines(t).map((l) => `  ${l}`));
  for (const n of s.notes) out.push(`  ${n}`);
  return out;
}

function tableLines(t: Table): string[] {
  const widths = t.columns.map((c, i) => Math.max(c.length, ...t.rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (t.numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(t.columns), line(widths.map((w) => "-".repeat(w))), ...t.rows.map(line)];
}
