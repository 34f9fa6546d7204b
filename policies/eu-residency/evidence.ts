import { createHash } from "node:crypto";
import { stableStringify, type PlanSnapshot } from "../../plan/snapshot";
import { exemptionFor, isAllowedRegion, type Exemption } from "../lib/config";
import { asPlanProvider, packageOf, type PlanIndex, type PlanResource } from "../lib/plan";
import { planFlows } from "./data-egress";
import type { Flow } from "./flows";
import { clusterWhereabouts, kubernetesWhereabouts } from "./kubernetes-cluster";
import { awsWhereabouts, DEFAULT_LOCAL_PACKAGES, isLocalOnly, providerRegion, type Whereabouts } from "./whereabouts";

// What an auditor asks for: every resource with the region it is proven in and how, every data flow out of it
// and where it lands, every exemption with its justification, the pack versions and the plan's hash. Built from
// the same functions the policies prove residency with, so the evidence and the check cannot disagree.

export interface ResourceEvidence {
  urn: string;
  type: string;
  name: string;
  /** A region code, or what stands for one ("global control plane", "no data"...). */
  where: string;
  /** How the place is proven (own input, provider, plan), or why it is not. */
  how: string;
  verdict: "allowed" | "outside" | "unproven" | "global" | "no data";
}

export interface ExemptionEvidence {
  policy: string;
  resource: string;
  justification: string;
  /** The plan's resources it covers. */
  covers: string[];
}

export interface ResidencyEvidence {
  project: string;
  stack: string;
  planHash: string;
  packs: { name: string; version: string }[];
  allowedRegions: string[];
  resources: ResourceEvidence[];
  flows: Flow[];
  exemptions: ExemptionEvidence[];
}

/** sha256 of the snapshot in its stable form: the same plan always has the same hash. */
export function planHashOf(snapshot: PlanSnapshot): string {
  return `sha256:${createHash("sha256").update(stableStringify(snapshot, 0)).digest("hex")}`;
}

function fromWhereabouts(where: Whereabouts, allowedRegions: readonly string[]): Pick<ResourceEvidence, "where" | "how" | "verdict"> {
  switch (where.kind) {
    case "regional":
    case "cluster":
      return { where: where.region, how: where.how, verdict: isAllowedRegion(where.region, { allowedRegions }) ? "allowed" : "outside" };
    case "global":
      return {
        where: where.scope === "edge" ? "global edge" : where.scope === "dns" ? "global (Route 53)" : "global control plane",
        how: `${where.service} is a global service`,
        verdict: "global",
      };
    case "local":
      return { where: "program state only", how: where.how, verdict: "no data" };
    case "no-data":
      return { where: "no data", how: where.how, verdict: "no data" };
    case "unproven":
      return { where: "unproven", how: where.reason, verdict: "unproven" };
  }
}

export function whereaboutsOf(r: PlanResource, index: PlanIndex, localPackages: readonly string[]): Whereabouts {
  if (r.type === "pulumi:providers:aws") return providerRegion(asPlanProvider(r));
  if (r.type === "pulumi:providers:kubernetes") return clusterWhereabouts(asPlanProvider(r), index);
  if (r.type.startsWith("pulumi:providers:")) return { kind: "no-data", how: "provider of another package" };
  if (!r.provider) return { kind: "no-data", how: r.type === "pulumi:pulumi:Stack" ? "the stack" : "component" };
  if (isLocalOnly(r.type, localPackages)) return { kind: "local", how: `${packageOf(r.type)} keeps its values in the program's state` };
  if (r.type.startsWith("kubernetes:")) return kubernetesWhereabouts(r, index);
  if (packageOf(r.type) === "aws") return awsWhereabouts(r);
  return { kind: "unproven", reason: `package ${packageOf(r.type)} cannot say where it keeps data`, fix: "" };
}

export interface EvidenceInput {
  snapshot: PlanSnapshot;
  /** The plan as the policies see it (resources with their providers). */
  index: PlanIndex;
  packs: { name: string; version: string }[];
  allowedRegions: string[];
  localPackages?: string[];
  /** Exemptions per policy, from the reconciled config. */
  exemptions: { policy: string; exemptions: Exemption[] }[];
}

export function residencyEvidence(input: EvidenceInput): ResidencyEvidence {
  const { index, allowedRegions } = input;
  const local = input.localPackages ?? [...DEFAULT_LOCAL_PACKAGES];
  const resources = index.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, ...fromWhereabouts(whereaboutsOf(r, index, local), allowedRegions) }));
  const flows = planFlows(index, { allowedRegions }).filter((f) => f.outward || f.verdict !== "allowed");
  const exemptions: ExemptionEvidence[] = input.exemptions.flatMap(({ policy, exemptions }) =>
    exemptions.map((e) => ({
      policy,
      resource: e.resource,
      justification: e.justification,
      covers: index.resources.filter((r) => exemptionFor([e], r) !== undefined).map((r) => r.urn),
    })),
  );
  return {
    project: input.snapshot.project,
    stack: input.snapshot.stack,
    planHash: planHashOf(input.snapshot),
    packs: input.packs,
    allowedRegions,
    resources,
    flows,
    exemptions,
  };
}
