import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccessPlan, RunnerPlan } from "../../core/blueprint/types";
import { runnerBuildSpec, runnerPermissionsPolicy, runnerTrustPolicy, type RunnerContext } from "../../core/render/aws/deploy-runner";
import { deployPathRules, type PathRule } from "../../core/render/aws/security-rules";

export interface DeployPathArgs {
  plan: AccessPlan;
  clusterName: string;
  region: string;
  partition: string;
  dnsSuffix: string;
  accountId: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
  /** The system subnets by name: the runner's interfaces go to those its plan names. */
  subnets: Record<string, aws.ec2.Subnet>;
  /** The factory's KMS key: the runner's logs and build output are encrypted with it. */
  keyArn: pulumi.Input<string>;
  /** S3's prefix list, from the VPC's gateway endpoint: the runner reaches Pulumi's state there. */
  s3PrefixListId: pulumi.Input<string>;
  /** The factory's name: what the runner may create for the tenants carries it. */
  factory: string;
}

/**
 * The way into the private cluster (core/blueprint/access.ts): the API server's security group, which the control
 * plane's interfaces carry, admitting HTTPS from the runner and the operator networks; and the deploy runner, a
 * CodeBuild project in the system subnets with its own security group and role. The cluster attaches the group
 * and grants the role its access entry.
 */
export class DeployPath extends pulumi.ComponentResource {
  readonly apiServerSecurityGroup: aws.ec2.SecurityGroup;
  readonly runnerSecurityGroup?: aws.ec2.SecurityGroup;
  runnerRole?: aws.iam.Role;
  runnerProject?: aws.codebuild.Project;

  private readonly s3PrefixListId: pulumi.Input<string>;

  constructor(name: string, args: DeployPathArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:foundation:DeployPath", name, {}, opts);
    this.s3PrefixListId = args.s3PrefixListId;
    const rules = deployPathRules(args.plan);
    this.apiServerSecurityGroup = this.group(`${name}-sg-api`, args.vpcId, "EKS API server: HTTPS from the deploy runner and the operator networks");
    if (args.plan.runner) {
      this.runnerSecurityGroup = this.group(`${name}-sg-runner`, args.vpcId, "Deploy runner: HTTPS to the API server and the VPC endpoints");
      rules.runnerEgress.forEach((r, i) => new aws.vpc.SecurityGroupEgressRule(`${name}-sg-runner-out-${i}`, this.ruleArgs(this.runnerSecurityGroup!, r), { parent: this }));
      this.runner(name, args, args.plan.runner);
    }
    rules.apiServer.forEach((r, i) => new aws.vpc.SecurityGroupIngressRule(`${name}-sg-api-in-${i}`, this.ruleArgs(this.apiServerSecurityGroup, r), { parent: this }));

    this.registerOutputs({
      apiServerSecurityGroupId: this.apiServerSecurityGroup.id,
      runnerRoleArn: this.runnerRole?.arn,
      runnerProjectName: this.runnerProject?.name,
    });
  }

  private group(name: string, vpcId: pulumi.Input<string>, description: string): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(name, { vpcId, description, revokeRulesOnDelete: true, tags: { Name: name } }, { parent: this });
  }

  private ruleArgs(group: aws.ec2.SecurityGroup, r: PathRule) {
    const peer = r.peer === "runner" ? this.runnerSecurityGroup?.id : r.peer === "api-server" ? this.apiServerSecurityGroup.id : r.peer?.securityGroupId;
    const prefixListId = r.prefixList === "s3" ? this.s3PrefixListId : undefined;
    return { securityGroupId: group.id, description: r.description, ipProtocol: "tcp", fromPort: r.port, toPort: r.port, cidrIpv4: r.cidrIpv4, referencedSecurityGroupId: peer, prefixListId };
  }

  private runner(name: string, args: DeployPathArgs, plan: RunnerPlan): void {
    const projectName = `${args.clusterName}-deploy`;
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-runner-logs`,
      { name: `/gigafactory/${args.clusterName}/deploy-runner`, retentionInDays: plan.logRetentionDays, kmsKeyId: args.keyArn, skipDestroy: true },
      // What was deployed into the cluster, and by whom: kept when the stack goes.
      { parent: this, protect: true, retainOnDelete: true },
    );
    const subnets = plan.subnets.map((s) => args.subnets[s]);
    const ctx = pulumi.all([args.accountId, logGroup.name, ...subnets.map((s) => s.arn)]).apply(
      ([accountId, logGroupName, ...subnetArns]): RunnerContext => ({
        partition: args.partition,
        region: args.region,
        dnsSuffix: args.dnsSuffix,
        accountId,
        clusterName: args.clusterName,
        projectName,
        logGroupName,
        subnetArns,
        factory: args.factory,
        state: plan.state,
      }),
    );
    this.runnerRole = new aws.iam.Role(
      `${name}-runner-role`,
      { assumeRolePolicy: ctx.apply((c) => JSON.stringify(runnerTrustPolicy(c))), description: "Deploy runner: deploys the in-cluster layers from inside the VPC" },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-runner-policy`,
      { role: this.runnerRole.id, policy: ctx.apply((c) => JSON.stringify(runnerPermissionsPolicy(c))) },
      { parent: this },
    );
    this.runnerProject = new aws.codebuild.Project(
      `${name}-runner`,
      {
        name: projectName,
        description: "Deploys the factory's in-cluster layers from inside the VPC (the API server is private)",
        serviceRole: this.runnerRole.arn,
        buildTimeout: plan.timeoutMinutes,
        encryptionKey: args.keyArn,
        source: { type: "NO_SOURCE", buildspec: runnerBuildSpec({ clusterName: args.clusterName, region: args.region }) },
        artifacts: { type: "NO_ARTIFACTS" },
        environment: { type: plan.environmentType, image: plan.image, computeType: plan.computeType, privilegedMode: false, imagePullCredentialsType: "CODEBUILD" },
        vpcConfig: { vpcId: args.vpcId, subnets: subnets.map((s) => s.id), securityGroupIds: [this.runnerSecurityGroup!.id] },
        logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
      },
      { parent: this, dependsOn: [policy] },
    );
  }
}
