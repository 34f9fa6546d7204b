import type { ClusterPlan } from "./types";
import { serviceCidr } from "./service-cidr";
import { controlPlaneTier } from "./tier";

// The EKS control plane's sizing: the Services' range, which every node's NodeConfig names, and the tier for
// the nodes the cluster holds at full size.

export function planCluster(vpcCidrs: readonly string[], nodes: number): ClusterPlan {
  // None left free is an error finding of the design (checks/kubernetes.ts validateServiceCidr).
  return { serviceCidr: serviceCidr(vpcCidrs) ?? null, nodes, controlPlaneTier: controlPlaneTier(nodes) };
}
