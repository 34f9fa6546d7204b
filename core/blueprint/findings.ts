import { CONFIG_KEY, type Finding, type FindingLevel } from "../spec/schema";

// Every finding names the YAML path under the stack config key, e.g. gigafactory:factory.pools.train.nodes.

export function finding(level: FindingLevel, path: string, message: string, hint: string): Finding {
  return { path: `${CONFIG_KEY}.${path}`, level, message, hint };
}

/** 1234567 → "1,234,567": messages read the same on every machine, whatever its locale. */
export function formatCount(n: number): string {
  const [whole, fraction] = String(n).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** Rounds away floating-point noise from sums of catalog figures (10.2 kW × 3 = 30.599999...). */
export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
