// How tenants reach Slurm's login pods: the login Service is an internal Network Load Balancer (slinky-values.ts
// loginService) that EKS's AWS load balancer controller places in the subnets tagged for internal load balancers
// (EKS user guide, "Route TCP and UDP traffic with Network Load Balancers", subnet tags [P],
// docs/sources.md#eks-load-balancers). Only the system subnets carry the tag: the load balancer sits beside the
// deploy runner and the control plane's interfaces, reached from the operator networks the spec admits, never in a
// GPU subnet. The controller opens the nodes' port for the Service's loadBalancerSourceRanges alone (Kubernetes
// "Service", `loadBalancerSourceRanges` [P]); without them it would open it to 0.0.0.0/0.

export const INTERNAL_ELB_TAG = "kubernetes.io/role/internal-elb";

/** The tags a subnet of this role carries for load balancers. */
export function loadBalancerSubnetTags(role: string): Record<string, string> {
  return role === "system" ? { [INTERNAL_ELB_TAG]: "1" } : {};
}
