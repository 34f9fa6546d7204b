import { KUBERNETES_1_33 } from "./1.33";
import { KUBERNETES_1_34 } from "./1.34";
import { KUBERNETES_1_35 } from "./1.35";
import type { KubernetesMinor } from "./types";

export { EKS_ADDON_NAMES, type EksAddonName, type KubernetesMinor } from "./types";
export { CHART_NAMES, CHART_RELEASES, chartRelease, formatSupport, releaseSupports, releasesSupporting, type ChartName, type ChartRelease } from "./chart-releases";

// The Kubernetes minors the factory has data for, oldest first. A new minor is a new file beside these and one line here.
export const KUBERNETES_MINORS: readonly KubernetesMinor[] = [KUBERNETES_1_33, KUBERNETES_1_34, KUBERNETES_1_35];

export function kubernetesMinor(version: string): KubernetesMinor | undefined {
  return KUBERNETES_MINORS.find((m) => m.version === version);
}

/** `1.34` → 34; NaN for anything else. */
export function minorNumber(version: string): number {
  const m = /^1\.(\d{1,3})$/.exec(version);
  return m ? Number(m[1]) : Number.NaN;
}

// EKS upgrades a control plane one minor at a time and never downgrades one (docs/sources.md#eks-update-cluster [P]).
export const MINORS_PER_UPGRADE = 1;

// Nodes may run up to three minors older than the API server, never newer (Kubernetes version skew policy,
// docs/sources.md#kubernetes-version-skew [P]: kubelet "must not be newer than kube-apiserver, and may be up to three
// minor versions older" from 1.28).
export const KUBELET_MINORS_BEHIND = 3;
