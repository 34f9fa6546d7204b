import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planAccess } from "../../../../core/blueprint/access";
import { loadBalancerSubnetTags, INTERNAL_ELB_TAG } from "../../../../core/render/aws/login-path";
import { LOGIN_SERVICE_ANNOTATIONS, loginService, loginSourceRanges } from "../../../../core/render/slurm/slinky-values";
import { aiFactoryDoc, errorsOf, validate } from "../../../fixtures/spec/specs";
import { plannedSnapshot } from "../../../support/planned-stacks";
import { factorySpec } from "../../../fixtures/blueprint/spec";

// The tenants' way to the login pods: an internal NLB in the system subnets, admitting the VPC and the operator
// networks the spec names, and nothing else.

const octet = fc.integer({ min: 0, max: 255 });
const cidr = fc.oneof(
  fc.tuple(octet, octet, fc.integer({ min: 8, max: 28 })).map(([b, c, p]) => `10.${b}.${c}.0/${p}`),
  fc.tuple(octet, octet, fc.integer({ min: 0, max: 32 })).map(([a, b, p]) => `${a}.${b}.0.0/${p}`),
  fc.constant("0.0.0.0/0"),
);

describe("the login path", () => {
  it("for any operator networks the spec accepts, admits only them and the VPC, never the internet", () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.uniqueArray(cidr, { maxLength: 4 }), (operatorCidrs) => {
        const v = validate({ ...aiFactoryDoc(), access: { operatorCidrs } });
        if (errorsOf(v).length > 0) {
          refused++;
          return;
        }
        accepted++;
        const spec = factorySpec();
        spec.access = { ...spec.access, operatorCidrs };
        const network = { vpcCidrs: ["10.0.0.0/16"], subnets: [] };
        const ranges = loginSourceRanges({ network: network as never, access: planAccess(spec, network as never) });
        expect(new Set(ranges)).toEqual(new Set(["10.0.0.0/16", ...operatorCidrs]));
        expect(ranges).not.toContain("0.0.0.0/0");
        for (const r of ranges) expect(Number(r.split("/")[1])).toBeGreaterThanOrEqual(8);
      }),
      { numRuns: 60 },
    );
    expect([accepted > 0, refused > 0]).toEqual([true, true]);
  });

  it("is an internal Network Load Balancer with its source ranges always set", () => {
    const service = loginService(["10.0.0.0/16"]);
    expect(service.metadata.annotations).toEqual(LOGIN_SERVICE_ANNOTATIONS);
    expect(service.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-internal"]).toBe("true");
    expect(service.spec.loadBalancerSourceRanges).toEqual(["10.0.0.0/16"]);
  });

  it("puts the load balancer in the system subnets only: the planned subnets carry the tag by role", async () => {
    expect(loadBalancerSubnetTags("system")).toEqual({ [INTERNAL_ELB_TAG]: "1" });
    expect(loadBalancerSubnetTags("gpu")).toEqual({});
    const subnets = (await plannedSnapshot("dev")).resources.filter((r) => r.type === "aws:ec2/subnet:Subnet");
    const tags = (r: (typeof subnets)[number]) => (r.inputs as { tags: Record<string, string> }).tags;
    const tagged = subnets.filter((s) => tags(s)[INTERNAL_ELB_TAG] === "1");
    expect(tagged.length).toBeGreaterThan(0);
    for (const s of subnets) expect(tags(s)[INTERNAL_ELB_TAG] === "1", s.name).toBe(tags(s)["gigafactory:subnet-role"] === "system");
  });
});
