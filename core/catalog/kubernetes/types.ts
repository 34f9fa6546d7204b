import type { ChartName } from "./chart-releases";

// What the factory pins for one Kubernetes minor version: the EKS add-on builds, the Helm chart releases, the node
// image release a pool gets when it names none, and what an upgrade to the minor must know. One data file per minor
// (1.33.ts, 1.34.ts, ...): a minor bump of the spec is `kubernetes.version`, one line, once its file exists.

export const EKS_ADDON_NAMES = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "eks-node-monitoring-agent", "aws-ebs-csi-driver"] as const;
export type EksAddonName = (typeof EKS_ADDON_NAMES)[number];

export interface KubernetesMinor {
  /** `1.34`. */
  version: string;
  /** The EKS add-on builds pinned for clusters of this minor. */
  addons: Readonly<Record<EksAddonName, string>>;
  /** The release of every chart the factory installs on this minor (chart-releases.ts says which minors each runs on). */
  charts: Readonly<Record<ChartName, string>>;
  /** An EKS-optimized AL2023 release published for this minor (`1.34-v20251016`), the example a finding offers. */
  nodeImageRelease: string;
  /** What an upgrade to this minor changes that a reviewer should read, one line each. */
  upgradeNotes: readonly string[];
  /**
   * Pins of this file no public source confirmed, each with how to confirm it: a plan of this minor warns at
   * kubernetes.version until the list is empty.
   */
  unconfirmed: readonly string[];
}
