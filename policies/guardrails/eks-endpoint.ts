import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { configOf, exemptionsProperty, type Exemption } from "../lib/config";
import { PlanIndex, planResourcesOf } from "../lib/plan";
import { reportUnlessExempt, type Problem } from "../lib/report";
import { asArray, asBoolean, isOpaque } from "../lib/values";
import { awsWhereabouts } from "../eu-residency/whereabouts";
import { customerKeyProblem, customerManagedKeyArnsProperty, type KeyConfig } from "./customer-key";

// The cluster's API is reachable only from inside the VPC, and Kubernetes Secrets are envelope-encrypted with
// the factory's own key (EKS `encryptionConfig` with resources ["secrets"]).

const EKS_CLUSTER = "aws:eks/cluster:Cluster";
type ClusterInputs = Unwrap<aws.eks.ClusterArgs>;

interface Config extends KeyConfig {
  exemptions: Exemption[];
}

const configSchema: PolicyConfigSchema = { properties: { exemptions: exemptionsProperty, customerManagedKeyArns: customerManagedKeyArnsProperty } };

export function endpointProblems(cluster: Partial<ClusterInputs>): Problem[] {
  const problems: Problem[] = [];
  const vpc = cluster.vpcConfig;
  // EKS defaults: public access on, private access off (EKS API CreateCluster [P]).
  if (asBoolean(vpc?.endpointPublicAccess) !== false) {
    problems.push({ reason: "the API endpoint is public (endpointPublicAccess is not false; EKS defaults it to true)", fix: "set vpcConfig.endpointPublicAccess: false" });
  }
  if (asBoolean(vpc?.endpointPrivateAccess) !== true) {
    problems.push({ reason: "the API endpoint is not reachable privately (endpointPrivateAccess is not true)", fix: "set vpcConfig.endpointPrivateAccess: true" });
  }
  const secrets = asArray(cluster.encryptionConfig?.resources).includes("secrets");
  if (!secrets && !isOpaque(cluster.encryptionConfig)) {
    problems.push({ reason: "Kubernetes Secrets are not encrypted with a KMS key (no encryptionConfig with resources [\"secrets\"])", fix: "set encryptionConfig: { resources: [\"secrets\"], provider: { keyArn: <the factory's key ARN> } }" });
  }
  return problems;
}

export const eksPrivateEndpoint: StackValidationPolicy = {
  name: "eks-private-endpoint",
  description: "Every EKS cluster has a private-only API endpoint and encrypts Kubernetes Secrets with a customer-managed key in its region.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Set vpcConfig { endpointPublicAccess: false, endpointPrivateAccess: true } and encryptionConfig { resources: [\"secrets\"], provider: { keyArn } } with the factory's KMS key.",
  configSchema,
  validateStack: (args, reportViolation) => {
    const config = configOf<Config>(args, configSchema);
    const index = new PlanIndex(planResourcesOf(args.resources));
    const clusters = index.ofType(EKS_CLUSTER);
    if (clusters.length === 0) args.notApplicable("the plan has no EKS cluster");
    for (const cluster of clusters) {
      const inputs = cluster.props as Partial<ClusterInputs>;
      const problems = endpointProblems(inputs);
      const where = awsWhereabouts(cluster);
      const region = where.kind === "regional" ? where.region : undefined;
      if (inputs.encryptionConfig) {
        const p = customerKeyProblem(cluster, index, inputs.encryptionConfig.provider?.keyArn, "encryptionConfig.provider.keyArn", region, config);
        if (p) problems.push(p);
      }
      for (const p of problems) reportUnlessExempt(reportViolation, config.exemptions, cluster, p, true);
    }
  },
};
