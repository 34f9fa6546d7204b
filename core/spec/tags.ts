import type { FactorySpec } from "./schema";

// The tags every taggable resource carries (DESIGN.md "Names"), set once as the provider's default tags.
export const TAG_FACTORY = "gigafactory:factory";
export const TAG_POOL = "gigafactory:pool";
export const TAG_TENANT = "gigafactory:tenant";
export const TAG_DATA_CLASSIFICATION = "data-classification";
export const TAG_COST_CENTER = "cost-center";

/** The factory-wide tags: the user's own first, then the ones the factory decides (which win). */
export function factoryTags(spec: FactorySpec): Record<string, string> {
  return {
    ...spec.tags,
    [TAG_FACTORY]: spec.name,
    [TAG_COST_CENTER]: spec.costCenter,
    [TAG_DATA_CLASSIFICATION]: spec.dataClassification,
  };
}
