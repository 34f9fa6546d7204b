import { describe, expect, it } from "vitest";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { checkPlan, mandatory } from "../../fixtures/policies/check";
import { plannedSnapshot } from "../../support/planned-stacks";

// A pull-through cache rule is a runtime pull from its upstream: only the upstreams of the factory's pinned
// images may be one.

function withRule(base: PlanSnapshot, upstreamRegistryUrl: unknown): PlanSnapshot {
  const s = structuredClone(base);
  const rule = structuredClone(s.resources.find((r) => r.type === "aws:ecr/pullThroughCacheRule:PullThroughCacheRule")!);
  rule.name = "extra-upstream";
  rule.urn = rule.urn.replace(/::[^:]+$/, "::extra-upstream");
  rule.inputs = { ...rule.inputs, ecrRepositoryPrefix: "extra", upstreamRegistryUrl };
  s.resources.push(rule);
  return s;
}

const violations = async (s: PlanSnapshot, config = {}) => mandatory(await checkPlan(s, config), "residency-pull-through-upstreams").map((d) => d.message.split(" — ")[0]);

describe("residency-pull-through-upstreams", () => {
  it("accepts the factory's own rules", async () => {
    expect(await violations(await plannedSnapshot("dev"))).toEqual([]);
  });

  it("refuses a rule that pulls from Docker Hub, and one whose upstream cannot be read", async () => {
    const dev = await plannedSnapshot("dev");
    expect(await violations(withRule(dev, "registry-1.docker.io"))).toEqual(["the rule pulls from registry-1.docker.io at run time, outside the factory's pinned upstreams (public.ecr.aws, registry.k8s.io, quay.io)"]);
    expect(await violations(withRule(dev, "[secret]"))).toEqual(["the rule's upstreamRegistryUrl is not known at plan time, so what it pulls cannot be proven"]);
  });

  it("accepts an upstream the config allows by decision", async () => {
    const config = { "residency-pull-through-upstreams": { allowedUpstreams: ["public.ecr.aws", "registry.k8s.io", "quay.io", "ghcr.io"] } };
    expect(await violations(withRule(await plannedSnapshot("dev"), "https://ghcr.io/"), config)).toEqual([]);
  });
});
