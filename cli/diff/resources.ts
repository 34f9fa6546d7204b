import type { PlanSnapshot, SnapshotResource } from "../../plan/snapshot";
import { worstDisruption } from "./disruption";
import { diffInputs, renderValue } from "./inputs";
import { unifiedDiff } from "./text-diff";
import { fieldEffect, normalisePath, rulesFor } from "../../plan/replacement";
import { removedDataGuards } from "../../plan/data-guards";
import { dataAtStake, isStateBearing } from "../../plan/state-bearing";
import type { DisruptionClass, InputChange, ResourceChange } from "./types";

// Resources matched by URN: what is created, deleted, updated in place or replaced, and how disruptive each is.

export interface Attribution {
  /** Scalable unit names of both plans (e.g. `train-su001`). */
  units: ReadonlySet<string>;
  /** Unit name → pool name. */
  unitPool: ReadonlyMap<string, string>;
  pools: ReadonlySet<string>;
}

export interface ResourceDiff {
  changes: ResourceChange[];
  unchanged: number;
}

const TAG_POOL = "gigafactory:pool";
const TAG_TENANT = "gigafactory:tenant";

export function diffResources(before: PlanSnapshot, after: PlanSnapshot, attribution: Attribution): ResourceDiff {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const now = new Map(after.resources.map((r) => [r.urn, r]));
  const urns = [...new Set([...old.keys(), ...now.keys()])].sort();
  const changes: ResourceChange[] = [];
  let unchanged = 0;
  for (const urn of urns) {
    const b = old.get(urn);
    const a = now.get(urn);
    const change = a && b ? compare(b, a) : a ? created(a) : deleted(b as SnapshotResource);
    if (!change) {
      unchanged++;
      continue;
    }
    Object.assign(change, attribute(a ?? (b as SnapshotResource), attribution));
    changes.push(change);
  }
  propagateProviderReplacement(changes, now);
  return { changes, unchanged };
}

function created(r: SnapshotResource): ResourceChange {
  return base(r, "create", r.custom ? "in-place" : "none", []);
}

function deleted(r: SnapshotResource): ResourceChange {
  const notes: string[] = [];
  let disruption: DisruptionClass = r.custom ? "replace" : "none";
  if (isStateBearing(r.type)) {
    disruption = "data-loss";
    notes.push("state-bearing: deleting it loses its data", ...stakeNotes(r.type));
    if (r.protect) notes.push("protected: `pulumi up` refuses to delete it until `protect` is removed");
    if (r.retainOnDelete) notes.push("retainOnDelete: the cloud resource is kept, but the stack no longer manages it");
  }
  return base(r, "delete", disruption, notes);
}

function stakeNotes(type: string): string[] {
  const stake = dataAtStake(type);
  return [`at stake: ${stake.data}`, `to keep it: ${stake.migrate}`];
}

function compare(b: SnapshotResource, a: SnapshotResource): ResourceChange | undefined {
  const ignored = a.ignoreChanges.map(normalisePath);
  const raw = diffInputs(b.inputs, a.inputs).filter((c) => !ignored.some((ig) => startsWith(normalisePath(c.path), ig)));
  const notes: string[] = [];
  const stateBearing = isStateBearing(a.type);
  const classes: DisruptionClass[] = [];

  if (!a.custom) {
    // A component's own inputs change nothing in the cloud; its children carry the change.
    if (raw.length === 0) return undefined;
    const inputs = raw.map((c) => toInputChange(c, "none"));
    return { ...base(a, "update", "none", ["component: its children carry the change"]), inputs };
  }

  const rules = rulesFor(a.type);
  if (!rules && raw.length > 0) notes.push(`type ${a.type} is not in the replacement table: every change to it is classed as a replacement`);
  const inputs: InputChange[] = raw.map((c) => {
    if (!rules) return toInputChange(c, "replace", "unknown type");
    const verdict = fieldEffect(rules, c.path, c.before, c.after);
    return toInputChange(c, verdict.effect, verdict.note);
  });
  if (rules?.note && inputs.some((i) => i.disruption !== "in-place")) notes.push(rules.note);
  classes.push(...inputs.map((i) => i.disruption));

  const providerChanged = providerUrn(b.provider) !== providerUrn(a.provider);
  if (providerChanged) {
    classes.push("replace");
    notes.push("its provider changed: the engine replaces it unless both providers are the same");
  }

  const protectionLost: string[] = [];
  if (b.protect && !a.protect) protectionLost.push("`protect`");
  if (b.retainOnDelete && !a.retainOnDelete) protectionLost.push("`retainOnDelete`");
  // What a change does to the data, wherever the property sits and whatever the type: always data-loss.
  const guardsLost = removedDataGuards(b.inputs, a.inputs);
  if (guardsLost.length > 0) {
    classes.push("data-loss");
    notes.push(`data at risk: ${guardsLost.map((g) => `\`${g.path}\`: ${g.what}`).join("; ")}`);
  }
  if (protectionLost.length > 0) {
    if (stateBearing) {
      classes.push("data-loss");
      notes.push(`protection removed from a state-bearing resource: ${protectionLost.join(", ")}`);
    } else {
      classes.push("in-place");
      notes.push(`protection removed: ${protectionLost.join(", ")}`);
    }
  }
  if (!b.protect && a.protect) notes.push("now protected (`protect`)");
  if (b.protect !== a.protect || b.retainOnDelete !== a.retainOnDelete || b.deleteBeforeReplace !== a.deleteBeforeReplace) {
    classes.push("in-place");
  }

  if (classes.length === 0) return undefined;
  const replaced = providerChanged || inputs.some((i) => i.disruption === "replace");
  let disruption = worstDisruption(classes);
  if (replaced && stateBearing) {
    disruption = "data-loss";
    notes.push("state-bearing: replacing it creates an empty one and deletes the old one with its data", ...stakeNotes(a.type));
  }
  if (replaced && a.deleteBeforeReplace) notes.push("deleteBeforeReplace: the old one goes before the new one exists");
  const change = base(a, replaced ? "replace" : "update", disruption, notes);
  change.inputs = inputs;
  return change;
}

function toInputChange(c: { path: string; before: unknown; after: unknown; secret: boolean }, disruption: DisruptionClass, note?: string): InputChange {
  const change: InputChange = { path: c.path, secret: c.secret, disruption };
  if (!c.secret) {
    change.before = renderValue(c.before);
    change.after = renderValue(c.after);
    // A rendered file (several lines on either side) is read as a unified diff, not as its first line twice.
    if (typeof c.before === "string" && typeof c.after === "string" && (c.before.includes("\n") || c.after.includes("\n"))) {
      change.textDiff = unifiedDiff(c.before, c.after);
    }
  }
  if (note) change.note = note;
  return change;
}

function base(r: SnapshotResource, kind: ResourceChange["kind"], disruption: DisruptionClass, notes: string[]): ResourceChange {
  const change: ResourceChange = { urn: r.urn, type: r.type, name: r.name, kind, disruption, stateBearing: isStateBearing(r.type), inputs: [], notes };
  if (r.layer) change.layer = r.layer;
  return change;
}

function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => s === path[i]);
}

function providerUrn(ref: string | null): string | null {
  if (!ref) return null;
  const i = ref.lastIndexOf("::");
  return i > 0 ? ref.slice(0, i) : ref;
}

/** A provider that is replaced (a new region) replaces every resource it manages. */
function propagateProviderReplacement(changes: ResourceChange[], after: Map<string, SnapshotResource>): void {
  const replacedProviders = new Set(
    changes.filter((c) => c.type.startsWith("pulumi:providers:") && c.kind === "replace").map((c) => c.urn),
  );
  if (replacedProviders.size === 0) return;
  const byUrn = new Map(changes.map((c) => [c.urn, c]));
  for (const r of after.values()) {
    const p = providerUrn(r.provider);
    if (!p || !replacedProviders.has(p) || !r.custom) continue;
    const stateBearing = isStateBearing(r.type);
    const disruption: DisruptionClass = stateBearing ? "data-loss" : "replace";
    const note = `its provider ${p.slice(p.lastIndexOf("::") + 2)} is replaced`;
    const existing = byUrn.get(r.urn);
    if (existing) {
      if (existing.kind === "update") existing.kind = "replace";
      existing.disruption = worstDisruption([existing.disruption, disruption]);
      existing.notes.push(note);
    } else {
      const change = base(r, "replace", disruption, [note]);
      changes.push(change);
      byUrn.set(r.urn, change);
    }
  }
  changes.sort((x, y) => (x.urn < y.urn ? -1 : x.urn > y.urn ? 1 : 0));
}

/** The pool, scalable unit and tenant a resource belongs to, from its tags and its name. */
function attribute(r: SnapshotResource, at: Attribution): Pick<ResourceChange, "pool" | "unit" | "tenant"> {
  const out: Pick<ResourceChange, "pool" | "unit" | "tenant"> = {};
  const tags = tagsOf(r);
  const unit = unitInName(r.name, at.units);
  if (unit) {
    out.unit = unit;
    out.pool = at.unitPool.get(unit);
  }
  const pool = tags[TAG_POOL];
  if (typeof pool === "string" && at.pools.has(pool)) out.pool = pool;
  const tenant = tags[TAG_TENANT];
  if (typeof tenant === "string") out.tenant = tenant;
  return out;
}

function tagsOf(r: SnapshotResource): Record<string, unknown> {
  const inputs = r.inputs;
  const tags = inputs.tags;
  if (tags && typeof tags === "object") return tags as Record<string, unknown>;
  const metadata = inputs.metadata as { labels?: Record<string, unknown> } | undefined;
  return metadata?.labels ?? {};
}

/** Finds `<pool>-su<n>` inside a resource name such as `gf-nordics-h200-a-su001-ng`. */
function unitInName(name: string, units: ReadonlySet<string>): string | undefined {
  const re = /-su\d+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(name)) !== null) {
    const end = m.index + m[0].length;
    if (end < name.length && name[end] !== "-") continue;
    for (let start = 0; start < m.index; start++) {
      if (start > 0 && name[start - 1] !== "-") continue;
      const candidate = name.slice(start, end);
      if (units.has(candidate)) return candidate;
    }
  }
  return undefined;
}

