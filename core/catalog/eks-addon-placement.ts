import type { EksAddonName } from "./kubernetes/types";

// Where each EKS add-on's pods run unless told otherwise. A node DaemonSet must run on every node, the tainted
// system and GPU nodes included; a controller belongs on the system pool. The add-ons below ship their DaemonSets
// tolerating every taint (`tolerations: [{operator: Exists}]`), so a new taint needs no setting of theirs:
// vpc-cni's aws-node (docs/sources.md#vpc-cni, config/master/aws-k8s-cni.yaml [P]), kube-proxy
// (docs/sources.md#eks-kube-proxy [U]) and the Pod Identity agent (docs/sources.md#eks-pod-identity-agent-chart,
// charts/eks-pod-identity-agent/values.yaml [P]).

export type AddonPlacement =
  /** Node DaemonSets that tolerate every taint by default. */
  | "every-node-by-default"
  /** Node DaemonSets told to tolerate every taint (eks-addons.ts). */
  | "every-node-configured"
  /** A controller placed on the system pool, its taint tolerated (eks-addons.ts). */
  | "system-pool"
  /** A controller on the system pool and a node DaemonSet on every node. */
  | "system-pool-and-every-node";

export const ADDON_PLACEMENT: Readonly<Record<EksAddonName, AddonPlacement>> = {
  "vpc-cni": "every-node-by-default",
  "kube-proxy": "every-node-by-default",
  "eks-pod-identity-agent": "every-node-by-default",
  "eks-node-monitoring-agent": "every-node-configured",
  coredns: "system-pool",
  "aws-ebs-csi-driver": "system-pool-and-every-node",
};
