import { LABEL_POOL, SYSTEM_POOL } from "../../blueprint/labels";
import { CNI_WARM_IP_TARGET, CNI_WARM_PREFIX_TARGET, type PodAddressing } from "../../blueprint/pods";

// The EKS add-ons the factory pins, per Kubernetes minor version. Pinned so that a plan never changes
// under a factory because AWS published a newer build. To refresh, for each add-on:
//   aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name> \
//     --query 'addons[].addonVersions[?compatibilities[?defaultVersion]].addonVersion'
// then update the table, plan, and review the diff. The 1.33 builds below are the defaults EKS offered for
// 1.33 in mid-2025 [S: several public EKS configurations agree]; vpc-cni is at least 1.20, the first
// release that can manage every network card (ENABLE_MULTI_NIC, docs/sources.md#vpc-cni [P]).

export const ADDON_NAMES = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "eks-node-monitoring-agent", "aws-ebs-csi-driver"] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

export const ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<AddonName, string>>>> = {
  "1.33": {
    "vpc-cni": "v1.20.0-eksbuild.1",
    "kube-proxy": "v1.33.0-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
    coredns: "v1.12.1-eksbuild.2",
    // The node monitoring agent sets the conditions (AcceleratedHardwareReady, NetworkingReady, ...) that the node
    // groups' auto-repair acts on (EKS "node health" [P]); v1.4.0 as published for 1.33 [S].
    "eks-node-monitoring-agent": "v1.4.0-eksbuild.2",
    // The EBS CSI driver provisions slurmctld's state volume (slurm/state-storage.ts); v1.45.0 as paired with
    // kube-proxy v1.33.0-eksbuild.2 in public EKS 1.33 configurations [S].
    "aws-ebs-csi-driver": "v1.45.0-eksbuild.2",
  },
};

export function addonVersions(kubernetesVersion: string): Readonly<Record<AddonName, string>> | undefined {
  return Object.prototype.hasOwnProperty.call(ADDON_VERSIONS, kubernetesVersion) ? ADDON_VERSIONS[kubernetesVersion] : undefined;
}

/**
 * The node monitoring agent on every node, the tainted GPU nodes too: a GPU or EFA fault it sees becomes a node
 * condition, and the unit's node group replaces the node (nodeRepairConfig, compute/gpu-node-pool.ts).
 */
export function nodeMonitoringConfiguration(): { nodeAgent: { tolerations: { operator: "Exists" }[] } } {
  return { nodeAgent: { tolerations: [{ operator: "Exists" }] } };
}

/**
 * The EBS CSI controller on the system pool, beside the other controllers, never on a GPU node; its node plugin
 * runs wherever a volume may be attached (the add-on's chart values [P: aws-ebs-csi-driver values.yaml]).
 */
export function ebsCsiConfiguration(): { controller: { nodeSelector: Record<string, string> } } {
  return { controller: { nodeSelector: { [LABEL_POOL]: SYSTEM_POOL } } };
}

/**
 * The VPC CNI's settings for the pods' addressing, the same warm pool the blueprint sized the subnets for
 * (core/blueprint/pods.ts): prefix delegation with WARM_PREFIX_TARGET, or single addresses with
 * WARM_IP_TARGET (docs/sources.md#vpc-cni [P]).
 */
export function cniConfiguration(mode: PodAddressing): { enableNetworkPolicy: "true"; env: Record<string, string> } {
  // The CNI's network policy agent enforces the tenants' NetworkPolicies (EKS network policy [P]): without it
  // they are stored and ignored.
  return mode === "prefix-delegation"
    ? { enableNetworkPolicy: "true", env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: String(CNI_WARM_PREFIX_TARGET) } }
    : { enableNetworkPolicy: "true", env: { ENABLE_PREFIX_DELEGATION: "false", WARM_IP_TARGET: String(CNI_WARM_IP_TARGET) } };
}

// CoreDNS answers every pod: one replica per ~250 nodes keeps each below its tested load, at least two
// for availability, spread by the add-on over the system AZs [U: project sizing, in the spirit of the
// cluster-proportional autoscaler's default of one replica per 256 nodes].
export const NODES_PER_COREDNS_REPLICA = 256;
export const COREDNS_MIN_REPLICAS = 2;

export function coreDnsConfiguration(nodes: number): { autoScaling: { enabled: true; minReplicas: number; maxReplicas: number } } {
  const minReplicas = Math.max(COREDNS_MIN_REPLICAS, Math.ceil(nodes / NODES_PER_COREDNS_REPLICA));
  return { autoScaling: { enabled: true, minReplicas, maxReplicas: minReplicas * 2 } };
}
