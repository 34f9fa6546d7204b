import { LABEL_POOL, SYSTEM_POOL, SYSTEM_TAINT } from "../../blueprint/labels";
import { CNI_WARM_IP_TARGET, CNI_WARM_PREFIX_TARGET, type PodAddressing } from "../../blueprint/pods";
import { EKS_ADDON_NAMES, KUBERNETES_MINORS, kubernetesMinor, type EksAddonName } from "../../catalog/kubernetes";

// The EKS add-ons the factory pins, per Kubernetes minor version: one data file per minor in core/catalog/kubernetes,
// so that a plan never changes under a factory because AWS published a newer build, and a minor bump is one line of
// the spec. To refresh a build, change its minor's file, plan, and review the diff.

export const ADDON_NAMES = EKS_ADDON_NAMES;
export type AddonName = EksAddonName;

export const ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<AddonName, string>>>> = Object.fromEntries(
  KUBERNETES_MINORS.map((m) => [m.version, m.addons]),
);

export function addonVersions(kubernetesVersion: string): Readonly<Record<AddonName, string>> | undefined {
  return kubernetesMinor(kubernetesVersion)?.addons;
}

/**
 * The node monitoring agent on every node, the tainted GPU nodes too: a GPU or EFA fault it sees becomes a node
 * condition, and the unit's node group replaces the node (nodeRepairConfig, compute/gpu-node-pool.ts).
 */
export function nodeMonitoringConfiguration(): { nodeAgent: { tolerations: { operator: "Exists" }[] } } {
  return { nodeAgent: { tolerations: [{ operator: "Exists" }] } };
}

type SystemToleration = { key: string; operator: "Exists"; effect: string };

// The system pool's taint tolerated, in the add-ons' configuration schemas' own shape (docs/sources.md#eks-addon-configuration).
// The add-ons' configuration is JSON of their own and keeps no type of the Helm values' renderers (addon-values.ts).
const systemToleration = (): SystemToleration => ({ key: SYSTEM_TAINT.key, operator: "Exists", effect: SYSTEM_TAINT.effect });

/**
 * The EBS CSI controller on the system pool, beside the other controllers, never on a GPU node; its node plugin
 * runs on every node whatever its taints, the system nodes' included, where slurmctld's state volume attaches
 * (the add-on's chart values, docs/sources.md#eks-addon-configuration [P]: aws-ebs-csi-driver values.yaml).
 */
export function ebsCsiConfiguration(): { controller: { nodeSelector: Record<string, string>; tolerations: SystemToleration[] }; node: { tolerateAllTaints: true } } {
  return { controller: { nodeSelector: { [LABEL_POOL]: SYSTEM_POOL }, tolerations: [systemToleration()] }, node: { tolerateAllTaints: true } };
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

export interface CoreDnsConfiguration {
  autoScaling: { enabled: true; minReplicas: number; maxReplicas: number };
  nodeSelector: Record<string, string>;
  tolerations: SystemToleration[];
}

/** CoreDNS on the system pool with the other controllers, its taint tolerated (docs/sources.md#eks-addon-configuration). */
export function coreDnsConfiguration(nodes: number): CoreDnsConfiguration {
  const minReplicas = Math.max(COREDNS_MIN_REPLICAS, Math.ceil(nodes / NODES_PER_COREDNS_REPLICA));
  return { autoScaling: { enabled: true, minReplicas, maxReplicas: minReplicas * 2 }, nodeSelector: { [LABEL_POOL]: SYSTEM_POOL }, tolerations: [systemToleration()] };
}
