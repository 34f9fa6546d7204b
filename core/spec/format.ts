import type { Finding } from "./schema";

// How a finding reads on a terminal: `error gigafactory:factory.pools.train.instanceType: <what> — <what to do> (file:line:col)`.

export interface Where {
  file: string;
  line: number;
  column: number;
}

/** `where` is a location, or the text `file:line:col` already written. */
export function formatFinding(f: Finding, where?: Where | string): string {
  const hint = f.hint ? ` — ${f.hint}` : "";
  const at = where === undefined || where === "" ? "" : typeof where === "string" ? ` (${where})` : ` (${where.file}:${where.line}:${where.column})`;
  return `${f.level} ${f.path}: ${f.message}${hint}${at}`;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.level === "error");
}
