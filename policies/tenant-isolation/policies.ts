import type { Policies } from "@pulumi/policy";
import { proofCoverage, propertyPolicy } from "./property-policy";

// The tenant-isolation pack's policies, one per property, in the order a report lists them.
export const isolationPolicies: Policies = [
  propertyPolicy("tenant-s3-isolated"),
  propertyPolicy("tenant-key-isolated"),
  propertyPolicy("tenant-lustre-isolated"),
  propertyPolicy("tenant-namespace-isolated"),
  propertyPolicy("tenant-network-isolated"),
  propertyPolicy("tenant-pods-reach-services"),
  propertyPolicy("deploy-path-reaches-api"),
  propertyPolicy("gpu-nodes-reach-services"),
  propertyPolicy("no-external-flows"),
  proofCoverage,
];
