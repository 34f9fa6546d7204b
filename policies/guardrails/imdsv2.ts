import type { ResourceValidationPolicy } from "@pulumi/policy";
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { configOf, exemptionsOnlySchema, type Exemption } from "../lib/config";
import { planResourceOfArgs } from "../lib/plan";
import { reportUnlessExempt } from "../lib/report";
import { asString, isOpaque } from "../lib/values";

// Instance metadata only through IMDSv2 sessions: a pod that reaches the node's metadata endpoint cannot steal
// its role's credentials with one forged GET. EC2 defaults httpTokens to "optional" unless the AMI says otherwise.

const TYPES = new Set(["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance", "aws:ec2/spotInstanceRequest:SpotInstanceRequest"]);
type MetadataOptions = Unwrap<aws.ec2.LaunchTemplateArgs>["metadataOptions"];

export function imdsProblem(metadataOptions: MetadataOptions | undefined): { reason: string; fix: string } | undefined {
  const tokens = metadataOptions?.httpTokens;
  if (tokens === "required") return undefined;
  if (asString(metadataOptions?.httpEndpoint) === "disabled") return undefined;
  const shown = tokens === undefined ? "not set (EC2 then allows IMDSv1)" : isOpaque(tokens) ? "not known at plan time" : `"${tokens}"`;
  return { reason: `metadataOptions.httpTokens is ${shown}`, fix: "set metadataOptions: { httpTokens: \"required\", httpPutResponseHopLimit: 2 }" };
}

export const imdsv2Required: ResourceValidationPolicy = {
  name: "imdsv2-required",
  description: "Every launch template and instance requires IMDSv2 (metadataOptions.httpTokens = \"required\").",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Set metadataOptions { httpEndpoint: \"enabled\", httpTokens: \"required\", httpPutResponseHopLimit: 2 } on the launch template.",
  configSchema: exemptionsOnlySchema,
  validateResource: (args, reportViolation) => {
    if (!TYPES.has(args.type)) args.notApplicable("only launch templates and instances carry metadata options");
    const { exemptions } = configOf<{ exemptions: Exemption[] }>(args, exemptionsOnlySchema);
    const r = planResourceOfArgs(args);
    const p = imdsProblem(r.props.metadataOptions as MetadataOptions);
    if (p) reportUnlessExempt(reportViolation, exemptions, r, p, false);
  },
};
