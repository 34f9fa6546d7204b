import { beforeAll, describe, expect, it } from "vitest";
import { IN_CLUSTER_LAYERS } from "../../../core/blueprint/layers";
import type { PlanSnapshot, SnapshotResource } from "../../../plan/snapshot";
import { plannedSnapshot } from "../../support/planned-stacks";
import { decide, parsePolicy, type PolicyDocument } from "../../../policies/lib/iam/evaluate";

// The runner deploys the in-cluster layers from inside the VPC. Its role must be able to create every AWS resource
// those layers' stacks declare (the tenants' roles, keys, access points, access entries), and nothing needs more.
// This walks the plan: for each such resource, the API call Pulumi's AWS provider makes to create it, on the ARN it
// will have, with the tags it will carry, against the runner's planned policy.

interface Call {
  action: string;
  resource: string;
  context: Record<string, string>;
}

/** The project's one IAM evaluator, on the runner's planned policy. */
function allows(policy: PolicyDocument, call: Call): boolean {
  return decide({ principal: { arn: RUNNER, account: at.account }, ...call }, [{ name: "runner", document: policy }], []).allowed;
}

/** The calls that create a resource of the in-cluster layers, or undefined for a kind this walk does not know. */
function callsFor(r: SnapshotResource, plan: PlanSnapshot, at: { account: string; region: string; tags: Record<string, string> }): Call[] | undefined {
  const i = r.inputs as Record<string, any>;
  const arn = (service: string, rest: string, region = at.region) => `arn:aws:${service}:${region}:${at.account}:${rest}`;
  const tagContext = (tags: Record<string, string> = {}) =>
    Object.fromEntries(Object.entries({ ...at.tags, ...tags }).map(([k, v]) => [`aws:RequestTag/${k}`, v]));
  const roleArn = (name: string) => {
    const role = plan.resources.find((x) => x.type === "aws:iam/role:Role" && x.inputs.name === name);
    return `arn:aws:iam::${at.account}:role${String(role?.inputs.path ?? "/")}${name}`;
  };
  const cluster = String(i.clusterName ?? "");
  switch (r.type) {
    case "aws:iam/role:Role":
      return [{ action: "iam:CreateRole", resource: `arn:aws:iam::${at.account}:role${i.path ?? "/"}${i.name}`, context: {} }];
    case "aws:iam/rolePolicy:RolePolicy":
      return [{ action: "iam:PutRolePolicy", resource: roleArn(String(i.role)), context: {} }];
    case "aws:kms/key:Key":
      return [{ action: "kms:CreateKey", resource: "*", context: tagContext(i.tags) }];
    case "aws:kms/alias:Alias":
      return [{ action: "kms:CreateAlias", resource: arn("kms", String(i.name)), context: {} }];
    case "aws:s3/accessPoint:AccessPoint":
      return [{ action: "s3:CreateAccessPoint", resource: arn("s3", `accesspoint/${i.name}`), context: {} }];
    case "aws:eks/accessEntry:AccessEntry":
      return [{ action: "eks:CreateAccessEntry", resource: arn("eks", `cluster/${cluster}`), context: {} }];
    case "aws:eks/accessPolicyAssociation:AccessPolicyAssociation":
      return [{ action: "eks:AssociateAccessPolicy", resource: arn("eks", `access-entry/${cluster}/role/${at.account}/x/0`), context: {} }];
    case "aws:eks/podIdentityAssociation:PodIdentityAssociation":
      return [
        { action: "eks:CreatePodIdentityAssociation", resource: arn("eks", `cluster/${cluster}`), context: {} },
        { action: "iam:PassRole", resource: String(i.roleArn), context: { "iam:PassedToService": "pods.eks.amazonaws.com" } },
      ];
    default:
      return undefined;
  }
}

let plan: PlanSnapshot;
let policy: PolicyDocument;
// The runner's role as the requests' principal (the policy is an identity policy: who it names does not matter).
const RUNNER = "arn:aws:iam::123456789012:role/runner";
let at: { account: string; region: string; tags: Record<string, string> };

beforeAll(async () => {
  plan = await plannedSnapshot("dev");
  const runnerPolicy = plan.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.endsWith("-access-runner-policy"))!;
  policy = parsePolicy(String(runnerPolicy.inputs.policy), runnerPolicy.name);
  const describe = policy.Statement.find((s) => s.Sid === "FindTheCluster")!;
  const [, , , region, account] = String(describe.Resource).split(":");
  const provider = plan.resources.find((r) => r.type === "pulumi:providers:aws" && r.layer === "tenants" && r.name.endsWith("-aws"))!;
  at = { account, region, tags: JSON.parse(String(provider.inputs.defaultTags)).tags };
}, 900_000);

describe("the deploy runner's rights", () => {
  it("cover every AWS resource the in-cluster layers create, on its own ARN and tags", () => {
    const aws = plan.resources.filter((r) => IN_CLUSTER_LAYERS.includes(r.layer as never) && r.custom && r.type.startsWith("aws:"));
    expect(aws.length).toBeGreaterThan(0);
    const refused: string[] = [];
    for (const r of aws) {
      const calls = callsFor(r, plan, at);
      if (!calls) refused.push(`${r.type} ${r.name}: a kind the runner was never granted`);
      else for (const c of calls) if (!allows(policy, c)) refused.push(`${r.name}: ${c.action} on ${c.resource}`);
    }
    expect(refused).toEqual([]);
  });

  it("refuse the same calls for another factory's tenants or outside the tenants' path", () => {
    const role = { action: "iam:CreateRole", resource: `arn:aws:iam::${at.account}:role/admin`, context: {} };
    const key = { action: "kms:CreateKey", resource: "*", context: { "aws:RequestTag/gigafactory:factory": "another-factory" } };
    const point = { action: "s3:CreateAccessPoint", resource: `arn:aws:s3:${at.region}:${at.account}:accesspoint/another-factory-team-a-datasets`, context: {} };
    const pass = { action: "iam:PassRole", resource: `arn:aws:iam::${at.account}:role/gigafactory/tenants/x`, context: { "iam:PassedToService": "ec2.amazonaws.com" } };
    for (const call of [role, key, point, pass]) expect(allows(policy, call), call.action).toBe(false);
  });

  it("reach S3, where Pulumi keeps the state, through the gateway endpoint's prefix list on 443", () => {
    const egress = plan.resources.filter((r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" && r.name.includes("-sg-runner-out-"));
    const s3 = egress.find((r) => r.inputs.prefixListId !== undefined);
    expect(s3?.inputs).toMatchObject({ ipProtocol: "tcp", fromPort: 443, toPort: 443 });
    expect(s3?.dependencies.some((d) => d.includes("aws:ec2/vpcEndpoint:VpcEndpoint::") && d.endsWith("-vpce-s3"))).toBe(true);
  });
});
