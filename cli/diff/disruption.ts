import type { DisruptionClass } from "./types";

/** From harmless to irreversible: the whole change takes the worst class of its parts. */
export const DISRUPTION_ORDER: readonly DisruptionClass[] = ["none", "in-place", "rolling", "replace", "data-loss"];

export function disruptionRank(c: DisruptionClass): number {
  return DISRUPTION_ORDER.indexOf(c);
}

export function worstDisruption(classes: Iterable<DisruptionClass>): DisruptionClass {
  let worst: DisruptionClass = "none";
  for (const c of classes) if (disruptionRank(c) > disruptionRank(worst)) worst = c;
  return worst;
}

/** What each class means to the people who run the factory, one line each. */
export const DISRUPTION_MEANING: Record<DisruptionClass, string> = {
  none: "no resource changes",
  "in-place": "resources updated or added in place, no workload touched",
  rolling: "GPU nodes drained and replaced (or removed) unit by unit",
  replace: "resources deleted and created again",
  "data-loss": "a state-bearing resource deleted or replaced, or its protection removed",
};
