import { describe, expect, it } from "vitest";
import { controllerSizing } from "../../../core/blueprint/controller-sizing";
import { designedStack } from "../../fixtures/kubernetes/stacks";

// The controllers' memory follows what they cache: a factory of more nodes, pods and jobs gets more, and the
// gigafactory's Kueue, which caches 12,500 nodes and their pods for topology-aware scheduling, is far past its
// chart's 512 Mi.

const gib = (q: string) => Number(q.replace(/Mi$/, "")) / 1024;
const factory = (nodes: number, gpusPerNode = 8, tenants = 10) => ({ nodes, totalGpus: nodes * gpusPerNode, tenants: Array.from({ length: tenants }, () => ({})) as never, system: { scaling: { minSize: 3, desiredSize: 3, maxSize: 10 } } });

describe("the controllers' requests and limits", () => {
  it("give the gigafactory's Kueue at least 4 GiB for its 12,500 nodes, requests equal to limits", () => {
    const { blueprint } = designedStack("gigafactory");
    expect(blueprint.nodes).toBeGreaterThanOrEqual(12_500);
    const { kueue } = controllerSizing(blueprint);
    expect(gib(kueue.limits.memory)).toBeGreaterThanOrEqual(4);
    expect(kueue.requests.memory).toBe(kueue.limits.memory);
  });

  it("grow with the nodes, for every controller that caches them, and never shrink", () => {
    const sizes = [16, 512, 4_000, 12_500, 25_000].map((n) => controllerSizing(factory(n)));
    for (const c of ["kueue", "nfdMaster", "gpuOperator", "jobset", "mpiOperator"] as const) {
      const mib = sizes.map((s) => s[c].memoryMiB);
      for (let i = 1; i < mib.length; i++) expect(mib[i], `${c} at step ${i}`).toBeGreaterThan(mib[i - 1]);
      const limits = sizes.map((s) => gib(s[c].limits.memory));
      for (let i = 1; i < limits.length; i++) expect(limits[i]).toBeGreaterThanOrEqual(limits[i - 1]);
    }
    expect(gib(sizes[0].kueue.limits.memory)).toBeLessThan(1);
  });

  it("grow with the jobs a node carries and with the tenants cert-manager serves", () => {
    expect(controllerSizing(factory(4_000, 8)).kueue.memoryMiB).toBeGreaterThan(controllerSizing(factory(4_000, 4)).kueue.memoryMiB);
    expect(controllerSizing(factory(100, 8, 500)).certManager.memoryMiB).toBeGreaterThan(controllerSizing(factory(100, 8, 10)).certManager.memoryMiB);
  });
});
