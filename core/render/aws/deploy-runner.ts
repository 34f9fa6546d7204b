import { IN_CLUSTER_LAYERS, LAYERS_FOLDER } from "../../blueprint/layers";
import type { PolicyDocument } from "./iam";

// The deploy runner's IAM documents and build spec, as plain data (docs/sources.md#codebuild-vpc). The role may
// write its own build logs, manage the network interfaces CodeBuild places in the system subnets, and describe
// the factory's cluster; what it may do inside the cluster comes from its EKS access entry, not from IAM.

export interface RunnerContext {
  partition: string;
  region: string;
  dnsSuffix: string;
  accountId: string;
  /** The factory's EKS cluster, by name. */
  clusterName: string;
  /** The CodeBuild project, by name (its ARN scopes the trust). */
  projectName: string;
  logGroupName: string;
  /** The subnets CodeBuild may attach the runner's interfaces to. */
  subnetArns: string[];
}

/** CodeBuild assumes the role for builds of this project only (confused-deputy guard on account and project). */
export function runnerTrustPolicy(ctx: RunnerContext): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: `codebuild.${ctx.dnsSuffix}` },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": ctx.accountId },
          ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:codebuild:${ctx.region}:${ctx.accountId}:project/${ctx.projectName}` },
        },
      },
    ],
  };
}

/** What a CodeBuild project in a VPC needs, and nothing beyond the factory's cluster (docs/sources.md#codebuild-vpc [P]). */
export function runnerPermissionsPolicy(ctx: RunnerContext): PolicyDocument {
  const logGroup = `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${ctx.logGroupName}`;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "BuildLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [logGroup, `${logGroup}:*`] },
      {
        Sid: "VpcInterfaces",
        Effect: "Allow",
        Action: ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeDhcpOptions", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
        Resource: "*",
      },
      {
        Sid: "VpcInterfacePermissionInSystemSubnets",
        Effect: "Allow",
        Action: "ec2:CreateNetworkInterfacePermission",
        Resource: `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:network-interface/*`,
        Condition: { StringEquals: { "ec2:AuthorizedService": `codebuild.${ctx.dnsSuffix}` }, ArnEquals: { "ec2:Subnet": ctx.subnetArns } },
      },
      { Sid: "FindTheCluster", Effect: "Allow", Action: "eks:DescribeCluster", Resource: `arn:${ctx.partition}:eks:${ctx.region}:${ctx.accountId}:cluster/${ctx.clusterName}` },
    ],
  };
}

/**
 * The runner's build: one in-cluster layer's stack (`GIGAFACTORY_LAYER`), from the source bundle a build is started
 * with (the repository with its node_modules and the Pulumi CLI: the VPC has no route to the internet). The layers
 * that speak only to AWS deploy from outside and are never run here.
 */
export function runnerBuildSpec(ctx: Pick<RunnerContext, "clusterName" | "region">): string {
  return [
    "version: 0.2",
    "env:",
    "  variables:",
    `    CLUSTER_NAME: ${ctx.clusterName}`,
    `    AWS_REGION: ${ctx.region}`,
    "phases:",
    "  build:",
    "    commands:",
    '      - test -n "$PULUMI_BACKEND_URL" && test -n "$PULUMI_STACK"',
    `      - case "$GIGAFACTORY_LAYER" in ${IN_CLUSTER_LAYERS.join("|")}) ;; *) echo "GIGAFACTORY_LAYER must be one of: ${IN_CLUSTER_LAYERS.join(" ")}"; exit 2 ;; esac`,
    '      - aws eks describe-cluster --name "$CLUSTER_NAME" --query cluster.status --output text',
    '      - pulumi login "$PULUMI_BACKEND_URL"',
    `      - cd "${LAYERS_FOLDER}/$GIGAFACTORY_LAYER" && pulumi up --yes --stack "$PULUMI_STACK"`,
    "",
  ].join("\n");
}
