// The Helm chart releases the factory knows, each with the Kubernetes minors its publisher says it runs on
// (docs/sources.md#chart-kubernetes-support). A minor's data file (1.33.ts, ...) selects one release of every chart
// from here; a selection outside a release's range is an error at kubernetes.version (blueprint/charts.ts).
//
// `basis: "chart"` is the chart's own statement (a supported-versions table, or its Chart.yaml kubeVersion);
// `basis: "api"` where the project publishes none, the Kubernetes API the chart relies on and since when it is
// stable. Each source names what was read; a range without `through` is a floor the publisher states, no ceiling.

export const CHART_NAMES = [
  "gpu-operator",
  "aws-efa-k8s-device-plugin",
  "kueue",
  "jobset",
  "cert-manager",
  "aws-fsx-csi-driver",
  "slurm-operator-crds",
  "slurm-operator",
  "slurm",
] as const;
export type ChartName = (typeof CHART_NAMES)[number];

export interface ChartRelease {
  version: string;
  /** The Kubernetes minors the release runs on: from `from`, through `through` when the publisher names a last one. */
  kubernetes: { from: string; through?: string };
  basis: "chart" | "api";
  /** Where the range is stated, as read. */
  source: string;
}

const SLINKY_1_2_1: ChartRelease = {
  version: "1.2.1",
  kubernetes: { from: "1.29" },
  basis: "chart",
  source: "SlinkyProject/slurm-operator v1.2.1: helm/*/Chart.yaml kubeVersion \">= 1.29.0-0\", README \"Minimum Kubernetes v1.29\" for v1.2 [P]",
};

export const CHART_RELEASES: Readonly<Record<ChartName, readonly ChartRelease[]>> = {
  "gpu-operator": [
    {
      version: "v26.3.3",
      kubernetes: { from: "1.32", through: "1.35" },
      basis: "chart",
      source: "NVIDIA GPU Operator platform support, Cloud Service Providers: Amazon EKS Kubernetes 1.32 to 1.35 for the 26.3 releases [P]",
    },
  ],
  "aws-efa-k8s-device-plugin": [
    {
      version: "v0.5.30",
      kubernetes: { from: "1.26" },
      basis: "api",
      source: "aws/eks-charts publishes no Kubernetes range for the chart; it serves the kubelet's device plugin API v1beta1, stable since 1.26 (Kubernetes docs, device plugins) [P]",
    },
  ],
  kueue: [
    {
      version: "0.19.2",
      kubernetes: { from: "1.29" },
      basis: "chart",
      source: "Kueue installation docs: \"A Kubernetes cluster with version 1.29 or newer\" [P]",
    },
  ],
  jobset: [
    {
      version: "0.12.0",
      kubernetes: { from: "1.21" },
      basis: "chart",
      source: "JobSet installation docs: \"A Kubernetes cluster with version 1.21 or newer\" [P]",
    },
  ],
  "cert-manager": [
    {
      version: "v1.21.1",
      kubernetes: { from: "1.33", through: "1.36" },
      basis: "chart",
      source: "cert-manager supported releases: 1.21 supports Kubernetes 1.33 to 1.36 [P]",
    },
  ],
  "aws-fsx-csi-driver": [
    {
      version: "1.17.0",
      kubernetes: { from: "1.17" },
      basis: "chart",
      source: "kubernetes-sigs/aws-fsx-csi-driver charts/aws-fsx-csi-driver Chart.yaml kubeVersion \">=1.17.0-0\" (since chart 1.0.0, CHANGELOG) [P]",
    },
  ],
  "slurm-operator-crds": [SLINKY_1_2_1],
  "slurm-operator": [SLINKY_1_2_1],
  slurm: [SLINKY_1_2_1],
};

/** `1.34` → 34; NaN for anything else. */
function minorOf(version: string): number {
  const m = /^1\.(\d{1,3})$/.exec(version);
  return m ? Number(m[1]) : Number.NaN;
}

export function chartRelease(chart: ChartName, version: string): ChartRelease | undefined {
  return CHART_RELEASES[chart].find((r) => r.version === version);
}

/** Whether the release says it runs on the Kubernetes minor. */
export function releaseSupports(release: ChartRelease, kubernetesVersion: string): boolean {
  const minor = minorOf(kubernetesVersion);
  if (Number.isNaN(minor) || minor < minorOf(release.kubernetes.from)) return false;
  return release.kubernetes.through === undefined || minor <= minorOf(release.kubernetes.through);
}

/** `1.29 or newer`, `1.32 to 1.35`. */
export function formatSupport(release: ChartRelease): string {
  return release.kubernetes.through === undefined ? `${release.kubernetes.from} or newer` : `${release.kubernetes.from} to ${release.kubernetes.through}`;
}

/** The releases of a chart that run on the minor, newest listed last. */
export function releasesSupporting(chart: ChartName, kubernetesVersion: string): ChartRelease[] {
  return CHART_RELEASES[chart].filter((r) => releaseSupports(r, kubernetesVersion));
}
