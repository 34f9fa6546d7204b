import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { EU_REGIONS } from "./places";

// Config pieces every policy shares. The Pulumi CLI fills a policy's config from its schema's defaults before
// the pack sees it; a pack run without that step gets `{}`, so `configOf` applies the same defaults itself.

export interface Exemption {
  /** A resource's URN, its logical name, or a type token (every resource of that type). */
  resource: string;
  /** Why the exemption is acceptable, in words an auditor reads (at least 20 characters). */
  justification: string;
}

export const MIN_JUSTIFICATION_CHARS = 20;

export const allowedRegionsProperty: PolicyConfigJSONSchema = {
  type: "array",
  items: { type: "string", minLength: 1 },
  default: [...EU_REGIONS],
  description:
    "AWS regions where data may live. Default: the regions of EU member states and the European Sovereign Cloud; add EEA or other regions only by decision.",
};

export const exemptionsProperty: PolicyConfigJSONSchema = {
  type: "array",
  items: {
    type: "object",
    properties: {
      resource: { type: "string", minLength: 1, description: "URN, logical name or type token" },
      justification: { type: "string", minLength: MIN_JUSTIFICATION_CHARS, description: "why this is acceptable" },
    },
    required: ["resource", "justification"],
    additionalProperties: false,
  },
  default: [],
  description: "Resources this policy does not apply to, each with a written justification.",
};

export interface ResidencyConfig {
  allowedRegions: string[];
  exemptions: Exemption[];
}

export const residencyConfigSchema: PolicyConfigSchema = {
  properties: { allowedRegions: allowedRegionsProperty, exemptions: exemptionsProperty },
};

export const exemptionsOnlySchema: PolicyConfigSchema = { properties: { exemptions: exemptionsProperty } };

/** The schema's top-level defaults, then the configured values over them (what the CLI does). */
export function defaultsOf(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema?.properties ?? {})) {
    if ("default" in property) out[key] = structuredClone((property as { default: unknown }).default);
  }
  return out;
}

export function configOf<T extends object>(args: { getConfig<C extends object>(): C }, schema: PolicyConfigSchema): T {
  return { ...defaultsOf(schema), ...args.getConfig<Record<string, unknown>>() } as T;
}

export interface Subject {
  urn: string;
  name: string;
  type: string;
}

/** The exemption that covers a resource, if any; one without a real justification covers nothing. */
export function exemptionFor(exemptions: readonly Exemption[] | undefined, subject: Subject): Exemption | undefined {
  return (exemptions ?? []).find(
    (e) =>
      (e.resource === subject.urn || e.resource === subject.name || e.resource === subject.type) &&
      typeof e.justification === "string" &&
      e.justification.trim().length >= MIN_JUSTIFICATION_CHARS,
  );
}

export function isAllowedRegion(region: string, config: { allowedRegions?: readonly string[] }): boolean {
  return (config.allowedRegions ?? EU_REGIONS).includes(region);
}
