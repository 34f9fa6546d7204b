import { cidr, contains, networkOf, parseCidr } from "../../core/lib/cidr";
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { configOf, exemptionsProperty, type Exemption } from "../lib/config";
import { planResourceOfArgs } from "../lib/plan";
import { reportUnlessExempt, type Problem } from "../lib/report";
import { asArray, asRecord, asString, isOpaque } from "../lib/values";

// No security group lets the internet in. "The internet" is any public address range wider than a configured
// prefix (default /16 for IPv4, /48 for IPv6), so splitting 0.0.0.0/0 into halves does not slip through.

interface Config {
  exemptions: Exemption[];
  widestPublicIpv4Prefix: number;
  widestPublicIpv6Prefix: number;
  checkEgress: boolean;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    exemptions: exemptionsProperty,
    widestPublicIpv4Prefix: { type: "integer", minimum: 0, maximum: 32, default: 16, description: "A public IPv4 range shorter than this prefix counts as the internet." },
    widestPublicIpv6Prefix: { type: "integer", minimum: 0, maximum: 128, default: 48, description: "A public IPv6 range shorter than this prefix counts as the internet." },
    checkEgress: { type: "boolean", default: false, description: "Also refuse egress rules open to the internet." },
  },
};

// RFC 1918, carrier-grade NAT (RFC 6598) and loopback: never routed on the internet.
const PRIVATE_V4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8"].map(cidr);

/** Whether a CIDR opens a rule to the internet under the configured widths. */
export function isInternetCidr(text: string, config: Pick<Config, "widestPublicIpv4Prefix" | "widestPublicIpv6Prefix">): boolean {
  const [address, prefixText] = text.trim().split("/");
  const prefix = Number(prefixText ?? (address.includes(":") ? 128 : 32));
  if (address.includes(":")) {
    const head = address.toLowerCase();
    const isPrivate = /^f[cd]/.test(head) || /^fe[89ab]/.test(head) || head === "::1";
    return !isPrivate && prefix < config.widestPublicIpv6Prefix;
  }
  const block = parseCidr(`${address}/${prefix}`);
  if (!block) return false;
  const network = networkOf(block);
  return !PRIVATE_V4.some((range) => contains(range, network)) && prefix < config.widestPublicIpv4Prefix;
}

function ruleProblems(rule: Record<string, unknown> | undefined, where: string, config: Config): Problem[] {
  if (!rule) return [];
  const cidrs = [...asArray(rule.cidrBlocks), ...asArray(rule.ipv6CidrBlocks), rule.cidrIpv4, rule.cidrIpv6].filter((c) => c !== undefined);
  const problems: Problem[] = [];
  for (const c of cidrs) {
    if (isOpaque(c)) problems.push({ reason: `${where} takes a CIDR not known at plan time`, fix: "name the CIDR as a plain value" });
    else if (typeof c === "string" && isInternetCidr(c, config)) problems.push({ reason: `${where} is open to the internet (${c})`, fix: "allow only the VPC's CIDR blocks or the security group itself" });
  }
  return problems;
}

export function securityGroupProblems(type: string, props: Record<string, unknown>, config: Config): Problem[] {
  switch (type) {
    case "aws:ec2/securityGroup:SecurityGroup":
      return [
        ...asArray(props.ingress).flatMap((r, i) => ruleProblems(asRecord(r), `ingress rule ${i}`, config)),
        ...(config.checkEgress ? asArray(props.egress).flatMap((r, i) => ruleProblems(asRecord(r), `egress rule ${i}`, config)) : []),
      ];
    case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
      return ruleProblems(props, "the ingress rule", config);
    case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
      return config.checkEgress ? ruleProblems(props, "the egress rule", config) : [];
    case "aws:ec2/securityGroupRule:SecurityGroupRule":
      return asString(props.type) === "egress" && !config.checkEgress ? [] : ruleProblems(props, `the ${asString(props.type) ?? ""} rule`.replace("  ", " "), config);
    default:
      return [];
  }
}

const TYPES = new Set([
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:ec2/securityGroupRule:SecurityGroupRule",
]);

export const noInternetSecurityGroups: ResourceValidationPolicy = {
  name: "no-internet-security-groups",
  description: "No security group rule admits traffic from the internet.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Allow only the VPC's CIDR blocks, a security group or a prefix list of the factory; the factory has no public entry point.",
  configSchema,
  validateResource: (args, reportViolation) => {
    if (!TYPES.has(args.type)) args.notApplicable("only security groups and their rules admit traffic");
    const config = configOf<Config>(args, configSchema);
    const r = planResourceOfArgs(args);
    for (const p of securityGroupProblems(r.type, r.props, config)) reportUnlessExempt(reportViolation, config.exemptions, r, p, false);
  },
};
