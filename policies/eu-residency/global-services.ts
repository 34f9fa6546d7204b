import type { StackValidationPolicy } from "@pulumi/policy";
import { configOf, exemptionFor, exemptionsOnlySchema, type Exemption } from "../lib/config";
import { PlanIndex, planResourcesOf, type PlanResource } from "../lib/plan";
import { reportUnlessExempt, type Problem } from "../lib/report";
import { asArray, asString, isOpaque } from "../lib/values";
import { globalScopeOf } from "./whereabouts";

// Global services that hold or serve data outside any region (docs/sources.md#aws-fault-isolation-boundaries [P]): CloudFront and Global
// Accelerator edges, S3 Multi-Region Access Points, and public Route 53 zones whose records point users at data.
// Each is a violation unless exempted with a justification. Control-plane-only global services (IAM,
// Organizations...) hold no data and are reported by residency-global-control-plane.

const ZONE = "aws:route53/zone:Zone";
const RECORD_TYPES = new Set(["aws:route53/record:Record", "aws:route53/recordsExclusive:RecordsExclusive"]);
/** Record types that only delegate or describe the zone itself. */
const NON_DATA_RECORDS = new Set(["NS", "SOA"]);

export function isPublicZone(zone: PlanResource): boolean {
  const vpcs = zone.props.vpcs;
  return !(Array.isArray(vpcs) && vpcs.length > 0) && !isOpaque(vpcs);
}

function recordTypes(record: PlanResource): string[] {
  if (record.type === "aws:route53/record:Record") return [asString(record.props.type) ?? "?"];
  return asArray(record.props.resourceRecordSets).map((s) => asString((s as Record<string, unknown>)?.type) ?? "?");
}

/** The zone of a record: the plan zone it depends on, or undefined when the zone is not in the plan. */
function zoneOf(record: PlanResource, index: PlanIndex): PlanResource | undefined {
  return index.sourcesOf(record, "zoneId").find((d) => d.type === ZONE);
}

export interface GlobalFinding {
  resource: PlanResource;
  problem: Problem;
}

/** The data-bearing global resources of a plan, exemptions not yet applied. */
export function dataBearingGlobals(index: PlanIndex): GlobalFinding[] {
  const findings: GlobalFinding[] = [];
  for (const r of index.resources) {
    const scope = globalScopeOf(r.type);
    if (scope === "edge") {
      findings.push({
        resource: r,
        problem: { reason: `${r.type} serves data from AWS's global edge, outside every region`, fix: "serve the data from a regional endpoint, or exempt it with a justification" },
      });
    } else if (scope === "dns" && RECORD_TYPES.has(r.type)) {
      const types = recordTypes(r).filter((t) => !NON_DATA_RECORDS.has(t));
      if (types.length === 0) continue;
      const zone = zoneOf(r, index);
      if (!zone) {
        findings.push({
          resource: r,
          problem: { reason: `record ${r.name} (${types.join(", ")}) is in a zone this plan does not create, so whether it is public cannot be proven`, fix: "create the zone in this plan as a private zone (with `vpcs`), or exempt the record with a justification" },
        });
      } else if (isPublicZone(zone)) {
        findings.push({
          resource: r,
          problem: { reason: `record ${r.name} (${types.join(", ")}) is published worldwide by public zone ${zone.name}`, fix: "make the zone private to the factory's VPC, or exempt the record with a justification" },
        });
      }
    }
  }
  return findings;
}

/** Global resources that hold no data: control planes, and DNS that publishes nothing data-bearing. */
export function controlPlaneGlobals(index: PlanIndex): PlanResource[] {
  const flagged = new Set(dataBearingGlobals(index).map((f) => f.resource.urn));
  return index.resources.filter((r) => {
    const scope = globalScopeOf(r.type);
    return (scope === "control-plane" || scope === "dns") && !flagged.has(r.urn);
  });
}

export const globalServices: StackValidationPolicy = {
  name: "residency-global-services",
  description: "No global edge service (CloudFront, Global Accelerator, S3 Multi-Region Access Points) and no data-bearing record in a public Route 53 zone, unless exempted with a justification.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Serve data from regional endpoints inside the factory; keep DNS in private hosted zones attached to the factory's VPC; exempt a global service only with a written justification.",
  configSchema: exemptionsOnlySchema,
  validateStack: (args, reportViolation) => {
    const { exemptions } = configOf<{ exemptions: Exemption[] }>(args, exemptionsOnlySchema);
    const index = new PlanIndex(planResourcesOf(args.resources));
    for (const f of dataBearingGlobals(index)) {
      reportUnlessExempt(reportViolation, exemptions, f.resource, f.problem, true);
    }
  },
};

export const globalControlPlane: StackValidationPolicy = {
  name: "residency-global-control-plane",
  description: "Reports the plan's control-plane-only global resources (IAM, Organizations, private DNS...): they hold no factory data, but their control plane runs outside the EU.",
  enforcementLevel: "advisory",
  severity: "low",
  remediationSteps: "Nothing to change: listed so an auditor sees every global service the factory uses. Keep data out of names, tags and descriptions of these resources.",
  configSchema: exemptionsOnlySchema,
  validateStack: (args, reportViolation) => {
    const { exemptions } = configOf<{ exemptions: Exemption[] }>(args, exemptionsOnlySchema);
    const index = new PlanIndex(planResourcesOf(args.resources));
    const counts = new Map<string, number>();
    for (const r of controlPlaneGlobals(index)) if (!exemptionFor(exemptions, r)) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    if (counts.size === 0) args.notApplicable("the plan uses no global control-plane service");
    const list = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => `${t} ×${n}`).join(", ");
    reportViolation(`control-plane-only global resources (no factory data; control plane in us-east-1): ${list}`);
  },
};
