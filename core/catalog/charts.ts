import { instanceType } from "./instances";

// The Helm charts the factory installs into its cluster, each pinned to one version so that two deploys of
// the same commit install the same thing (docs/sources.md#helm-chart-versions).
//
// Which release of a chart a cluster runs is its Kubernetes minor's choice (core/catalog/kubernetes/1.3x.ts
// `charts`, each release with the minors its publisher says it runs on: kubernetes/chart-releases.ts), which the
// blueprint applies (core/blueprint/charts.ts). The `version` below is the release whose values.yaml the image tags
// of images.ts were read from: a minor that selects another release needs that release's images too (a test holds it).
//
// Charts are installed from the factory's own registry in its region (core/catalog/images.ts), never
// from the upstream repository: `upstream` is where a chart is copied from, once per version. To refresh one:
//   1. read the chart's releases at `upstream` (helm search repo / helm show chart <oci ref> --version <v>), and the
//      Kubernetes minors the new release supports (add it to kubernetes/chart-releases.ts with its source);
//   2. select it in the minors' files, change `version` here and the image tags its values pin (images.ts);
//   3. copy the chart and its images into the registry (`gigafactory render` writes images/mirror.sh);
//   4. plan, and review the diff of the release.

export interface PinnedChart {
  /** The chart's name, also its repository under `charts/` in the factory's registry. */
  chart: string;
  /** Exact chart version (SemVer as the chart publishes it). */
  version: string;
  /** Where the chart is published: an OCI reference, or an HTTP Helm repository and the chart in it. */
  upstream: { kind: "oci"; reference: string } | { kind: "repository"; url: string };
  /** The Helm release's name and namespace in the cluster. */
  release: string;
  namespace: string;
}

// NVIDIA GPU Operator (NVIDIA/gpu-operator deployments/gpu-operator, tag v26.3.3, 2026-06-23 [P]): on EKS's GPU
// AMI the driver and the container toolkit come with the image (docs/sources.md#eks-gpu-ami [P]); the operator adds
// the device plugin, GPU feature discovery and the DCGM exporter.
export const GPU_OPERATOR_CHART: PinnedChart = {
  chart: "gpu-operator",
  version: "v26.3.3",
  upstream: { kind: "repository", url: "https://helm.ngc.nvidia.com/nvidia" },
  release: "gpu-operator",
  namespace: "gpu-operator",
};

// AWS EFA device plugin (aws/eks-charts stable/aws-efa-k8s-device-plugin, chart v0.5.30, app v0.5.20 [P]):
// advertises vpc.amazonaws.com/efa on every node of an EFA-capable type.
export const EFA_DEVICE_PLUGIN_CHART: PinnedChart = {
  chart: "aws-efa-k8s-device-plugin",
  version: "v0.5.30",
  upstream: { kind: "repository", url: "https://aws.github.io/eks-charts" },
  release: "aws-efa-k8s-device-plugin",
  namespace: "kube-system",
};

// Kueue (kubernetes-sigs/kueue charts/kueue, v0.19.2; published as oci://registry.k8s.io/kueue/charts/kueue [P];
// docs/sources.md#kueue-release: v1beta2 served and stored). Its CRDs come with the chart.
export const KUEUE_CHART: PinnedChart = {
  chart: "kueue",
  version: "0.19.2",
  upstream: { kind: "oci", reference: "oci://registry.k8s.io/kueue/charts/kueue" },
  release: "kueue",
  namespace: "kueue-system",
};

// cert-manager (cert-manager/cert-manager deploy/charts/cert-manager, v1.21.1, 2026-07-29; published as
// oci://quay.io/jetstack/charts/cert-manager [P]): Slurm's operator (Slinky) needs it (docs/sources.md#slinky-slurm-operator); Kueue,
// the GPU operator and the EFA plugin do not, so it is installed only where a chart that needs it is.
export const CERT_MANAGER_CHART: PinnedChart = {
  chart: "cert-manager",
  version: "v1.21.1",
  upstream: { kind: "oci", reference: "oci://quay.io/jetstack/charts/cert-manager" },
  release: "cert-manager",
  namespace: "cert-manager",
};

// Amazon FSx for Lustre CSI driver (kubernetes-sigs/aws-fsx-csi-driver charts/aws-fsx-csi-driver, chart 1.17.0,
// driver v1.9.0 [P]; published at https://kubernetes-sigs.github.io/aws-fsx-csi-driver [P: docs/install.md]): offers
// the factory's file system to pods as static PersistentVolumes, one per tenant's share.
export const FSX_CSI_DRIVER_CHART: PinnedChart = {
  chart: "aws-fsx-csi-driver",
  version: "1.17.0",
  upstream: { kind: "repository", url: "https://kubernetes-sigs.github.io/aws-fsx-csi-driver" },
  release: "aws-fsx-csi-driver",
  namespace: "kube-system",
};

// JobSet (kubernetes-sigs/jobset charts/jobset, v0.12.0, 2026-05-08; published as oci://registry.k8s.io/jobset/charts/jobset
// [P: charts/jobset/README.md]; docs/sources.md#jobset-release): a group of Indexed Jobs with stable network names,
// the shape of a multi-node PyTorch or JAX job, and a Kueue integration. Its CRD comes with the chart.
export const JOBSET_CHART: PinnedChart = {
  chart: "jobset",
  version: "0.12.0",
  upstream: { kind: "oci", reference: "oci://registry.k8s.io/jobset/charts/jobset" },
  release: "jobset",
  namespace: "jobset-system",
};

export const PINNED_CHARTS: readonly PinnedChart[] = [GPU_OPERATOR_CHART, EFA_DEVICE_PLUGIN_CHART, KUEUE_CHART, JOBSET_CHART, CERT_MANAGER_CHART, FSX_CSI_DRIVER_CHART];

/** The charts at the releases of `versions` (by chart name), else at their pins. */
export function chartsAtVersions<C extends PinnedChart>(charts: readonly C[], versions: Readonly<Record<string, string>>): C[] {
  return charts.map((c) => (versions[c.chart] === undefined ? c : { ...c, version: versions[c.chart] }));
}

/** The repository, in the factory's registry, that holds the copies of a chart. */
export const chartRepository = (chart: PinnedChart): string => `charts/${chart.chart}`;

/** The OCI reference Helm installs a chart from: the factory's registry, never the upstream. */
export const chartReference = (registry: string, chart: PinnedChart): string => `oci://${registry}/${chartRepository(chart)}`;

export type AddonPools = { instanceType: string; efaInterfacesPerNode: number }[];

/**
 * The charts a factory's pools need: the GPU operator for NVIDIA nodes, the EFA plugin for EFA nodes, always
 * Kueue and JobSet; cert-manager for a chart that needs it, the FSx CSI driver where there is a Lustre file system to offer.
 */
export function installedCharts(pools: AddonPools, options: { certManager?: boolean; lustre?: boolean } = {}): PinnedChart[] {
  return [
    ...(pools.some((p) => instanceType(p.instanceType)?.accelerator === "nvidia") ? [GPU_OPERATOR_CHART] : []),
    ...(pools.some((p) => p.efaInterfacesPerNode > 0) ? [EFA_DEVICE_PLUGIN_CHART] : []),
    KUEUE_CHART,
    // Tenants' multi-node jobs: JobSet always (the MPI operator is not a chart: training-operator-objects.ts).
    JOBSET_CHART,
    ...(options.certManager ? [CERT_MANAGER_CHART] : []),
    ...(options.lustre ? [FSX_CSI_DRIVER_CHART] : []),
  ];
}
