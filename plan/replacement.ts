// Reads the replacement table (plan/replacement-table.ts): the rules for a resource type, and the effect of
// one changed input. A type or field the table does not know is classed `replace`, with a note, never as
// harmless.

import {
  AWS_COMMON_FIELDS,
  AWS_REPLACEMENT_TABLE,
  HELM_RELEASE_TABLE,
  KUBERNETES_FORCE_NEW,
  KUBERNETES_SOURCE,
  PROVIDER_REPLACEMENT_TABLE,
  type FieldEffect,
  type FieldRule,
  type ReplacementTable,
  type TypeRules,
} from "./replacement-table";

export type { FieldEffect, FieldRule, FieldRules, ReplacementTable, TypeRules } from "./replacement-table";

/** Each aws:* row with the fields every AWS resource has (tags, region) in front of its own: a new table. */
export function withAwsCommonFields(table: ReplacementTable): ReplacementTable {
  const rows: Record<string, TypeRules> = {};
  for (const [type, rules] of Object.entries(table)) {
    rows[type] = type.startsWith("aws:") ? { ...rules, fields: { ...AWS_COMMON_FIELDS, ...rules.fields } } : rules;
  }
  return rows;
}

const AWS_RULES = withAwsCommonFields(AWS_REPLACEMENT_TABLE);

// Kubernetes types that are not one object of a kind: Helm v4 charts, YAML and Kustomize groups are components.
const NOT_KUBERNETES_OBJECTS = ["kubernetes:helm.sh/v4", "kubernetes:yaml/", "kubernetes:kustomize/"];

/** The rules for a Kubernetes object type such as `kubernetes:core/v1:ConfigMap` or a custom resource. */
function kubernetesRules(type: string): TypeRules {
  const release = lookup(HELM_RELEASE_TABLE, type);
  if (release) return release;
  const kind = type.slice(type.lastIndexOf(":") + 1);
  const fields: Record<string, FieldEffect> = { "metadata.name": "replace", "metadata.namespace": "replace" };
  for (const f of lookup(KUBERNETES_FORCE_NEW, kind) ?? []) fields[f] = "replace";
  return { source: KUBERNETES_SOURCE, fields, otherFields: "in-place" };
}

/** The rules for a resource type, or undefined when the table does not know it. */
export function rulesFor(type: string): TypeRules | undefined {
  const known = lookup(AWS_RULES, type) ?? lookup(PROVIDER_REPLACEMENT_TABLE, type);
  if (known) return known;
  if (type.startsWith("kubernetes:") && !NOT_KUBERNETES_OBJECTS.some((prefix) => type.startsWith(prefix))) {
    return kubernetesRules(type);
  }
  return undefined;
}

// Own keys only: a type named like an Object method (`constructor`) is not in the table.
function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export interface FieldVerdict {
  effect: FieldEffect;
  note?: string;
  known: boolean;
}

const RANK: Record<FieldEffect, number> = { "in-place": 0, rolling: 1, replace: 2 };

/**
 * The effect of one changed input path (`scalingConfig.desiredSize`, `networkInterfaces[3].interfaceType`).
 * The longest table entry that is a prefix of the path decides; a whole block that changed takes the worst
 * of the entries inside it; anything else is unknown and classed `replace`.
 */
export function fieldEffect(rules: TypeRules, path: string, before: unknown, after: unknown): FieldVerdict {
  const segments = normalisePath(path);
  let best: { key: string[]; rule: FieldRule } | undefined;
  for (const [key, value] of Object.entries(rules.fields)) {
    const keySegments = key.split(".");
    if (keySegments.length <= segments.length && keySegments.every((s, i) => s === segments[i])) {
      if (!best || keySegments.length > best.key.length) best = { key: keySegments, rule: asRule(value) };
    }
  }
  if (best) return applyRule(best.rule, before, after);

  let inner: FieldRule | undefined;
  for (const [key, value] of Object.entries(rules.fields)) {
    const keySegments = key.split(".");
    if (keySegments.length > segments.length && segments.every((s, i) => s === keySegments[i])) {
      const rule = asRule(value);
      if (!inner || RANK[rule.effect] > RANK[inner.effect]) inner = rule;
    }
  }
  if (inner) return { effect: inner.effect, note: inner.note, known: true };
  if (rules.otherFields) return { effect: rules.otherFields, known: true };
  return { effect: "replace", known: false, note: "field not in the replacement table: classed as a replacement until it is" };
}

function asRule(value: FieldEffect | FieldRule): FieldRule {
  return typeof value === "string" ? { effect: value } : value;
}

function applyRule(rule: FieldRule, before: unknown, after: unknown): FieldVerdict {
  if (rule.whenDecreases && typeof before === "number" && typeof after === "number" && after < before) {
    return { effect: rule.whenDecreases, note: rule.note, known: true };
  }
  if (rule.whenRemoved && before !== undefined && before !== null && (after === undefined || after === null || (Array.isArray(after) && after.length === 0))) {
    return { effect: rule.whenRemoved, note: "removing it is irreversible: the provider replaces the resource", known: true };
  }
  return { effect: rule.effect, note: rule.whenDecreases ? undefined : rule.note, known: true };
}

/** `networkInterfaces[3].interfaceType` → ["networkInterfaces", "interfaceType"]. */
export function normalisePath(path: string): string[] {
  const segments: string[] = [];
  for (const m of path.matchAll(/\["((?:[^"\\]|\\.)*)"\]|\[\d+\]|([^.[\]]+)/g)) {
    if (m[1] !== undefined) segments.push(JSON.parse(`"${m[1]}"`) as string);
    else if (m[2] !== undefined) segments.push(m[2]);
  }
  return segments;
}
