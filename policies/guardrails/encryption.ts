import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { configOf, exemptionsProperty, type Exemption } from "../lib/config";
import { PlanIndex, planResourcesOf } from "../lib/plan";
import { reportUnlessExempt } from "../lib/report";
import { awsWhereabouts } from "../eu-residency/whereabouts";
import { customerKeyProblem, customerManagedKeyArnsProperty, type KeyConfig } from "./customer-key";
import { DATA_STORE_RULES } from "./data-stores";

// Every data store is encrypted at rest with a customer-managed KMS key in its own region (DESIGN.md "Nothing
// lost": "encrypted with keys in the EU"), so the factory, not AWS, decides who can ever read the data.

interface Config extends KeyConfig {
  exemptions: Exemption[];
}

const configSchema: PolicyConfigSchema = { properties: { exemptions: exemptionsProperty, customerManagedKeyArns: customerManagedKeyArnsProperty } };

export const dataStoreEncryption: StackValidationPolicy = {
  name: "data-store-encryption",
  description: "Every data store (buckets, file systems, volumes and the classes that make them, databases, log groups, registries, secrets, node volumes) is encrypted with a customer-managed KMS key in its region.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Create the factory's KMS key in the region (components/foundation/factory-key.ts FactoryKey) and pass its ARN to every data store's key input; for buckets add a BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms.",
  configSchema,
  validateStack: (args, reportViolation) => {
    const config = configOf<Config>(args, configSchema);
    const index = new PlanIndex(planResourcesOf(args.resources));
    const stores = index.resources.filter((r) => DATA_STORE_RULES[r.type] !== undefined);
    if (stores.length === 0) args.notApplicable("the plan has no data store");
    for (const store of stores) {
      const where = awsWhereabouts(store);
      const region = where.kind === "regional" ? where.region : undefined;
      const finding = DATA_STORE_RULES[store.type](store, index);
      const problems = [...finding.problems];
      for (const use of finding.keys) {
        const p = customerKeyProblem(use.holder, index, use.keyRef, use.keyPath, region, config);
        if (p) problems.push(use.holder === store ? p : { ...p, reason: `${use.holder.name}: ${p.reason}` });
      }
      for (const p of problems) reportUnlessExempt(reportViolation, config.exemptions, store, p, true);
    }
  },
};
