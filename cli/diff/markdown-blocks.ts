import { formatNumber } from "./format";

// The blocks every section of the review is built from: a table that stops before its budget and says what it left
// out, a fold (<details>), and markdown clipped at whole blocks.

/**
 * A table that stops before it would pass maxChars, ending with how many it left out (rows, or what the rows
 * stand for when `counts` says how many each row holds).
 */
export function boundedTable(header: string[], rows: string[], maxChars: number, noun: string, counts?: number[]): string[] {
  const out = [...header];
  let size = header.join("\n").length;
  let shown = 0;
  for (const row of rows) {
    if (size + row.length + 1 > maxChars && shown > 0) break;
    if (size + row.length + 1 > maxChars && maxChars < size + 200) break;
    out.push(row);
    size += row.length + 1;
    shown++;
  }
  if (shown < rows.length) {
    const left = counts ? counts.slice(shown).reduce((a, b) => a + b, 0) : rows.length - shown;
    out.push("", `… and ${formatNumber(left)} more ${noun}, left out to fit one comment (see \`--json\`).`);
  }
  return out;
}

export function fold(summary: string, body: string[], folded: boolean): string[] {
  if (!folded) return [`**${summary}**`, "", ...body, ""];
  return ["<details>", `<summary>${summary}</summary>`, "", ...body, "", "</details>", ""];
}

/** Keeps whole markdown blocks (paragraphs, tables, fenced code) up to maxChars. */
export function clipMarkdown(markdown: string, maxChars: number): string {
  if (markdown.length <= maxChars) return markdown;
  const blocks: string[] = [];
  let current: string[] = [];
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (!inFence && line.trim() === "" && current.length > 0) {
      blocks.push(current.join("\n"));
      current = [];
    } else if (line.trim() !== "" || inFence) current.push(line);
  }
  if (current.length > 0) blocks.push(current.join("\n"));
  const kept: string[] = [];
  let size = 0;
  for (const b of blocks) {
    if (size + b.length + 2 > maxChars) break;
    kept.push(b);
    size += b.length + 2;
  }
  const left = blocks.length - kept.length;
  kept.push(`… ${formatNumber(left)} more block${left === 1 ? "" : "s"} of the report left out to fit one comment.`);
  return kept.join("\n\n");
}
