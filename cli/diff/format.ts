import { decimal, measure, measureDelta } from "../../core/lib/numbers";

// Number and text formatting for the review: numbers as core/lib/numbers.ts writes them everywhere.

/** 12500 → "12,500"; 1234.5 → "1,234.5"; at most two decimals. */
export function formatNumber(value: number): string {
  return decimal(value);
}

/** A figure with its unit, or "–" where a plan does not have it; `reference`: the other figures of its row. */
export function formatFigure(value: number | string | null, unit?: string, reference: (number | string | null)[] = []): string {
  if (value === null) return "–";
  if (typeof value !== "number") return unit ? `${value} ${unit}` : value;
  return measure(value, unit, reference.filter((r): r is number => typeof r === "number"));
}

/** "+1,024 (+4.1%)" for numbers that moved, power and money in the unit of their row; empty when nothing changed. */
export function formatDelta(before: number | string | null, after: number | string | null, unit?: string): string {
  if (typeof before !== "number" || typeof after !== "number" || before === after) return "";
  return measureDelta(before, after, unit === "kW" || unit === "EUR" ? unit : undefined);
}

/** Text safe inside a markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** `aws:eks/nodeGroup:NodeGroup` → `eks NodeGroup`; `kubernetes:core/v1:ConfigMap` → `k8s ConfigMap`. */
export function shortType(type: string): string {
  const [pkg, mod, name] = type.split(":");
  if (!name) return type;
  if (pkg === "pulumi") return `${mod} ${name}`;
  const module = mod.split("/")[0];
  return `${pkg === "kubernetes" ? "k8s" : module} ${name}`;
}
