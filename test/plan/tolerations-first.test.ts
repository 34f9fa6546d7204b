import { beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_TAINT } from "../../core/blueprint/labels";
import { diffSnapshots } from "../../cli/diff/index";
import { renderMarkdown } from "../../cli/diff/markdown";
import { judgeAgainstBaseline } from "../../cli/commands/baseline";
import type { PlanSnapshot } from "../../plan/snapshot";
import { tolerates, tolerationsFirst } from "../../plan/tolerations-first";
import { plannedSnapshot } from "../support/planned-stacks";

// A factory deployed before its system nodes were tainted: the change taints them in the compute layer (their launch
// template changes, so they roll) and gives the controllers of the platform layer the toleration. Applied lowest layer
// first, the roll evicts the controllers onto tainted nodes they cannot yet tolerate; the review says to apply
// platform first.

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

/** `value` without any toleration of `key`, as a plan made before the toleration existed has it. */
function withoutToleration(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.filter((v) => !(typeof v === "object" && v !== null && (v as { key?: unknown }).key === key && "operator" in v)).map((v) => withoutToleration(v, key));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutToleration(v, key)]));
}

/** The plan as it was before the system pool had its taint: no node group has it, no resource tolerates it. */
function beforeTheTaint(plan: PlanSnapshot): PlanSnapshot {
  return {
    ...plan,
    resources: plan.resources.map((r) => {
      const inputs = withoutToleration(r.inputs, SYSTEM_TAINT.key) as Record<string, unknown>;
      if (r.type === NODE_GROUP && Array.isArray(inputs.taints)) inputs.taints = (inputs.taints as { key: string }[]).filter((t) => t.key !== SYSTEM_TAINT.key);
      return { ...r, inputs };
    }),
  };
}

let after: PlanSnapshot;
let before: PlanSnapshot;
beforeAll(async () => {
  after = await plannedSnapshot("dev");
  before = beforeTheTaint(after);
});

describe("system nodes tainted in the same change that teaches the platform's pods to tolerate them", () => {
  it("asks for the in-cluster layers before the compute layer, naming the taint, the node group and the pods' resources", () => {
    const first = tolerationsFirst(before, after)!;
    expect(first).not.toBeNull();
    expect(first.nodeLayer).toBe("compute");
    // The platform's controllers, and the tenants' CronJobs that run on the system pool.
    expect(first.firstLayers).toEqual(["platform", "tenants"]);
    const system = after.resources.filter((r) => r.type === NODE_GROUP && JSON.stringify(r.inputs.taints).includes(SYSTEM_TAINT.key));
    expect(first.taints).toEqual([{ taint: `${SYSTEM_TAINT.key}=${SYSTEM_TAINT.value}:NO_SCHEDULE`, nodeGroups: system.map((r) => r.name) }]);
    // Every platform resource that tolerates the taint now and did not before, and nothing else.
    const late = after.resources.filter((r) => (r.layer === "platform" || r.layer === "tenants") && tolerates(r.inputs, SYSTEM_TAINT.key)).map((r) => `${r.type} ${r.name}`);
    expect(late.length).toBeGreaterThan(3);
    expect(first.resources).toEqual(late);
  });

  it("says so on the review's first screen, beside the stacks in the order a plain `pulumi up` would take", () => {
    const review = renderMarkdown(diffSnapshots(before, after));
    const stacks = review.slice(review.indexOf("### Stacks to update"));
    expect(stacks).toMatch(/\*\*Apply `platform` and `tenants` before `compute` for this change\.\*\* Nodes gain the taint `gigafactory\.io\/system=true:NO_SCHEDULE`/);
    expect(stacks).toContain("stay Pending until `platform` and `tenants` are applied");
  });

  it("is said by `plan --baseline` too, against the plan deployed", () => {
    const lines = judgeAgainstBaseline(before, after);
    expect(lines.some((l) => /apply platform and tenants before compute: nodes gain gigafactory\.io\/system=true:NO_SCHEDULE, which \d+ resources of platform and tenants learn to tolerate/.test(l))).toBe(true);
    expect(judgeAgainstBaseline(after, after).some((l) => l.includes("apply "))).toBe(false);
  });

  it("asks nothing when the pods tolerated the taint already, or when no node gains one", () => {
    // Node groups without the taint, every pod already tolerating it: the taint alone is safe in the usual order.
    const toleratedAlready = { ...after, resources: after.resources.map((r) => (r.type === NODE_GROUP ? before.resources.find((b) => b.urn === r.urn)! : r)) };
    expect(tolerationsFirst(toleratedAlready, after)).toBeNull();
    expect(tolerationsFirst(after, after)).toBeNull();
    expect(tolerationsFirst(after, before)).toBeNull();
    expect(diffSnapshots(after, after).tolerationsFirst).toBeNull();
  });

  it("asks nothing for a new node group born with the taint: no pod ran on its nodes before", () => {
    const noGroups = { ...before, resources: before.resources.filter((r) => r.type !== NODE_GROUP) };
    expect(tolerationsFirst(noGroups, after)).toBeNull();
  });
});

describe("a toleration", () => {
  it("of the key, or of every taint, tolerates; a node selector or a label of the same key does not", () => {
    expect(tolerates({ spec: { tolerations: [{ key: "k", operator: "Exists" }] } }, "k")).toBe(true);
    expect(tolerates({ values: { controller: { tolerations: [{ key: "k", operator: "Equal", value: "true", effect: "NoSchedule" }] } } }, "k")).toBe(true);
    expect(tolerates([{ operator: "Exists" }], "k")).toBe(true);
    expect(tolerates({ nodeSelector: { k: "true" }, labels: { key: "k" } }, "k")).toBe(false);
    expect(tolerates([{ key: "other", operator: "Exists" }], "k")).toBe(false);
  });
});
