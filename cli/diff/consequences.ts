import { sizingProvenance, type SizedValue } from "../../core/blueprint/provenance";
import type { FactorySpec } from "../../core/spec/schema";
import { decimal } from "../../core/lib/numbers";
import type { PlanSnapshot } from "../../plan/snapshot";
import { carriersOf } from "./carriers";
import { DISRUPTION_ORDER, worstDisruption } from "./disruption";
import { segments, touches } from "./spec-changes";
import type { Consequence, ConsequenceResources, DisruptionClass, InputChange, ResourceChange, SpecChange } from "./types";

// Why resources change, in the spec's words: each changed input is joined through the carriers (carriers.ts) to the
// sized value it carries, the value to the spec fields it was sized from (the blueprint's provenance), and those to
// what this pull request changed. "storage.checkpoint.seconds 120 → 60 ⇒ Lustre capacity 1,612,800 → 1,228,800 GiB ⇒
// fsx LustreFileSystem replace: data-loss".

type Bindings = { tenant?: string; pool?: string; group?: string };
const VALUES_LISTED = 5;

export function traceConsequences(before: PlanSnapshot, after: PlanSnapshot, changes: ResourceChange[], spec: SpecChange[]): Consequence[] {
  const provenance = new Map(provenanceOf(after, before).map((v) => [v.value, v]));
  const sides = [side(before), side(after)] as const;
  const names = namesOf(before, after);
  // Thousands of resources carry a few hundred values: each value is read once.
  const moves = new Map<string, { before: unknown; after: unknown } | null>();
  const movedAt = (path: string) => {
    let m = moves.get(path);
    if (m === undefined) {
      const b = valueAt(sides[0].root, path);
      const a = valueAt(sides[1].root, path);
      m = JSON.stringify(b) === JSON.stringify(a) ? null : { before: b, after: a };
      moves.set(path, m);
    }
    return m;
  };
  const traces = new Map<string, { causes: SpecChange[]; key: string }>();
  const groups = new Map<string, { consequence: Consequence; seen: Set<string>; resources: Map<string, ConsequenceResources> }>();
  for (const change of changes) {
    const bound = bindingsOf(change, names);
    const reached: { value: SizedValue; path: string; bindings: Bindings; input?: InputChange; before: unknown; after: unknown }[] = [];
    const explain = (input: InputChange | undefined) => {
      for (const carrier of carriersOf(change.type, input?.path)) {
        const bindings: Bindings = { ...bound, ...(carrier.match?.groups ?? {}) };
        if (carrier.tenant && !bindings.tenant) continue;
        for (const template of carrier.values) {
          const value = provenance.get(template);
          const path = bind(template, bindings);
          if (!value || path === undefined) continue;
          const moved = movedAt(path);
          if (!moved) continue;
          reached.push({ value, path, bindings, input, before: moved.before, after: moved.after });
          return;
        }
      }
    };
    if (change.kind === "create" || change.kind === "delete") explain(undefined);
    else for (const input of change.inputs) explain(input);
    for (const r of reached) {
      let traced = traces.get(r.path);
      if (!traced) {
        const causes = causesOf(r.value, r.bindings, spec);
        traced = { causes, key: `${r.value.value}\u0000${causes.map((c) => c.path).join("\u0001")}` };
        traces.set(r.path, traced);
      }
      const { causes, key } = traced;
      let g = groups.get(key);
      if (!g) {
        const consequence: Consequence = { causes, value: r.value.value, label: r.value.label, values: [], instances: 0, resources: [], disruption: "none" };
        if (r.value.unit) consequence.unit = r.value.unit;
        g = { consequence, seen: new Set(), resources: new Map() };
        groups.set(key, g);
      }
      const name = bindingName(r.value.value, r.bindings);
      if (!g.seen.has(name)) {
        g.seen.add(name);
        g.consequence.instances++;
        g.consequence.values.push({ name, before: shown(r.before), after: shown(r.after) });
      }
      const disruption = inputDisruption(change, r.input);
      const rkey = `${change.type}\u0000${change.kind}\u0000${disruption}\u0000${change.disruption}`;
      const res = g.resources.get(rkey) ?? { type: change.type, kind: change.kind, disruption, resourceDisruption: change.disruption, count: 0, example: change.name, inputs: [], notes: [] };
      // A resource counts once, however many of its inputs carry the value.
      if (!g.seen.has(change.urn)) res.count++;
      g.seen.add(change.urn);
      if (change.name < res.example) res.example = change.name;
      if (r.input && !res.inputs.includes(r.input.path) && res.inputs.length < 3) res.inputs.push(r.input.path);
      for (const n of [r.input?.note, ...(disruption === "data-loss" ? change.notes.slice(0, 1) : [])]) if (n && !res.notes.includes(n)) res.notes.push(n);
      g.resources.set(rkey, res);
    }
  }
  const out = [...groups.values()].map(({ consequence, resources }) => {
    consequence.values.sort((x, y) => (x.name < y.name ? -1 : 1));
    consequence.values = consequence.values.slice(0, VALUES_LISTED);
    consequence.label = labelOf(consequence);
    consequence.resources = [...resources.values()].sort((x, y) => rank(y.disruption) - rank(x.disruption) || y.count - x.count);
    consequence.disruption = worstDisruption(consequence.resources.map((r) => r.disruption));
    return consequence;
  });
  return out.sort((x, y) => rank(y.disruption) - rank(x.disruption) || total(y) - total(x) || (x.value < y.value ? -1 : 1));
}

const rank = (d: DisruptionClass) => DISRUPTION_ORDER.indexOf(d);
const total = (c: Consequence) => c.resources.reduce((s, r) => s + r.count, 0);

/** The provenance the plans carry; a plan made before it has it sized from its spec by today's rules. */
function provenanceOf(...snapshots: PlanSnapshot[]): SizedValue[] {
  for (const s of snapshots) {
    const p = (s.blueprint as { provenance?: unknown }).provenance;
    if (Array.isArray(p) && p.length > 0) return p as SizedValue[];
  }
  return sizingProvenance(snapshots[0].spec as Partial<FactorySpec>);
}

interface Side {
  root: Record<string, unknown>;
}

/** Node groups (with their pool) and tenants of both plans, by name: what a resource's name may hold whole. */
interface Names {
  groups: Map<string, string>;
  tenants: Set<string>;
}

function side(s: PlanSnapshot): Side {
  return { root: { ...s.blueprint, spec: s.spec } };
}

function namesOf(...snapshots: PlanSnapshot[]): Names {
  const names: Names = { groups: new Map(), tenants: new Set() };
  for (const s of snapshots) {
    const bp = s.blueprint as { nodeGroups?: { name: string; pool: string }[]; tenants?: { name: string }[] };
    for (const g of bp.nodeGroups ?? []) names.groups.set(g.name, g.pool);
    for (const t of bp.tenants ?? []) names.tenants.add(t.name);
  }
  return names;
}

/**
 * The tenant, pool and node group a resource belongs to: its tags, then the longest node group and tenant its name
 * holds whole, between dashes (`gf-nordics-h200-a-su151-152-ng`, `gf-nordics-scheduling-acme-quota`).
 */
function bindingsOf(change: ResourceChange, names: Names): Bindings {
  const out: Bindings = {};
  if (change.tenant) out.tenant = change.tenant;
  if (change.pool) out.pool = change.pool;
  const words = change.name.split("-");
  let group: string | undefined;
  let tenant: string | undefined;
  for (let i = 0; i < words.length; i++) {
    let part = "";
    for (let j = i; j < words.length; j++) {
      part = j === i ? words[i] : `${part}-${words[j]}`;
      if (names.groups.has(part) && (!group || part.length > group.length)) group = part;
      if (names.tenants.has(part) && (!tenant || part.length > tenant.length)) tenant = part;
    }
  }
  if (group) {
    out.group = group;
    out.pool ??= names.groups.get(group);
  }
  if (tenant) out.tenant ??= tenant;
  return out;
}

/** The template with its names filled in; undefined when the resource does not bind one it needs. */
function bind(template: string, b: Bindings): string | undefined {
  let missing = false;
  const path = template.replace(/\{(tenant|pool|group)\}/g, (_, k: keyof Bindings) => {
    const v = b[k];
    if (v === undefined) missing = true;
    return v ?? "";
  });
  return missing ? undefined : path;
}

function bindingName(template: string, b: Bindings): string {
  const names = [...template.matchAll(/\{(tenant|pool|group)\}/g)].map((m) => b[m[1] as keyof Bindings]).filter(Boolean);
  return names.join(" ") || template;
}

/** What the pull request changed of the fields the value is sized from, in the order provenance lists them. */
function causesOf(value: SizedValue, b: Bindings, spec: SpecChange[]): SpecChange[] {
  const out: SpecChange[] = [];
  for (const from of value.from) {
    const template = from.replace(/\{(tenant|pool|group)\}/g, (_, k: keyof Bindings) => b[k] ?? "*");
    for (const c of spec) if (touches(c.path, template) && !out.includes(c)) out.push(c);
  }
  return out;
}

/** A value in a blueprint (or, after `spec.`, the spec), named lists indexed by name. */
export function valueAt(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const seg of segments(path)) {
    if (Array.isArray(v)) v = v.find((x) => (x as { name?: unknown })?.name === seg) ?? (/^\d+$/.test(seg) ? v[Number(seg)] : undefined);
    else if (v && typeof v === "object") v = (v as Record<string, unknown>)[seg];
    else return undefined;
  }
  return v;
}

function shown(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "number") return decimal(v, 4);
  if (typeof v === "string" || typeof v === "boolean") return String(v);
  return "present";
}

/** A data-bearing resource replaced for this input loses its data: the input's own class says only `replace`. */
function inputDisruption(change: ResourceChange, input: InputChange | undefined): DisruptionClass {
  if (!input) return change.disruption;
  if (input.disruption === "replace" && change.disruption === "data-loss") return "data-loss";
  return input.disruption;
}

/** "Lustre capacity"; "GPU quota of acme"; "GPUs each tenant may borrow (128 tenants)". */
function labelOf(c: Consequence): string {
  const names = c.value.match(/\{(tenant|pool|group)\}/);
  if (!names) return c.label;
  if (c.instances === 1) return c.label.replace(/\{(tenant|pool|group)\}/g, c.values[0]?.name ?? "");
  const noun = { tenant: "tenants", pool: "pools", group: "node groups" }[names[1] as "tenant" | "pool" | "group"];
  return `${c.label.replace(/\{(tenant|pool|group)\}/g, `each of ${decimal(c.instances)} ${noun}`)}`;
}
