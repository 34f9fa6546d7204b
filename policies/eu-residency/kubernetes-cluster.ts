import type { StackValidationPolicy } from "@pulumi/policy";
import { configOf, isAllowedRegion, residencyConfigSchema, type ResidencyConfig } from "../lib/config";
import { placeOf } from "../lib/places";
import { asPlanProvider, PlanIndex, planResourcesOf, type PlanProvider, type PlanResource } from "../lib/plan";
import { reportUnlessExempt } from "../lib/report";
import { isOpaque } from "../lib/values";
import { awsWhereabouts, type Whereabouts } from "./whereabouts";

// A Kubernetes object's data lives in its cluster's etcd. The cluster is found from the provider's kubeconfig
// (an EKS endpoint or `--region` names the region) or, when the kubeconfig is a secret or not known yet, from the
// EKS cluster in the plan the provider was built from. A provider with no kubeconfig reads the environment's.

const EKS_CLUSTER = "aws:eks/cluster:Cluster";

/** Regions named anywhere in a kubeconfig (server hosts, `--region` arguments, cluster ARNs). */
export function regionsInKubeconfig(kubeconfig: unknown): string[] {
  const text = typeof kubeconfig === "string" ? kubeconfig : JSON.stringify(kubeconfig ?? "");
  const regions = new Set<string>();
  for (const token of text.split(/[\s"',[\]{}]+/)) {
    const place = token ? placeOf(token) : undefined;
    if (place && place.region) regions.add(place.region);
  }
  return [...regions].sort();
}

/** Where the cluster a Kubernetes provider talks to keeps its data. */
export function clusterWhereabouts(provider: PlanProvider | undefined, index: PlanIndex): Whereabouts {
  if (!provider) return { kind: "no-data", how: "component" };
  if (typeof provider.props.renderYamlToDirectory === "string") return { kind: "local", how: "rendered to YAML files, no cluster" };
  const kubeconfig = provider.props.kubeconfig;
  if (kubeconfig !== undefined && kubeconfig !== null && !isOpaque(kubeconfig)) {
    // A readable kubeconfig decides alone: a dependency on a plan cluster proves nothing about the server it names.
    const regions = regionsInKubeconfig(kubeconfig);
    if (regions.length === 1) return { kind: "cluster", region: regions[0], how: `kubeconfig of provider ${provider.name}` };
    if (regions.length > 1) {
      return { kind: "unproven", reason: `the kubeconfig of provider ${provider.name} names several regions (${regions.join(", ")})`, fix: "use one kubeconfig per cluster" };
    }
    if (kubeconfig !== "") {
      return {
        kind: "unproven",
        reason: `the kubeconfig of provider ${provider.name} names no EKS endpoint or region, so its cluster cannot be placed`,
        fix: "build the provider's kubeconfig from the factory's EKS cluster (its endpoint names the region)",
      };
    }
  }
  const providerResource = index.get(provider.urn);
  const clusters = providerResource ? index.sourcesOf(providerResource, "kubeconfig").filter((d) => d.type === EKS_CLUSTER) : [];
  if (clusters.length === 1) {
    const where = awsWhereabouts(clusters[0]);
    if (where.kind === "regional") return { kind: "cluster", region: where.region, how: `EKS cluster ${clusters[0].name} in the plan (${where.how})` };
    return where;
  }
  if (kubeconfig === undefined || kubeconfig === null || kubeconfig === "") {
    return {
      kind: "unproven",
      reason: `provider ${provider.name} has no kubeconfig: it talks to whatever cluster KUBECONFIG names when it runs`,
      fix: "give the Kubernetes provider the kubeconfig of the factory's EKS cluster",
    };
  }
  return {
    kind: "unproven",
    reason: `the cluster of provider ${provider.name} cannot be placed: its kubeconfig names no region and it was built from ${clusters.length === 0 ? "no" : "more than one"} EKS cluster of the plan`,
    fix: "build the provider's kubeconfig from the factory's EKS cluster",
  };
}

export function kubernetesWhereabouts(r: PlanResource, index: PlanIndex): Whereabouts {
  return clusterWhereabouts(r.provider ? asPlanProvider(r.provider) : undefined, index);
}

export const kubernetesCluster: StackValidationPolicy = {
  name: "residency-kubernetes-cluster",
  description: "Every Kubernetes object lives in a cluster proven to be in an allowed region.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Build the Kubernetes provider from the factory's EKS cluster (its endpoint names the region) and pass it to every Kubernetes object and chart; never rely on the ambient KUBECONFIG.",
  configSchema: residencyConfigSchema,
  validateStack: (args, reportViolation) => {
    const config = configOf<ResidencyConfig>(args, residencyConfigSchema);
    const index = new PlanIndex(planResourcesOf(args.resources));
    const objects = index.resources.filter((r) => r.type.startsWith("kubernetes:") && r.provider);
    if (objects.length === 0) args.notApplicable("the plan has no Kubernetes objects");
    const byProvider = new Map<string, Whereabouts>();
    for (const r of objects) {
      const key = r.provider!.urn;
      if (!byProvider.has(key)) byProvider.set(key, kubernetesWhereabouts(r, index));
      const where = byProvider.get(key)!;
      const subject = { urn: r.urn, name: r.name, type: r.type };
      if (where.kind === "unproven") reportUnlessExempt(reportViolation, config.exemptions, subject, where, true);
      else if (where.kind === "cluster" && !isAllowedRegion(where.region, config)) {
        reportUnlessExempt(reportViolation, config.exemptions, subject, {
          reason: `its cluster is in ${where.region} (${where.how}), outside the allowed regions`,
          fix: `run the factory's cluster in one of ${config.allowedRegions.join(", ")}`,
        }, true);
      }
    }
  },
};
