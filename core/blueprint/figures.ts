import { decimal } from "../lib/numbers";

// How the blueprint writes its figures: counts in messages, sums free of floating-point noise.

/** 1234567 → "1,234,567": messages read the same on every machine, whatever its locale. */
export function formatCount(n: number): string {
  return decimal(n, 6);
}

/** Rounds away floating-point noise from sums of catalog figures (10.2 kW × 3 = 30.599999...). */
export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
