import type { Finding } from "./schema";

// How a finding reads on a terminal: `error gigafactory:factory.pools.train.instanceType: <what> — <what to do> (file:line:col)`.

export interface Where {
  file: string;
  line: number;
  column: number;
}

// Line breaks and other control characters a user wrote are shown escaped, so a finding is always one line.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text as a terminal line may show it: control characters (a newline, an escape, a direction override) escaped. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (c) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

/** `where` is a location, or the text `file:line:col` already written. */
export function formatFinding(f: Finding, where?: Where | string): string {
  const hint = f.hint ? ` — ${oneLine(f.hint)}` : "";
  const at = where === undefined || where === "" ? "" : typeof where === "string" ? ` (${where})` : ` (${where.file}:${where.line}:${where.column})`;
  return `${f.level} ${oneLine(f.path)}: ${oneLine(f.message)}${hint}${oneLine(at)}`;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.level === "error");
}
