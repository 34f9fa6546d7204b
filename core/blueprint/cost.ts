import type { CapacitySpec } from "../spec/schema";
import { onDemandPrice } from "../catalog";
import { round } from "./figures";

// What the GPU nodes cost, EUR, from the catalog's on-demand figures (every one an estimate [U]).
// - on-demand and odcr: the on-demand rate; an ODCR is billed at that rate whether used or not
//   (docs/sources.md#ec2-capacity-reservations [U]), so a reserved node costs the same idle or busy.
// - capacity-block: the on-demand figure as a stand-in; blocks are paid upfront at their own price.
// - spot: the on-demand figure, an upper bound: spot prices float and no sourced discount exists for
//   P instances in the EU, so the plan never promises a saving it cannot cite.

// A month of 730 hours (8,760 h / 12), the month AWS's price list and calculator use [U].
export const HOURS_PER_MONTH = 730;

export interface PoolCost {
  costPerHourEUR: number;
  /** What the figure rests on, for blueprint.estimates. */
  estimates: string[];
}

export function poolCost(pool: string, instanceTypeName: string, region: string, nodes: number, capacity: CapacitySpec): PoolCost {
  const price = onDemandPrice(instanceTypeName, region);
  if (!price) {
    return { costPerHourEUR: 0, estimates: [`pool ${pool}: no price known for ${instanceTypeName} in ${region}; costed at 0`] };
  }
  const estimates = [`pool ${pool}: ${instanceTypeName} at ${price.onDemandEURPerHour} EUR/h per node (${price.source})`];
  if (capacity.source === "spot") estimates.push(`pool ${pool}: spot costed at the on-demand figure, an upper bound (spot prices float; no sourced discount)`);
  if (capacity.source === "capacity-block") estimates.push(`pool ${pool}: capacity blocks costed at the on-demand figure; blocks are paid upfront at their own price`);
  if (capacity.source === "odcr") estimates.push(`pool ${pool}: ODCRs billed at the on-demand rate whether used or not [U]`);
  return { costPerHourEUR: round(nodes * price.onDemandEURPerHour, 2), estimates };
}

export const perMonth = (perHourEUR: number): number => round(perHourEUR * HOURS_PER_MONTH, 2);
