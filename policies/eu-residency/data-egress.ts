import type { StackValidationPolicy } from "@pulumi/policy";
import { configOf, residencyConfigSchema, type ResidencyConfig } from "../lib/config";
import { isProviderType, PlanIndex, planResourcesOf, type PlanResource } from "../lib/plan";
import { reportUnlessExempt } from "../lib/report";
import { flowsOf, type Flow } from "./flows";
import { kubernetesWhereabouts } from "./kubernetes-cluster";
import { awsWhereabouts } from "./whereabouts";

// Replication, copies, log and metric destinations, peering and PrivateLink: every place an input names must be
// an allowed region, proven from the value or from the plan. A destination nobody can place is a violation.

/** The region a resource itself is proven in, when it is. */
export function ownRegionOf(r: PlanResource, index: PlanIndex): string | undefined {
  const where = r.type.startsWith("kubernetes:") ? kubernetesWhereabouts(r, index) : awsWhereabouts(r);
  return where.kind === "regional" || where.kind === "cluster" ? where.region : undefined;
}

/** Every flow of the plan: the resources a policy or the evidence reads (not providers or components). */
export function planFlows(index: PlanIndex, config: { allowedRegions?: readonly string[] }): Flow[] {
  const flows: Flow[] = [];
  for (const r of index.resources) {
    if (!r.provider || isProviderType(r.type)) continue;
    flows.push(...flowsOf(r, index, config, ownRegionOf(r, index)));
  }
  return flows;
}

export const dataEgress: StackValidationPolicy = {
  name: "residency-data-egress",
  description:
    "Data copied or sent out of a resource (replication, replicas, copies, backups, log and metric destinations, peering, PrivateLink, any endpoint) lands in an allowed region proven from the plan or the ARN.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Point every replication, copy, backup, log or metric destination at a resource this plan creates in an allowed region (or at an ARN or regional endpoint in one); " +
    "remove cross-region peering or PrivateLink to other regions; exempt a destination only with a written justification.",
  configSchema: residencyConfigSchema,
  validateStack: (args, reportViolation) => {
    const config = configOf<ResidencyConfig>(args, residencyConfigSchema);
    const index = new PlanIndex(planResourcesOf(args.resources));
    for (const f of planFlows(index, config)) {
      if (f.verdict === "allowed") continue;
      reportUnlessExempt(reportViolation, config.exemptions, { urn: f.urn, name: f.name, type: f.type }, { reason: f.reason ?? `\`${f.path}\` lands outside the allowed regions`, fix: f.fix ?? "keep it in an allowed region" }, true);
    }
  },
};
