import type { ResourceValidationPolicy } from "@pulumi/policy";
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { configOf, exemptionsOnlySchema, type Exemption } from "../lib/config";
import { planResourceOfArgs } from "../lib/plan";
import { reportUnlessExempt, type Problem } from "../lib/report";
import { asArray, asBoolean, isOpaque } from "../lib/values";

// No node of the factory gets an address reachable from the internet: not through its launch template's
// interfaces, not as an instance setting, not from a subnet that hands them out.

type LaunchTemplateInputs = Unwrap<aws.ec2.LaunchTemplateArgs>;
type InstanceInputs = Unwrap<aws.ec2.InstanceArgs>;
type SubnetInputs = Unwrap<aws.ec2.SubnetArgs>;

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const INSTANCE = "aws:ec2/instance:Instance";
const SUBNET = "aws:ec2/subnet:Subnet";

function publicFlag(value: unknown, path: string): Problem | undefined {
  if (isOpaque(value)) return { reason: `\`${path}\` is not known at plan time`, fix: `set \`${path}\` to false` };
  return asBoolean(value) === true ? { reason: `\`${path}\` gives the node a public address`, fix: `set \`${path}\` to false` } : undefined;
}

export function publicIpProblems(type: string, props: Record<string, unknown>): Problem[] {
  const problems: (Problem | undefined)[] = [];
  if (type === LAUNCH_TEMPLATE) {
    const lt = props as Partial<LaunchTemplateInputs>;
    asArray(lt.networkInterfaces).forEach((nic, i) => {
      const n = nic as NonNullable<LaunchTemplateInputs["networkInterfaces"]>[number];
      problems.push(publicFlag(n.associatePublicIpAddress, `networkInterfaces.${i}.associatePublicIpAddress`));
      problems.push(publicFlag(n.associateCarrierIpAddress, `networkInterfaces.${i}.associateCarrierIpAddress`));
    });
  } else if (type === INSTANCE) {
    problems.push(publicFlag((props as Partial<InstanceInputs>).associatePublicIpAddress, "associatePublicIpAddress"));
  } else if (type === SUBNET) {
    const subnet = props as Partial<SubnetInputs>;
    problems.push(publicFlag(subnet.mapPublicIpOnLaunch, "mapPublicIpOnLaunch"));
    problems.push(publicFlag(subnet.mapCustomerOwnedIpOnLaunch, "mapCustomerOwnedIpOnLaunch"));
  }
  return problems.filter((p): p is Problem => p !== undefined);
}

export const noPublicIps: ResourceValidationPolicy = {
  name: "no-public-ips",
  description: "No launch template, instance or subnet gives a node a public IP address.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Set associatePublicIpAddress \"false\" (or leave it unset) on every launch template interface and mapPublicIpOnLaunch false on every subnet; reach AWS services through VPC endpoints.",
  configSchema: exemptionsOnlySchema,
  validateResource: (args, reportViolation) => {
    if (![LAUNCH_TEMPLATE, INSTANCE, SUBNET].includes(args.type)) args.notApplicable("only launch templates, instances and subnets assign addresses");
    const { exemptions } = configOf<{ exemptions: Exemption[] }>(args, exemptionsOnlySchema);
    const r = planResourceOfArgs(args);
    for (const p of publicIpProblems(r.type, r.props)) reportUnlessExempt(reportViolation, exemptions, r, p, false);
  },
};
