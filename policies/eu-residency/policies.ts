import type { Policies } from "@pulumi/policy";
import { dataEgress } from "./data-egress";
import { globalControlPlane, globalServices } from "./global-services";
import { imagesAndCharts } from "./images";
import { kubernetesCluster } from "./kubernetes-cluster";
import { pullThroughUpstreams } from "./pull-through-upstreams";
import { resourceRegion } from "./resource-region";

// The eu-residency pack's policies, in the order a report lists them.
export const euResidencyPolicies: Policies = [resourceRegion, kubernetesCluster, dataEgress, globalServices, globalControlPlane, imagesAndCharts, pullThroughUpstreams];

export { dataEgress, globalControlPlane, globalServices, imagesAndCharts, kubernetesCluster, pullThroughUpstreams, resourceRegion };
