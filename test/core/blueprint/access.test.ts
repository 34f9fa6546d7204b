import { describe, expect, it } from "vitest";
import { planAccess } from "../../../core/blueprint/access";
import { factorySpec } from "../../fixtures/blueprint/spec";
import { runnerPermissionsPolicy, runnerTrustPolicy } from "../../../core/render/aws/deploy-runner";

// The deploy path as the blueprint decides it, and the runner's IAM documents.

const network = {
  vpcCidrs: ["10.0.0.0/16"],
  subnets: [
    { name: "system-a", role: "system" },
    { name: "gpu-a", role: "gpu" },
    { name: "system-b", role: "system" },
  ] as any,
};

describe("planAccess", () => {
  it("keeps the endpoint private and admits the runner alone by default", () => {
    const plan = planAccess(factorySpec(), network);
    expect(plan.endpoint).toEqual({ privateAccess: true, publicAccess: false, publicAccessCidrs: [] });
    expect(plan.apiIngress.map((r) => [r.source, r.port])).toEqual([["runner", 443]]);
    expect(plan.runner).toMatchObject({ subnets: ["system-a", "system-b"], kubernetesAccess: { policy: "AmazonEKSClusterAdminPolicy", scope: "cluster" } });
    expect(plan.runner?.egress.map((e) => e.to)).toEqual(["api-server", { cidrIpv4: "10.0.0.0/16" }, "s3-gateway"]);
  });

  it("admits operator networks and groups on 443, and opens the public endpoint only to its listed ranges", () => {
    const spec = factorySpec();
    spec.access = { runner: { enabled: false, timeoutMinutes: 60 }, operatorCidrs: ["10.200.0.0/16"], operatorSecurityGroupIds: ["sg-0123abcd"], publicEndpointCidrs: ["203.0.113.0/24"] };
    const plan = planAccess(spec, network);
    expect(plan.runner).toBeNull();
    expect(plan.apiIngress).toMatchObject([{ source: "operator-cidr", cidrIpv4: "10.200.0.0/16", port: 443 }, { source: "operator-security-group", securityGroupId: "sg-0123abcd", port: 443 }]);
    expect(plan.endpoint).toEqual({ privateAccess: true, publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
  });
});

describe("the runner's IAM documents", () => {
  const ctx = {
    partition: "aws",
    region: "eu-north-1",
    dnsSuffix: "amazonaws.com",
    accountId: "123456789012",
    clusterName: "gf",
    projectName: "gf-deploy",
    logGroupName: "/gigafactory/gf/deploy-runner",
    subnetArns: ["arn:aws:ec2:eu-north-1:123456789012:subnet/subnet-1"],
    factory: "gf",
    state: null,
  };

  it("lets CodeBuild assume the role for this project of this account only", () => {
    expect(runnerTrustPolicy(ctx).Statement[0]).toMatchObject({
      Principal: { Service: "codebuild.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": "arn:aws:codebuild:eu-north-1:123456789012:project/gf-deploy" } },
    });
  });

  it("grants logs to its group, interfaces in the system subnets, DescribeCluster on the factory's cluster, and the tenants layer's kinds only", () => {
    const statements = runnerPermissionsPolicy(ctx).Statement;
    expect(statements.slice(0, 4).map((s) => s.Sid)).toEqual(["BuildLogs", "VpcInterfaces", "VpcInterfacePermissionInSystemSubnets", "FindTheCluster"]);
    expect(statements[2].Condition).toEqual({ StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" }, ArnEquals: { "ec2:Subnet": ctx.subnetArns } });
    expect(statements[3].Resource).toBe("arn:aws:eks:eu-north-1:123456789012:cluster/gf");
    expect(JSON.stringify(statements)).not.toMatch(/"[a-z0-9]+:\*"|"\*:\*"/);
    // IAM only on the tenants' path; no state rights unless the spec names the state.
    for (const s of statements.filter((x) => JSON.stringify(x.Action).includes("iam:"))) expect(s.Resource).toBe("arn:aws:iam::123456789012:role/gigafactory/tenants/*");
    expect(statements.some((s) => String(s.Sid).startsWith("Pulumi"))).toBe(false);
  });

  it("reads and writes Pulumi's state and its secrets' key when the spec names them", () => {
    const state = { bucketArn: "arn:aws:s3:::gf-pulumi-state", kmsKeyArn: "arn:aws:kms:eu-north-1:123456789012:key/0f0e0d0c-0b0a-0908-0706-050403020100" };
    const statements = runnerPermissionsPolicy({ ...ctx, state }).Statement;
    expect(statements.find((s) => s.Sid === "PulumiState")).toMatchObject({ Resource: "arn:aws:s3:::gf-pulumi-state/*" });
    expect(statements.find((s) => s.Sid === "PulumiStateList")).toMatchObject({ Resource: "arn:aws:s3:::gf-pulumi-state" });
    expect(statements.find((s) => s.Sid === "PulumiSecrets")).toMatchObject({ Resource: state.kmsKeyArn, Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"] });
  });
});
