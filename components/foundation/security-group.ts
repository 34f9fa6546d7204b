import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SecurityRule, SecurityRules } from "../../core/render/aws/security-rules";

/** A security group with one resource per rule (never inline rules, which fight separate rule resources). */
export function securityGroupWithRules(
  name: string,
  args: { vpcId: pulumi.Input<string>; description: string; rules: SecurityRules },
  parent: pulumi.Resource,
): aws.ec2.SecurityGroup {
  const group = new aws.ec2.SecurityGroup(
    name,
    { vpcId: args.vpcId, description: args.description, revokeRulesOnDelete: true, tags: { Name: name } },
    { parent },
  );
  const ruleArgs = (r: SecurityRule) => ({
    securityGroupId: group.id,
    description: r.description,
    ipProtocol: r.ipProtocol,
    fromPort: r.fromPort,
    toPort: r.toPort,
    cidrIpv4: r.cidrIpv4,
    referencedSecurityGroupId: r.self ? group.id : undefined,
  });
  args.rules.ingress.forEach((r, i) => new aws.vpc.SecurityGroupIngressRule(`${name}-in-${i}`, ruleArgs(r), { parent }));
  args.rules.egress.forEach((r, i) => new aws.vpc.SecurityGroupEgressRule(`${name}-out-${i}`, ruleArgs(r), { parent }));
  return group;
}
