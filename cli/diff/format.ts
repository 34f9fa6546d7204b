// Number and text formatting for the review: the same bytes on every machine (no locale).

/** 12500 → "12,500"; 1234.5 → "1,234.5"; at most two decimals. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Math.round(value * 100) / 100;
  const negative = rounded < 0;
  const [whole, fraction] = Math.abs(rounded).toString().split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}

/** A figure with its unit, or "–" where a plan does not have it. */
export function formatFigure(value: number | string | null, unit?: string): string {
  if (value === null) return "–";
  const text = typeof value === "number" ? formatNumber(value) : value;
  return unit ? `${text} ${unit}` : text;
}

/** "+1,024 (+4.1%)" for numbers that moved; empty when nothing changed or the values are not numbers. */
export function formatDelta(before: number | string | null, after: number | string | null): string {
  if (typeof before !== "number" || typeof after !== "number" || before === after) return "";
  const delta = after - before;
  const sign = delta > 0 ? "+" : "";
  const pct = before !== 0 ? ` (${sign}${formatNumber((delta / before) * 100)}%)` : "";
  return `${sign}${formatNumber(delta)}${pct}`;
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
