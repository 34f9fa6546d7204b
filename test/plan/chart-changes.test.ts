import { describe, expect, it } from "vitest";
import { chartChanges, chartStep } from "../../plan/chart-changes";
import type { PlanSnapshot } from "../../plan/snapshot";

// What a Kubernetes minor bump moves among the cluster's Helm releases, read from the blueprints of two plans.

const plan = (charts: { chart: string; version: string; supports: string | null }[]) => ({ spec: {}, blueprint: { charts } }) as unknown as PlanSnapshot;
const KUEUE = { chart: "kueue", version: "0.19.2", supports: "1.29 or newer" };
const JOBSET = { chart: "jobset", version: "0.12.0", supports: "1.21 or newer" };

describe("the chart step of an upgrade", () => {
  it("names each release that moves, with the range of the new one, before the ones kept", () => {
    const changes = chartChanges(plan([KUEUE, JOBSET]), plan([{ ...KUEUE, version: "0.20.0", supports: "1.31 or newer" }, JOBSET]), "1.35", "1.36");
    expect(changes.moved).toEqual(["kueue 0.19.2 → 0.20.0 (1.31 or newer)"]);
    expect(changes.kept).toEqual(["jobset 0.12.0 (1.21 or newer)"]);
    expect(chartStep(changes, "1.36")).toBe(
      "the in-cluster charts (platform layer, after the add-ons, from the releases core/catalog/kubernetes/1.36.ts selects): upgrades kueue 0.19.2 → 0.20.0 (1.31 or newer); kept, each supporting 1.36: jobset 0.12.0 (1.21 or newer)",
    );
  });

  it("names charts installed or removed", () => {
    const changes = chartChanges(plan([KUEUE]), plan([JOBSET]), "1.33", "1.34");
    expect(changes).toEqual({ moved: [], added: ["jobset 0.12.0 (1.21 or newer)"], removed: ["kueue 0.19.2"], kept: [] });
  });

  it("says plainly when no release moves, and reads plans from before the blueprint had charts", () => {
    expect(chartStep(chartChanges(plan([KUEUE]), plan([KUEUE]), "1.33", "1.34"), "1.34")).toContain("changes no chart release; kept, each supporting 1.34: kueue 0.19.2 (1.29 or newer)");
    const old = { spec: {}, blueprint: {} } as unknown as PlanSnapshot;
    const fromOld = chartChanges(old, plan([KUEUE]), "1.33", "1.34");
    expect(fromOld.kept).toEqual(["kueue 0.19.2 (1.29 or newer)"]);
    expect(fromOld.added).toEqual([]);
  });

  it("judged on the specs alone, before any plan, compares the releases the two minors' data files select", () => {
    const changes = chartChanges({ spec: {} }, { spec: {} }, "1.33", "1.34");
    expect(changes.moved).toEqual([]);
    expect(changes.kept).toContain("gpu-operator v26.3.3 (1.32 to 1.35)");
  });
});
