// One way to write a number, for every reader: the plan report, `quotas`, the review of a diff and the findings.
// Grouped thousands ("12,500"), no locale (the same bytes on every machine), power in MW or kW by its size, money
// rounded to what a budget reads (whole euros; millions with two decimals), to the cent only below a hundred.

/** 1234567 → "1,234,567"; 1234.5 with 1 digit → "1,234.5"; -0 and a rounding to zero read "0". */
export function fixed(n: number, digits: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [whole, fraction] = Math.abs(n).toFixed(digits).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const negative = n < 0 && /[1-9]/.test(whole + (fraction ?? ""));
  return `${negative ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** A whole count: 12500 → "12,500". */
export function count(n: number): string {
  return fixed(n, 0);
}

/** At most `digits` decimals, trailing zeros dropped: 1612.80 → "1,612.8", 120 → "120". */
export function decimal(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return String(n);
  const text = fixed(n, digits);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** A share as a percentage: 0.0102 → "1.0%". */
export function percent(share: number, digits = 1): string {
  return `${fixed(share * 100, digits)}%`;
}

/** A signed change: "+1,024", "-23.8"; "0" for none. */
export function signed(n: number, digits = 2): string {
  const text = decimal(n, digits);
  return n > 0 && text !== "0" ? `+${text}` : text;
}

/** MW from 1,000 kW on (a site is sized in MW), kW below: the unit of the larger of the figures compared. */
export function powerUnit(...kW: number[]): "MW" | "kW" {
  return Math.max(0, ...kW.map((v) => Math.abs(v))) >= 1000 ? "MW" : "kW";
}

/** 127500 → "127.50 MW"; 652.8 → "652.8 kW"; `unit` keeps two figures of one table in one unit. */
export function power(kW: number, unit: "MW" | "kW" = powerUnit(kW)): string {
  return unit === "MW" ? `${fixed(kW / 1000, 2)} MW` : `${fixed(kW, 1)} kW`;
}

/** Millions from one million euros on, whole euros from a hundred, cents only below (a small stack's hourly cost). */
export function moneyScale(...eur: number[]): "million" | "whole" | "cents" {
  const largest = Math.max(0, ...eur.map((v) => Math.abs(v)));
  return largest >= 1e6 ? "million" : largest >= 100 ? "whole" : "cents";
}

/** 518309176.96 → "EUR 518.31 million"; 237404.16 → "EUR 237,404"; 12.5 → "EUR 12.50". */
export function eur(amount: number, scale = moneyScale(amount)): string {
  if (scale === "million") return `EUR ${fixed(amount / 1e6, 2)} million`;
  return `EUR ${fixed(amount, scale === "whole" ? 0 : 2)}`;
}

/** Bytes in the largest decimal unit that keeps the figure at least 1 (checkpoints are quoted in TB). */
export function bytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${fixed(v, v >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
}

/**
 * A figure with its unit as every report writes it: power and money by their size (`reference` holds the other
 * figures of the same row, so before and after share a unit), anything else grouped with at most two decimals.
 */
export function measure(value: number, unit?: string, reference: number[] = []): string {
  if (unit === "kW") return power(value, powerUnit(value, ...reference));
  if (unit === "EUR") return eur(value, moneyScale(value, ...reference));
  return unit ? `${decimal(value)} ${unit}` : decimal(value);
}

/** The change between two figures in the same unit: "+0.65 MW", "+EUR 2.74 million", "+512 GPUs (+0.54%)". */
export function measureDelta(before: number, after: number, unit?: string): string {
  const delta = after - before;
  if (delta === 0) return "";
  const sign = delta > 0 ? "+" : "-";
  const size = measure(Math.abs(delta), unit, [before, after]);
  const pct = before !== 0 ? ` (${signed((delta / before) * 100)}%)` : "";
  return `${sign}${size}${pct}`;
}
