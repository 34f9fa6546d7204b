import { describe, expect, it } from "vitest";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { checkPlan, mandatory } from "../../fixtures/policies/check";
import { plannedSnapshot, REPO_STACKS } from "../../support/planned-stacks";

// Principals of another account are refused wherever the plan admits one: an access entry, a Pod Identity
// role, a trust or resource policy.

const violations = async (s: PlanSnapshot, config = {}) => mandatory(await checkPlan(s, config), "no-cross-account-principals").map((d) => `${d.resourceName}: ${d.message.split(" — ")[0]}`);

function tampered(base: PlanSnapshot): PlanSnapshot {
  const s = structuredClone(base);
  const entry = structuredClone(s.resources.find((r) => r.type === "aws:eks/accessEntry:AccessEntry")!);
  entry.name = "partner-admin";
  entry.urn = entry.urn.replace(/::[^:]+$/, "::partner-admin");
  entry.inputs = { ...entry.inputs, principalArn: "arn:aws:iam::999999999999:role/partner-admin" };
  s.resources.push(entry);
  const role = s.resources.find((r) => r.type === "aws:iam/role:Role" && String(r.inputs.assumeRolePolicy).includes(":root"))!;
  role.inputs.assumeRolePolicy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::123456789012:root", "444455556666"] }, Action: "sts:AssumeRole" }] });
  return s;
}

describe("no-cross-account-principals", () => {
  it.each(REPO_STACKS)("accepts the %s plan, whose principals are all the factory's", async (stack) => {
    expect(await violations(await plannedSnapshot(stack))).toEqual([]);
  });

  it("refuses an access entry for another account's role and a trust policy naming another account", async () => {
    const out = (await violations(tampered(await plannedSnapshot("dev")))).sort();
    expect(out).toHaveLength(2);
    expect(out[1]).toMatch(/^partner-admin: `principalArn` admits arn:aws:iam::999999999999:role\/partner-admin, a principal of account 999999999999, not the factory's \(123456789012\)/);
    expect(out[0]).toMatch(/the policy in `assumeRolePolicy` grants 444455556666, a principal of account 444455556666/);
  });

  it("accepts another account listed by decision", async () => {
    const config = { "no-cross-account-principals": { allowedAccountIds: ["999999999999", "444455556666"] } };
    expect(await violations(tampered(await plannedSnapshot("dev")), config)).toEqual([]);
  });
});
