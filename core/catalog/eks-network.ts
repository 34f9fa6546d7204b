// What EKS does to the network that a plan does not declare (Amazon EKS User Guide, "View Amazon EKS security group
// requirements for clusters" [P]; docs/sources.md#eks-cluster-security-group): EKS creates a cluster security group
// for every cluster, puts it on the control plane's network interfaces (beside the groups vpcConfig names) and on
// managed nodes without a launch template's own groups; its rules admit all traffic from members of the same group
// and let all traffic out.

export interface DefaultGroupRule {
  direction: "ingress" | "egress";
  /** "-1": every protocol and port. */
  protocol: string;
  /** The group itself, or an address range. */
  peer: { self: true } | { cidr: string };
  description: string;
}

export const EKS_CLUSTER_SECURITY_GROUP_RULES: readonly DefaultGroupRule[] = [
  { direction: "ingress", protocol: "-1", peer: { self: true }, description: "EKS cluster security group: all traffic from its members" },
  { direction: "egress", protocol: "-1", peer: { cidr: "0.0.0.0/0" }, description: "EKS cluster security group: all traffic out" },
];

/** The API server answers HTTPS on 443 (docs/sources.md#eks-cluster-endpoint). */
export const EKS_API_PORT = 443;
