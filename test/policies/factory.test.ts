import { describe as group, expect, it } from "vitest";
import { PlanBuilder } from "../support/snapshot-builder";
import { checkPlan, describe, mandatory } from "../fixtures/policies/check";
import { factoryPlan } from "../fixtures/policies/factory-plan";
import { EU_RESIDENCY_PACK, GUARDRAILS_PACK, SECRETS_PACK } from "../../policies/packs";

// A partial plan for the residency, guardrails and secrets packs (no runner, no VPC endpoints): the tenant-isolation
// proofs are held on the repository's real plans (test/policies/tenant-isolation).
const PACKS = [EU_RESIDENCY_PACK, GUARDRAILS_PACK, SECRETS_PACK];

group("a compliant factory plan", () => {
  it("passes every mandatory policy of both packs in one EU region", async () => {
    const result = await checkPlan(factoryPlan("eu-north-1").b.snapshot(), {}, PACKS);
    expect(describe(result)).toBe(describe({ ...result, diagnostics: result.diagnostics.filter((d) => d.enforcementLevel === "advisory") }));
    expect(mandatory(result)).toEqual([]);
    expect(result.failures).toEqual([]);
  });

  it("passes across several EU regions and the sovereign partition at once", async () => {
    const b = new PlanBuilder({ "aws:region": "eu-north-1" });
    factoryPlan("eu-north-1", b, "sto");
    factoryPlan("eu-south-2", b, "mad");
    factoryPlan("eusc-de-east-1", b, "sov");
    const result = await checkPlan(b.snapshot(), {}, PACKS);
    expect(describe(result)).not.toMatch(/^mandatory|^error/m);
  });
});
