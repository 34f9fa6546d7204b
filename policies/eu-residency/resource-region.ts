import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { allowedRegionsProperty, configOf, exemptionsProperty, isAllowedRegion, type ResidencyConfig } from "../lib/config";
import { asPlanProvider, isProviderType, packageOf, planResourceOfArgs } from "../lib/plan";
import { reportUnlessExempt } from "../lib/report";
import { awsProviderProblems, awsWhereabouts, DEFAULT_LOCAL_PACKAGES, isLocalOnly } from "./whereabouts";

// Every AWS resource proves its region from its own input or its provider's; every AWS provider is pinned to an
// allowed region and sends no call elsewhere; resources of packages that cannot say where they keep data fail.

interface Config extends ResidencyConfig {
  localPackages: string[];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    allowedRegions: allowedRegionsProperty,
    exemptions: exemptionsProperty,
    localPackages: {
      type: "array",
      items: { type: "string" },
      default: [...DEFAULT_LOCAL_PACKAGES],
      description: "Packages whose resources exist only in the program and its state (no data placed anywhere).",
    },
  },
};

export const resourceRegion: ResourceValidationPolicy = {
  name: "residency-resource-region",
  description: "Every resource proves the region its data lives in (own `region` input, else its provider's), and that region is allowed.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Give the factory's explicit aws.Provider a `region` in an allowed region (or set `aws:region` in the stack config for the default provider); " +
    "set a resource's own `region` only to an allowed region; remove endpoint overrides that point elsewhere.",
  configSchema,
  validateResource: (args, reportViolation) => {
    const config = configOf<Config>(args, configSchema);
    const r = planResourceOfArgs(args);
    const subject = { urn: r.urn, name: r.name, type: r.type };
    if (r.type === "pulumi:providers:aws") {
      for (const p of awsProviderProblems(asPlanProvider(r), config)) {
        reportUnlessExempt(reportViolation, config.exemptions, subject, p, false);
      }
      return;
    }
    if (isProviderType(r.type)) args.notApplicable("provider resources other than aws are judged through the resources they manage");
    const pkg = packageOf(r.type);
    if (pkg === "kubernetes") args.notApplicable("Kubernetes objects live in their cluster: see residency-kubernetes-cluster");
    if (!r.provider) args.notApplicable("a component or the stack holds no data of its own");
    if (isLocalOnly(r.type, config.localPackages)) args.notApplicable(`${pkg} resources exist only in the program and its state`);
    if (pkg !== "aws") {
      reportUnlessExempt(reportViolation, config.exemptions, subject, {
        reason: `${r.type} belongs to package ${pkg}, whose data location this pack cannot prove`,
        fix: "manage it with the aws provider in an allowed region, or exempt it with a justification",
      }, false);
      return;
    }
    const where = awsWhereabouts(r);
    if (where.kind === "global") args.notApplicable(`${r.type} is a global service: see residency-global-services`);
    if (where.kind === "unproven") {
      reportUnlessExempt(reportViolation, config.exemptions, subject, where, false);
    } else if (where.kind === "regional" && !isAllowedRegion(where.region, config)) {
      reportUnlessExempt(reportViolation, config.exemptions, subject, {
        reason: `its data lives in ${where.region} (${where.how}), outside the allowed regions`,
        fix: `place it in one of ${config.allowedRegions.join(", ")}`,
      }, false);
    }
  },
};
