import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkPlan } from "../../core/blueprint/types";
import { VPC_GATEWAY_ENDPOINTS, VPC_INTERFACE_ENDPOINTS, endpointServiceName } from "../../core/catalog/endpoints";
import { securityGroupWithRules } from "./security-group";
import { efaSecurityGroupRules, endpointSecurityGroupRules } from "../../core/render/aws/security-rules";
import { flowLogAssumeRolePolicy, flowLogWritePolicy } from "../../core/render/aws/flow-log-policies";
import { isAvailabilityZoneId } from "../../core/spec/reservations";
import { loadBalancerSubnetTags } from "../../core/render/aws/login-path";

export interface FactoryNetworkArgs {
  region: string;
  plan: NetworkPlan;
  /** The factory's KMS key: flow logs are encrypted with it. */
  keyArn: pulumi.Input<string>;
  flowLogRetentionDays: number;
}

/**
 * The factory's VPC from the blueprint: subnets per AZ, route tables with no route to the internet
 * (a private factory reaches AWS through VPC endpoints), the EFA security group, and flow logs kept in the region.
 */
export class FactoryNetwork extends pulumi.ComponentResource {
  readonly vpc: aws.ec2.Vpc;
  readonly subnets: Record<string, aws.ec2.Subnet>;
  readonly efaSecurityGroup: aws.ec2.SecurityGroup;
  readonly endpointSecurityGroup: aws.ec2.SecurityGroup;
  readonly vpcId: pulumi.Output<string>;
  /** The gateway endpoints by service (`s3`): their prefix lists are where security groups send that traffic. */
  readonly gatewayEndpoints: Record<string, aws.ec2.VpcEndpoint> = {};

  constructor(name: string, args: FactoryNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:network:FactoryNetwork", name, {}, opts);
    const { plan, region } = args;
    const [primaryCidr, ...secondaryCidrs] = plan.vpcCidrs;

    this.vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: primaryCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: name } },
      { parent: this },
    );
    this.vpcId = this.vpc.id;
    // Large factories need more addresses than one /16 block holds: the blueprint lists the extra blocks.
    const cidrAssociations = new Map<string, aws.ec2.VpcIpv4CidrBlockAssociation>();
    secondaryCidrs.forEach((cidr, i) => {
      cidrAssociations.set(
        cidr,
        new aws.ec2.VpcIpv4CidrBlockAssociation(`${name}-cidr-${i + 1}`, { vpcId: this.vpc.id, cidrBlock: cidr }, { parent: this }),
      );
    });

    // A private factory: one route table per AZ, no internet route; S3 traffic goes through the gateway endpoint.
    const azs = [...new Set(plan.subnets.map((s) => s.availabilityZone))].sort();
    const routeTables = new Map<string, aws.ec2.RouteTable>();
    for (const az of azs) {
      routeTables.set(
        az,
        new aws.ec2.RouteTable(`${name}-rt-${az}`, { vpcId: this.vpc.id, tags: { Name: `${name}-${az}` } }, { parent: this }),
      );
    }

    this.subnets = {};
    for (const s of plan.subnets) {
      const association = s.vpcCidr === primaryCidr ? undefined : cidrAssociations.get(s.vpcCidr);
      const subnet = new aws.ec2.Subnet(
        `${name}-${s.name}`,
        {
          vpcId: this.vpc.id,
          cidrBlock: s.cidr,
          // A pool placed by AZ ID gets its subnets by AZ ID: the zone its reserved capacity is in, whatever the account calls it.
          ...(isAvailabilityZoneId(s.availabilityZone) ? { availabilityZoneId: s.availabilityZone } : { availabilityZone: s.availabilityZone }),
          mapPublicIpOnLaunch: false,
          tags: { Name: `${name}-${s.name}`, "gigafactory:subnet-role": s.role, ...loadBalancerSubnetTags(s.role) },
        },
        { parent: this, dependsOn: association ? [association] : [] },
      );
      this.subnets[s.name] = subnet;
      new aws.ec2.RouteTableAssociation(
        `${name}-${s.name}-rt`,
        { subnetId: subnet.id, routeTableId: routeTables.get(s.availabilityZone)!.id },
        { parent: this },
      );
    }

    this.efaSecurityGroup = securityGroupWithRules(
      `${name}-sg-efa`,
      { vpcId: this.vpc.id, description: "EFA: all traffic between the factory's GPU nodes and nothing else", rules: efaSecurityGroupRules() },
      this,
    );
    this.endpointSecurityGroup = securityGroupWithRules(
      `${name}-sg-endpoints`,
      { vpcId: this.vpc.id, description: "VPC endpoints: HTTPS from inside the VPC", rules: endpointSecurityGroupRules(plan.vpcCidrs) },
      this,
    );

    const endpointSubnetIds = plan.subnets.filter((s) => s.role === "endpoints").map((s) => this.subnets[s.name].id);
    for (const service of VPC_INTERFACE_ENDPOINTS) {
      new aws.ec2.VpcEndpoint(
        `${name}-vpce-${service.replace(/\./g, "-")}`,
        {
          vpcId: this.vpc.id,
          serviceName: endpointServiceName(region, service),
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: endpointSubnetIds,
          securityGroupIds: [this.endpointSecurityGroup.id],
        },
        { parent: this },
      );
    }
    for (const service of VPC_GATEWAY_ENDPOINTS) {
      this.gatewayEndpoints[service] = new aws.ec2.VpcEndpoint(
        `${name}-vpce-${service}`,
        {
          vpcId: this.vpc.id,
          serviceName: endpointServiceName(region, service),
          vpcEndpointType: "Gateway",
          routeTableIds: [...routeTables.values()].map((rt) => rt.id),
        },
        { parent: this },
      );
    }

    this.flowLogs(name, args);
    this.registerOutputs({
      vpcId: this.vpcId,
      subnetIds: Object.fromEntries(Object.entries(this.subnets).map(([k, v]) => [k, v.id])),
      efaSecurityGroupId: this.efaSecurityGroup.id,
      endpointSecurityGroupId: this.endpointSecurityGroup.id,
    });
  }

  private flowLogs(name: string, args: FactoryNetworkArgs): void {
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      { name: `/gigafactory/${name}/vpc-flow-logs`, retentionInDays: args.flowLogRetentionDays, kmsKeyId: args.keyArn, skipDestroy: true },
      // Flow logs are audit evidence: kept when the stack goes.
      { parent: this, protect: true, retainOnDelete: true },
    );
    const role = new aws.iam.Role(
      `${name}-flow-logs-role`,
      { assumeRolePolicy: JSON.stringify(flowLogAssumeRolePolicy()), description: "VPC flow logs write to the factory's log group" },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-flow-logs-write`,
      { role: role.id, policy: logGroup.arn.apply((arn) => JSON.stringify(flowLogWritePolicy(arn))) },
      { parent: this },
    );
    new aws.ec2.FlowLog(
      `${name}-flow-log`,
      {
        vpcId: this.vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
      },
      { parent: this },
    );
  }
}
