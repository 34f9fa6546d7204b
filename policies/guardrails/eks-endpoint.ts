import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { configOf, exemptionsProperty, type Exemption } from "../lib/config";
import { PlanIndex, planResourcesOf } from "../lib/plan";
import { reportUnlessExempt, type Problem } from "../lib/report";
import { asArray, asBoolean, isOpaque } from "../lib/values";
import { awsWhereabouts } from "../eu-residency/whereabouts";
import { customerKeyProblem, customerManagedKeyArnsProperty, type KeyConfig } from "./customer-key";

// The cluster's API is reachable only from inside the VPC (or, when a public endpoint is on, only from an explicit
// list of source ranges that never holds the whole internet: docs/sources.md#eks-cluster-endpoint), and Kubernetes Secrets are envelope-encrypted with
// the factory's own key (EKS `encryptionConfig` with resources ["secrets"]).

const EKS_CLUSTER = "aws:eks/cluster:Cluster";
type ClusterInputs = Unwrap<aws.eks.ClusterArgs>;

interface Config extends KeyConfig {
  exemptions: Exemption[];
}

const configSchema: PolicyConfigSchema = { properties: { exemptions: exemptionsProperty, customerManagedKeyArns: customerManagedKeyArnsProperty } };

const WHOLE_INTERNET = new Set(["0.0.0.0/0", "::/0"]);

/** A public endpoint passes only with an explicit, plain list of source ranges (EKS defaults the list to 0.0.0.0/0). */
export function publicEndpointProblems(cidrs: unknown): Problem[] {
  const fix = "set vpcConfig.endpointPublicAccess: false, or list the operators' ranges in vpcConfig.publicAccessCidrs";
  if (isOpaque(cidrs)) return [{ reason: "the API endpoint is public and its publicAccessCidrs are not known at plan time", fix }];
  const list = asArray(cidrs);
  if (list.length === 0) return [{ reason: "the API endpoint is public to every address (endpointPublicAccess is not false and publicAccessCidrs is empty; EKS defaults both to open)", fix }];
  return list.flatMap((c): Problem[] => {
    if (typeof c !== "string") return [{ reason: "the API endpoint is public and one of its publicAccessCidrs is not a plain value", fix }];
    return WHOLE_INTERNET.has(c.trim()) ? [{ reason: `the API endpoint is public to the whole internet (publicAccessCidrs holds ${c.trim()})`, fix }] : [];
  });
}

export function endpointProblems(cluster: Partial<ClusterInputs>): Problem[] {
  const problems: Problem[] = [];
  const vpc = cluster.vpcConfig;
  // EKS defaults: public access on, private access off (EKS API CreateCluster [P]).
  if (asBoolean(vpc?.endpointPublicAccess) !== false) problems.push(...publicEndpointProblems(vpc?.publicAccessCidrs));
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
  description: "Every EKS cluster has a private API endpoint (public only for an explicit list of source ranges, never 0.0.0.0/0) and encrypts Kubernetes Secrets with a customer-managed key in its region.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Set vpcConfig { endpointPrivateAccess: true, endpointPublicAccess: false } (or a public endpoint with publicAccessCidrs naming the operators' ranges only) and encryptionConfig { resources: [\"secrets\"], provider: { keyArn } } with the factory's KMS key.",
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
