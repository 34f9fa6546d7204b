import { LAYERS } from "../../core/blueprint/layers";
import type { PlanSnapshot } from "../../plan/snapshot";
import { worstDisruption } from "./disruption";
import type { ResourceChange, StackUpdate } from "./types";

// A factory deploys as one stack per layer: a pull request updates the stacks its changes fall in, lowest layer
// first, since each layer reads the ones below it. Plans made before layers have none to name.

export function stacksToUpdate(before: PlanSnapshot, after: PlanSnapshot, changes: readonly ResourceChange[]): StackUpdate[] {
  const known = new Map([...(before.layers ?? []), ...(after.layers ?? [])].map((l) => [l.name, l]));
  if (known.size === 0) return [];
  const rank = (layer: string) => {
    const i = (LAYERS as readonly string[]).indexOf(layer);
    return i < 0 ? LAYERS.length : i;
  };
  const out: StackUpdate[] = [];
  for (const layer of [...known.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))) {
    const mine = changes.filter((c) => c.layer === layer);
    if (mine.length === 0) continue;
    const l = known.get(layer)!;
    const count = (kind: ResourceChange["kind"]) => mine.filter((c) => c.kind === kind).length;
    out.push({
      layer,
      project: l.project,
      stack: l.stack,
      create: count("create"),
      update: count("update"),
      replace: count("replace"),
      delete: count("delete"),
      disruption: worstDisruption(mine.map((c) => c.disruption)),
    });
  }
  return out;
}
