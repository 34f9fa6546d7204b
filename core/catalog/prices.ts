import type { Price } from "./types";

// On-demand list prices, EUR per instance-hour. Every figure is an estimate [U]: AWS publishes USD
// (converted here at 0.92 EUR/USD) and cut P4/P5 prices in June 2025; confirm with the Price List API
// (`aws pricing get-products --service-code AmazonEC2`) before budgeting. The blueprint marks cost as an estimate.
const EUR_PER_USD = 0.92; // [U] a round rate for estimates, not a quote

const usd = (instanceType: string, region: string, usdPerHour: number): Price => ({
  instanceType,
  region,
  onDemandEURPerHour: Math.round(usdPerHour * EUR_PER_USD * 100) / 100,
  source: `estimate from a USD list price of ${usdPerHour}/h [U]`,
});

const PRICES: Price[] = [
  usd("p5.48xlarge", "eu-north-1", 55.04),
  usd("p5en.48xlarge", "eu-north-1", 63.3),
  usd("p5en.48xlarge", "eu-south-2", 66.5),
  usd("p4d.24xlarge", "eu-north-1", 21.96),
  usd("p4d.24xlarge", "eu-central-1", 23.2),
  usd("p4d.24xlarge", "eu-west-1", 22.5),
  usd("p4de.24xlarge", "eu-central-1", 28.1),
];

// Where no regional figure is known: the type's US list price, still an estimate.
const FALLBACK_USD: Record<string, number> = {
  "p4d.24xlarge": 21.96,
  "p4de.24xlarge": 27.45,
  "p5.48xlarge": 55.04,
  "p5e.48xlarge": 60.0,
  "p5en.48xlarge": 63.3,
  "p6-b200.48xlarge": 113.9,
  "p6e-gb200.36xlarge": 95.0,
  "trn2.48xlarge": 44.7,
};

/** The price of one instance-hour in a region: the regional estimate, else the type's, else undefined. */
export function onDemandPrice(instanceType: string, region: string): Price | undefined {
  const exact = PRICES.find((p) => p.instanceType === instanceType && p.region === region);
  if (exact) return exact;
  const fallback = FALLBACK_USD[instanceType];
  return fallback === undefined ? undefined : { ...usd(instanceType, region, fallback), source: `no ${region} figure: US list price ${fallback}/h [U]` };
}

/** FSx for Lustre PERSISTENT_2 SSD, EUR per TiB-month by throughput tier [U: list prices vary by region]. */
export const LUSTRE_EUR_PER_TIB_MONTH: Readonly<Record<number, number>> = {
  125: 0.145 * 1024 * EUR_PER_USD,
  250: 0.21 * 1024 * EUR_PER_USD,
  500: 0.34 * 1024 * EUR_PER_USD,
  1000: 0.6 * 1024 * EUR_PER_USD,
};
