import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { parseArn } from "../lib/places";
import { KMS_ALIAS_TYPE, KMS_KEY_TYPES, type PlanIndex, type PlanResource } from "../lib/plan";
import type { Problem } from "../lib/report";
import { isOpaque, isUnknown } from "../lib/values";
import { awsWhereabouts } from "../eu-residency/whereabouts";

// A data store's key is customer-managed and in the store's region when the plan creates it there (the store's
// key input comes from a plan KMS key or alias), or when it is an ARN the config lists as the factory's own key.
// An ARN or key id alone cannot tell a customer-managed key from an AWS-managed one.

export interface KeyConfig {
  customerManagedKeyArns: string[];
}

export const customerManagedKeyArnsProperty: PolicyConfigJSONSchema = {
  type: "array",
  items: { type: "string", pattern: "^arn:[a-z-]+:kms:" },
  default: [],
  description: "ARNs of customer-managed keys created outside this plan that data stores may use.",
};

/** Why a store's key reference is not a customer-managed key in its region; undefined when it is. */
export function customerKeyProblem(
  store: PlanResource,
  index: PlanIndex,
  keyRef: unknown,
  keyPath: string,
  storeRegion: string | undefined,
  config: KeyConfig,
): Problem | undefined {
  if (keyRef === undefined || keyRef === null || keyRef === "") {
    return { reason: `\`${keyPath}\` is not set, so the data is encrypted with an AWS-owned or AWS-managed key at best`, fix: `set \`${keyPath}\` to the factory's customer-managed KMS key in the store's region` };
  }
  if (typeof keyRef === "string" && !isOpaque(keyRef)) {
    if (/(^|:)alias\/aws\//.test(keyRef)) {
      return { reason: `\`${keyPath}\` = ${keyRef} is an AWS-managed key`, fix: "use the factory's customer-managed KMS key" };
    }
    const arn = parseArn(keyRef);
    if (arn && storeRegion && arn.region !== storeRegion) {
      return { reason: `\`${keyPath}\` = ${keyRef} is a key in ${arn.region}, not in the store's region ${storeRegion}`, fix: `use a customer-managed key in ${storeRegion}` };
    }
    if (config.customerManagedKeyArns.includes(keyRef)) return undefined;
  }
  const top = keyPath.split(".")[0];
  const keys = index.sourcesOf(store, top).filter((d) => KMS_KEY_TYPES.has(d.type) || d.type === KMS_ALIAS_TYPE);
  if (keys.length === 0) {
    const what = isUnknown(keyRef) ? "is not known until deployment" : isOpaque(keyRef) ? "is a secret" : `= ${String(keyRef)}`;
    return {
      reason: `\`${keyPath}\` ${what} and does not come from a KMS key of this plan, so it cannot be proven customer-managed`,
      fix: "pass the ARN of the factory's KMS key created in this plan (or list an external customer-managed key in customerManagedKeyArns)",
    };
  }
  for (const key of keys) {
    const where = awsWhereabouts(key);
    const keyRegion = where.kind === "regional" ? where.region : undefined;
    if (!keyRegion) return { reason: `the key ${key.name} it uses has no proven region`, fix: "pin the key's provider to the store's region" };
    if (storeRegion && keyRegion !== storeRegion) {
      return { reason: `it is encrypted with key ${key.name} in ${keyRegion}, not in its own region ${storeRegion}`, fix: `use a customer-managed key in ${storeRegion}` };
    }
  }
  return undefined;
}
