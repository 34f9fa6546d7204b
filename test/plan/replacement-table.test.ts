import { beforeAll, describe, expect, it } from "vitest";
import type * as Table from "../../plan/replacement-table";
import type * as Reader from "../../plan/replacement";

// The table is loaded on its own first, so what it holds can be compared before and after the reader loads.
let table: typeof Table;
let asLoaded: Record<string, unknown>;
let reader: typeof Reader;
let ALL_ROWS: Table.ReplacementTable;
beforeAll(async () => {
  table = await import("../../plan/replacement-table");
  asLoaded = structuredClone({ ...table });
  reader = await import("../../plan/replacement");
  ALL_ROWS = { ...table.AWS_REPLACEMENT_TABLE, ...table.PROVIDER_REPLACEMENT_TABLE, ...table.HELM_RELEASE_TABLE };
});

function fieldRuleProblems(type: string, field: string, rule: unknown): string[] {
  const kinds: readonly unknown[] = table.FIELD_EFFECTS;
  if (typeof rule === "string") return kinds.includes(rule) ? [] : [`${type} ${field}: "${rule}" is not one of ${kinds.join(", ")}`];
  if (rule === null || typeof rule !== "object") return [`${type} ${field}: neither an effect nor a rule`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(rule)) {
    if (key === "effect" || key === "whenDecreases" || key === "whenRemoved") {
      if (!kinds.includes(value)) problems.push(`${type} ${field}.${key}: "${String(value)}" is not an effect`);
    } else if (key === "note") {
      if (typeof value !== "string" || value === "") problems.push(`${type} ${field}.note: not a sentence`);
    } else problems.push(`${type} ${field}: unknown key ${key}`);
  }
  if (!("effect" in rule)) problems.push(`${type} ${field}: no effect`);
  return problems;
}

describe("the replacement table is well-formed data", () => {
  it("names every AWS row by a type token pkg:module/name:Type", () => {
    const bad = Object.keys(table.AWS_REPLACEMENT_TABLE).filter((t) => !/^aws:[a-z0-9]+\/[a-zA-Z0-9]+:[A-Z][A-Za-z0-9]*$/.test(t));
    expect(bad).toEqual([]);
    expect(Object.keys(table.AWS_REPLACEMENT_TABLE).length).toBeGreaterThan(50);
  });

  it("names providers pulumi:providers:<pkg> and Helm releases kubernetes:…, and each Kubernetes kind by its name", () => {
    expect(Object.keys(table.PROVIDER_REPLACEMENT_TABLE).filter((t) => !/^pulumi:(providers:[a-z0-9-]+|pulumi:StackReference)$/.test(t))).toEqual([]);
    expect(Object.keys(table.HELM_RELEASE_TABLE).filter((t) => !/^kubernetes:[a-z0-9.-]+\/v[0-9a-z]+:[A-Z][A-Za-z0-9]*$/.test(t))).toEqual([]);
    expect(Object.keys(table.KUBERNETES_FORCE_NEW).filter((k) => !/^[A-Z][A-Za-z0-9]*$/.test(k))).toEqual([]);
  });

  it("gives every row a source and every field one of the allowed effects", () => {
    const problems: string[] = [];
    for (const [type, rules] of Object.entries(ALL_ROWS)) {
      if (typeof rules.source !== "string" || rules.source.trim().length < 10) problems.push(`${type}: no source`);
      if (rules.otherFields !== undefined && !(table.FIELD_EFFECTS as readonly string[]).includes(rules.otherFields)) {
        problems.push(`${type}: otherFields "${rules.otherFields}" is not an effect`);
      }
      for (const [field, rule] of Object.entries(rules.fields)) problems.push(...fieldRuleProblems(type, field, rule));
    }
    for (const [field, rule] of Object.entries(table.AWS_COMMON_FIELDS)) problems.push(...fieldRuleProblems("aws:*", field, rule));
    expect(problems).toEqual([]);
    expect(table.KUBERNETES_SOURCE).toMatch(/pulumi-kubernetes/);
  });

  it("cites the Terraform provider file behind every AWS row", () => {
    const bad = Object.entries(table.AWS_REPLACEMENT_TABLE).filter(([, r]) => !/^terraform-provider-aws internal\/service\/[a-z0-9]+\/\w+\.go/.test(r.source));
    expect(bad.map(([t]) => t)).toEqual([]);
  });
});

describe("the replacement table is never changed", () => {
  it("is deeply frozen: no reader can change a row", () => {
    const frozen = (value: unknown): boolean =>
      value === null || typeof value !== "object" || (Object.isFrozen(value) && Object.values(value).every(frozen));
    for (const [name, value] of Object.entries(table)) if (typeof value === "object") expect(frozen(value), name).toBe(true);
    expect(() => {
      (table.AWS_REPLACEMENT_TABLE["aws:eks/nodeGroup:NodeGroup"].fields as Record<string, string>).amiType = "in-place";
    }).toThrow(TypeError);
  });

  it("holds the same rows after the reader has loaded and answered", () => {
    reader.rulesFor("aws:eks/nodeGroup:NodeGroup");
    reader.rulesFor("kubernetes:core/v1:ConfigMap");
    expect({ ...table }).toEqual(asLoaded);
    // The common AWS fields reach the reader's answer, not the row.
    expect(table.AWS_REPLACEMENT_TABLE["aws:eks/nodeGroup:NodeGroup"].fields).not.toHaveProperty("tags");
    expect(reader.rulesFor("aws:eks/nodeGroup:NodeGroup")?.fields).toMatchObject({ tags: "in-place", region: "replace", amiType: "replace" });
  });

  it("answers every row through the reader, AWS rows with the common fields first", () => {
    for (const [type, rules] of Object.entries(table.AWS_REPLACEMENT_TABLE)) {
      expect(reader.rulesFor(type)).toEqual({ ...rules, fields: { ...table.AWS_COMMON_FIELDS, ...rules.fields } });
    }
    expect(reader.rulesFor("pulumi:providers:aws")).toBe(table.PROVIDER_REPLACEMENT_TABLE["pulumi:providers:aws"]);
    expect(reader.rulesFor("constructor")).toBeUndefined();
  });
});
