import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../../core/blueprint";
import { GPU_RESOURCE } from "../../../../core/render/kubernetes/kueue-resources";
import { accessPolicyArn, tenantAccessScope, tenantKeyPolicy, tenantRoleName, tenantTrustPolicy } from "../../../../core/render/aws/tenant-access";
import { LABEL_COST_CENTER, LABEL_DATA_CLASSIFICATION } from "../../../../core/render/kubernetes/tenants/namespace-objects";
import { tenancyContext, tenantObjects } from "../../../../core/render/kubernetes/tenants/objects";
import { LABEL_TENANT } from "../../../../core/blueprint/labels";
import { TAG_TENANT } from "../../../../core/spec/tags";
import { tenantGpuLimit } from "../../../../core/render/slurm/accounts";
import { factorySpec, pool, tenant } from "../../../fixtures/blueprint/spec";
import { designedStack } from "../../../fixtures/kubernetes/stacks";

const spec = factorySpec({
  pools: { train: pool({ nodes: 8 }), infer: pool({ nodes: 4 }) },
  tenants: {
    acme: tenant({ gpuQuota: 48, borrowingLimitGpus: 16, lendingLimitGpus: 48, costCenter: "cc-acme", dataClassification: "restricted" }),
    beta: tenant({ gpuQuota: 32, pools: ["infer"], borrowingLimitGpus: 0 }),
  },
});
const { blueprint } = buildBlueprint(spec);
const ctx = tenancyContext(blueprint);
const acme = tenantObjects(blueprint, blueprint.tenants.find((t) => t.name === "acme")!, ctx);
const beta = tenantObjects(blueprint, blueprint.tenants.find((t) => t.name === "beta")!, ctx);


describe("a tenant's namespace", () => {
  it("is named after the tenant and labelled with it, its cost centre and its data classification", () => {
    expect(acme.namespace.metadata.name).toBe("acme");
    expect(acme.namespace.metadata.labels).toMatchObject({ [LABEL_TENANT]: "acme", [LABEL_COST_CENTER]: "cc-acme", [LABEL_DATA_CLASSIFICATION]: "restricted" });
    expect(acme.namespace.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("baseline");
  });

  it("puts every namespaced object of the tenant in its namespace", () => {
    for (const o of [acme.resourceQuota, acme.limitRange, acme.networkPolicy, acme.localQueue]) expect(o.metadata.namespace, o.kind).toBe("acme");
  });

  it("has a quota of its queue's nominal quota plus borrowing limit, and no load balancer or node port", () => {
    const hard = (acme.resourceQuota.spec as { hard: Record<string, string> }).hard;
    expect(hard[`requests.${GPU_RESOURCE}`]).toBe("64");
    expect(hard["services.loadbalancers"]).toBe("0");
    expect(hard["services.nodeports"]).toBe("0");
    expect((beta.resourceQuota.spec as { hard: Record<string, string> }).hard[`requests.${GPU_RESOURCE}`]).toBe("32");
  });

  it("never lets a namespace hold more than its pools have, the same ceiling as its Slurm account (one tenant record)", () => {
    const capped = buildBlueprint(factorySpec({ pools: { train: pool({ nodes: 8 }) }, tenants: { big: tenant({ gpuQuota: 48, borrowingLimitGpus: 500 }) } })).blueprint;
    const objects = tenantObjects(capped, capped.tenants[0]);
    expect((objects.resourceQuota.spec as { hard: Record<string, string> }).hard[`requests.${GPU_RESOURCE}`]).toBe("64");
    const giga = designedStack("gigafactory").blueprint;
    const gigaCtx = tenancyContext(giga);
    for (const t of [capped.tenants[0], ...giga.tenants]) {
      const b = t === capped.tenants[0] ? capped : giga;
      const hard = (tenantObjects(b, t, b === giga ? gigaCtx : undefined).resourceQuota.spec as { hard: Record<string, string> }).hard;
      expect(Number(hard[`requests.${GPU_RESOURCE}`]), t.name).toBe(tenantGpuLimit(b, t));
    }
  });

  it("gives containers default requests the quota counts, and no default limit", () => {
    const [limit] = (acme.limitRange.spec as { limits: Record<string, unknown>[] }).limits;
    expect(limit).toEqual({ type: "Container", defaultRequest: { cpu: "500m", memory: "1Gi" } });
  });
});

describe("a tenant's AWS access", () => {
  it("is scoped in the cluster to the tenant's namespace only, with the edit policy", () => {
    expect(tenantAccessScope({ name: "acme" })).toEqual({ type: "namespace", namespaces: ["acme"] });
    expect(accessPolicyArn("aws")).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy");
    expect(accessPolicyArn("aws-eusc")).toMatch(/^arn:aws-eusc:eks::aws:cluster-access-policy\//);
  });

  it("lets only principals tagged with the tenant assume the role", () => {
    const trust = tenantTrustPolicy({ partition: "aws", accountId: "123456789012", tenant: "acme" });
    expect(trust.Statement).toEqual([
      expect.objectContaining({ Action: "sts:AssumeRole", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Condition: { StringEquals: { [`aws:PrincipalTag/${TAG_TENANT}`]: "acme" } } }),
    ]);
  });

  it("lets the tenant's role use its key, grants only for AWS resources", () => {
    const policy = tenantKeyPolicy({ partition: "aws", accountId: "123456789012", roleArns: ["arn:aws:iam::123456789012:role/x"] });
    const grants = policy.Statement.find((s) => s.Sid === "TenantGrantsToAwsServices")!;
    expect(grants.Condition).toEqual({ Bool: { "kms:GrantIsForAWSResource": "true" } });
    expect(policy.Statement.filter((s) => (s.Principal as { AWS: string }).AWS === "arn:aws:iam::123456789012:role/x")).toHaveLength(2);
  });

  it("names the role after the factory and the tenant, within IAM's 64 characters and unique", () => {
    expect(tenantRoleName("gf-nordics", "acme")).toBe("gf-nordics-acme");
    const long = "t".repeat(40);
    const a = tenantRoleName("f".repeat(24), `${long.slice(0, 39)}a`);
    const b = tenantRoleName("f".repeat(24), `${long.slice(0, 39)}b`);
    expect(a.length).toBeLessThanOrEqual(64);
    expect(a).not.toBe(b);
  });
});
