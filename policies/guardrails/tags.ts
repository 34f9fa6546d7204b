import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { TAG_COST_CENTER, TAG_DATA_CLASSIFICATION, TAG_FACTORY, TAG_TENANT } from "../../core/spec/tags";
import { DATA_CLASSIFICATIONS } from "../../core/spec/schema";
import { TAGGABLE_AWS_TYPES } from "../catalog/aws-types.generated";
import { configOf, exemptionsProperty, type Exemption } from "../lib/config";
import { PlanIndex, planResourceOfArgs, providerDefaultTags } from "../lib/plan";
import { reportUnlessExempt, type Problem } from "../lib/report";
import { asArray, asRecord, isOpaque, plain } from "../lib/values";

// Every taggable resource says which factory it belongs to, who pays and how sensitive its data is; one a tenant
// owns also names the tenant (DESIGN.md "Names"). The provider's defaultTags count: AWS merges them into every
// taggable resource, as the engine does.

interface Config {
  exemptions: Exemption[];
  requiredTags: string[];
  tenantTag: string;
  tenantComponentTypes: string[];
  dataClassifications: string[];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    exemptions: exemptionsProperty,
    requiredTags: { type: "array", items: { type: "string" }, default: [TAG_FACTORY, TAG_DATA_CLASSIFICATION, TAG_COST_CENTER], description: "Tags every taggable resource carries." },
    tenantTag: { type: "string", default: TAG_TENANT, description: "The tag naming the tenant that owns a resource." },
    tenantComponentTypes: { type: "array", items: { type: "string" }, default: ["gigafactory:tenancy:Tenant"], description: "Component types whose children a tenant owns." },
    dataClassifications: { type: "array", items: { type: "string" }, default: [...DATA_CLASSIFICATIONS], description: "Values data-classification may take." },
  },
};

/** Tags as a map, from `{k: v}` or the `[{key, value}]` form some resources take. */
export function tagMap(tags: unknown): Record<string, unknown> | "opaque" {
  const v = plain(tags);
  if (isOpaque(v)) return "opaque";
  if (Array.isArray(v)) {
    return Object.fromEntries(asArray(v).map((t) => [String(asRecord(t)?.key ?? ""), asRecord(t)?.value]));
  }
  return asRecord(v) ?? {};
}

export function tagProblems(
  r: { urn: string; type: string; props: Record<string, unknown>; provider?: Parameters<typeof providerDefaultTags>[0] },
  config: Omit<Config, "exemptions">,
): Problem[] {
  const own = tagMap(r.props.tags);
  if (own === "opaque") return [{ reason: "its tags are not known at plan time", fix: "pass tags as plain values" }];
  const merged: Record<string, unknown> = { ...providerDefaultTags(r.provider), ...own };
  const required = [...config.requiredTags];
  const tenantOwned = PlanIndex.typeChainOf(r.urn).some((t) => config.tenantComponentTypes.includes(t));
  if (tenantOwned) required.push(config.tenantTag);
  const problems: Problem[] = [];
  const missing = required.filter((k) => typeof merged[k] !== "string" || (merged[k] as string).trim() === "");
  if (missing.length > 0) {
    problems.push({
      reason: `missing tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (own tags and the provider's defaultTags together)`,
      fix: `set ${missing.join(", ")} in the provider's defaultTags${tenantOwned ? ` (and ${config.tenantTag} on the tenant's resources)` : ""}`,
    });
  }
  const classification = merged[TAG_DATA_CLASSIFICATION];
  if (typeof classification === "string" && classification !== "" && !config.dataClassifications.includes(classification)) {
    problems.push({ reason: `${TAG_DATA_CLASSIFICATION} is "${classification}"`, fix: `use one of ${config.dataClassifications.join(", ")}` });
  }
  return problems;
}

export const requiredTags: ResourceValidationPolicy = {
  name: "required-tags",
  description: "Every taggable AWS resource carries gigafactory:factory, data-classification and cost-center (and gigafactory:tenant when a tenant owns it), counting the provider's defaultTags.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: "Set the factory's tags once as the aws.Provider's defaultTags (core/spec/tags.ts factoryTags) and give tenant resources a gigafactory:tenant tag.",
  configSchema,
  validateResource: (args, reportViolation) => {
    const taggable = TAGGABLE_AWS_TYPES.has(args.type) || (args.type.startsWith("aws:") && "tags" in (plain(args.props) ?? {}));
    if (!taggable) args.notApplicable("the resource takes no tags");
    const config = configOf<Config>(args, configSchema);
    const r = planResourceOfArgs(args);
    for (const p of tagProblems(r, config)) reportUnlessExempt(reportViolation, config.exemptions, r, p, false);
  },
};
