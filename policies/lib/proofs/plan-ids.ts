import type { PlanResource } from "../plan";
import type { PlanView } from "./view";

// A plan holds a resource's inputs, not the id AWS gives it: an id shows only where another resource carries it
// (a rule's group, an association's subnet). Each id is tied to the resource that makes it by elimination over the
// resources that carry ids of a kind and depend on resources of the types that make them: a route-table association
// carrying one subnet id and depending on one subnet names that subnet; once tied, an id and its maker drop out of
// every other carrier, which may then name theirs. Dependencies across layers come through the stack references
// (policies/harness/runtime-args.ts), so a whole plan ties every id it makes; an id left untied is made elsewhere.

export interface IdKind {
  /** The id's shape, e.g. /^subnet-[0-9a-f]+$/. */
  pattern: RegExp;
  /** The types whose resources make such ids. */
  makers: readonly string[];
}

function idsIn(value: unknown, pattern: RegExp, out: Set<string>, depth = 0): Set<string> {
  if (depth > 12) return out;
  if (typeof value === "string") {
    if (pattern.test(value)) out.add(value);
  } else if (Array.isArray(value)) for (const v of value) idsIn(v, pattern, out, depth + 1);
  else if (value && typeof value === "object") for (const v of Object.values(value)) idsIn(v, pattern, out, depth + 1);
  return out;
}

/** Id → the URN of the resource that makes it, for the ids of one kind the plan's resources carry. */
export function tieIds(view: PlanView, kind: IdKind): Map<string, string> {
  const makers = new Set(kind.makers.flatMap((t) => view.ofType(t).map((r) => r.urn)));
  const carriers = view.resources
    .filter((r) => !makers.has(r.urn) || kind.makers.length > 1)
    .map((r: PlanResource) => ({ ids: [...idsIn(r.props, kind.pattern, new Set())], makers: [...new Set(r.dependencies)].filter((d) => makers.has(d) && d !== r.urn) }))
    .filter((c) => c.ids.length > 0 && c.makers.length > 0);
  const tied = new Map<string, string>();
  const taken = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of carriers) {
      const ids = c.ids.filter((i) => !tied.has(i));
      const candidates = c.makers.filter((m) => !taken.has(m));
      if (ids.length === 1 && candidates.length === 1) {
        tied.set(ids[0], candidates[0]);
        taken.add(candidates[0]);
        changed = true;
      }
    }
  }
  return tied;
}
