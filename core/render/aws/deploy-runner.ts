import { IN_CLUSTER_LAYERS, LAYERS_FOLDER } from "../../blueprint/layers";
import type { PolicyDocument } from "./iam";
import { codeBuildLogsStatement, codeBuildTrustPolicy } from "./codebuild-role";
import { TENANT_ROLE_PATH } from "./tenant-access";
import { TAG_FACTORY } from "../../spec/tags";
import { ensureSlurmdImageCommands, runnerImageBuildStatements } from "./slurmd-image-build";
import { imageRecipes } from "../image/recipes";

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
  /** The factory's name: what the runner creates for tenants carries it as a tag and a name prefix. */
  factory: string;
  /** Pulumi's state backend, when the spec names it. */
  state: { bucketArn: string; kmsKeyArn?: string } | null;
}

/** CodeBuild assumes the role for builds of this project only. */
export const runnerTrustPolicy: (ctx: RunnerContext) => PolicyDocument = codeBuildTrustPolicy;

/** What a CodeBuild project in a VPC needs, and nothing beyond the factory's cluster (docs/sources.md#codebuild-vpc [P]). */
export function runnerPermissionsPolicy(ctx: RunnerContext): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      codeBuildLogsStatement(ctx),
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
      ...stateStatements(ctx),
      ...tenantLayerStatements(ctx),
      ...imageRecipes().flatMap((r) => runnerImageBuildStatements({ ...ctx, repository: r.repository, image: r.name })),
    ],
  };
}

/** The layers' state: read the layers below (stack references), write the layer it deploys; its secrets' key. */
function stateStatements(ctx: RunnerContext): PolicyDocument["Statement"] {
  if (!ctx.state) return [];
  const { bucketArn, kmsKeyArn } = ctx.state;
  return [
    { Sid: "PulumiStateList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: bucketArn },
    { Sid: "PulumiState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucketArn}/*` },
    ...(kmsKeyArn ? [{ Sid: "PulumiSecrets", Effect: "Allow" as const, Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], Resource: kmsKeyArn }] : []),
  ];
}

/**
 * What the tenants layer creates in AWS for each tenant, and only that: roles under the tenants' path (passed to
 * EKS Pod Identity alone), keys tagged with the factory and their aliases, access points named after the factory,
 * and access entries and Pod Identity associations of the factory's cluster.
 */
function tenantLayerStatements(ctx: RunnerContext): PolicyDocument["Statement"] {
  const { partition, region, accountId } = ctx;
  const roles = `arn:${partition}:iam::${accountId}:role${TENANT_ROLE_PATH}*`;
  const keys = `arn:${partition}:kms:${region}:${accountId}:key/*`;
  const cluster = `arn:${partition}:eks:${region}:${accountId}`;
  const taggedForFactory = { StringEquals: { [`aws:ResourceTag/${TAG_FACTORY}`]: ctx.factory } };
  return [
    { Sid: "TenantRoles", Effect: "Allow", Action: TENANT_ROLE_ACTIONS, Resource: roles },
    { Sid: "TenantRolesToPodIdentity", Effect: "Allow", Action: "iam:PassRole", Resource: roles, Condition: { StringEquals: { "iam:PassedToService": `pods.eks.${ctx.dnsSuffix}` } } },
    { Sid: "TenantKeysCreate", Effect: "Allow", Action: ["kms:CreateKey", "kms:TagResource"], Resource: "*", Condition: { StringEquals: { [`aws:RequestTag/${TAG_FACTORY}`]: ctx.factory } } },
    { Sid: "TenantKeys", Effect: "Allow", Action: TENANT_KEY_ACTIONS, Resource: keys, Condition: taggedForFactory },
    { Sid: "TenantKeyAliases", Effect: "Allow", Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"], Resource: `arn:${partition}:kms:${region}:${accountId}:alias/${ctx.factory}/tenants/*` },
    { Sid: "KeyAliasesList", Effect: "Allow", Action: "kms:ListAliases", Resource: "*" },
    { Sid: "TenantAccessPoints", Effect: "Allow", Action: TENANT_ACCESS_POINT_ACTIONS, Resource: `arn:${partition}:s3:${region}:${accountId}:accesspoint/${ctx.factory}-*` },
    {
      Sid: "TenantClusterAccess",
      Effect: "Allow",
      Action: TENANT_CLUSTER_ACTIONS,
      Resource: [`${cluster}:cluster/${ctx.clusterName}`, `${cluster}:access-entry/${ctx.clusterName}/*`, `${cluster}:podidentityassociation/${ctx.clusterName}/*`],
    },
  ];
}

// The calls Pulumi's AWS provider makes to create, read, update and delete each kind (its CRUD of aws_iam_role,
// aws_iam_role_policy, aws_kms_key, aws_kms_alias, aws_s3_access_point, aws_eks_access_entry,
// aws_eks_access_policy_association, aws_eks_pod_identity_association).
const TENANT_ROLE_ACTIONS = [
  "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
  "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags", "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy",
  "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
];
const TENANT_KEY_ACTIONS = [
  "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation", "kms:ListResourceTags",
  "kms:TagResource", "kms:UntagResource", "kms:UpdateKeyDescription", "kms:ScheduleKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias",
];
const TENANT_ACCESS_POINT_ACTIONS = [
  "s3:CreateAccessPoint", "s3:DeleteAccessPoint", "s3:GetAccessPoint", "s3:PutAccessPointPolicy", "s3:GetAccessPointPolicy",
  "s3:DeleteAccessPointPolicy", "s3:GetAccessPointPolicyStatus", "s3:TagResource", "s3:ListTagsForResource",
];
const TENANT_CLUSTER_ACTIONS = [
  "eks:CreateAccessEntry", "eks:DeleteAccessEntry", "eks:DescribeAccessEntry", "eks:UpdateAccessEntry", "eks:AssociateAccessPolicy",
  "eks:DisassociateAccessPolicy", "eks:ListAssociatedAccessPolicies", "eks:CreatePodIdentityAssociation", "eks:DeletePodIdentityAssociation",
  "eks:DescribePodIdentityAssociation", "eks:UpdatePodIdentityAssociation", "eks:TagResource", "eks:UntagResource", "eks:ListTagsForResource",
];

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
    // A block scalar: a plain YAML item holding ": " would be read as a mapping, not a command.
    "      - |",
    `        case "$GIGAFACTORY_LAYER" in ${IN_CLUSTER_LAYERS.join("|")}) ;; *) echo "GIGAFACTORY_LAYER must be one of: ${IN_CLUSTER_LAYERS.join(" ")}"; exit 2 ;; esac`,
    '      - aws eks describe-cluster --name "$CLUSTER_NAME" --query cluster.status --output text',
    // The NodeSets and the login pods name the factory's images by tag: they are built before the platform layer.
    ...imageRecipes().flatMap((r) => ensureSlurmdImageCommands({ clusterName: ctx.clusterName, region: ctx.region, repository: r.repository, tag: r.tag, image: r.name })),
    '      - pulumi login "$PULUMI_BACKEND_URL"',
    `      - cd "${LAYERS_FOLDER}/$GIGAFACTORY_LAYER" && pulumi up --yes --stack "$PULUMI_STACK"`,
    "",
  ].join("\n");
}
