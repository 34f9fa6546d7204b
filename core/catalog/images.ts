import { CERT_MANAGER_CHART, EFA_DEVICE_PLUGIN_CHART, FSX_CSI_DRIVER_CHART, GPU_OPERATOR_CHART, JOBSET_CHART, KUEUE_CHART, PINNED_CHARTS, chartRepository } from "./charts";

// The factory's image supply: every image its add-ons run is pulled from the factory's own registry in its
// region, never from the upstream registry (docs/sources.md#ecr-pull-through-cache: container images pulled from
// registries outside the EU; the EFA plugin's default image lives in us-west-2, docs/sources.md#eks-charts-efa).
// - "pull-through": ECR fetches the image from the upstream on first pull and keeps it in the region. ECR
//   supports ECR Public, registry.k8s.io and Quay without credentials (ECR user guide, pull-through-cache [P]).
// - "mirror": ECR cannot pull through from the upstream (nvcr.io is not a supported upstream [P], and no
//   upstream holds Helm charts ECR can cache), so the factory creates the repositories and the images and charts
//   are copied in once per version (`gigafactory render` writes the copy commands to images/mirror.sh).

export type Supply = "pull-through" | "mirror";

export interface UpstreamRegistry {
  host: string;
  /** The prefix of the upstream's repositories in the factory's registry (the pull-through rule's prefix). */
  prefix: string;
  supply: Supply;
}

export const UPSTREAM_REGISTRIES = {
  ecrPublic: { host: "public.ecr.aws", prefix: "ecr-public", supply: "pull-through" },
  kubernetes: { host: "registry.k8s.io", prefix: "k8s", supply: "pull-through" },
  quay: { host: "quay.io", prefix: "quay", supply: "pull-through" },
  nvidia: { host: "nvcr.io", prefix: "nvcr", supply: "mirror" },
  // Docker Hub: ECR pulls through from it only with stored credentials (ECR pull-through-cache [P]); copied instead.
  dockerHub: { host: "docker.io", prefix: "docker-hub", supply: "mirror" },
} as const satisfies Record<string, UpstreamRegistry>;

export type UpstreamName = keyof typeof UPSTREAM_REGISTRIES;

export interface PinnedImage {
  upstream: UpstreamName;
  /** The repository at the upstream, without its host. */
  repository: string;
  tag: string;
}

// Tags are the ones each pinned chart's values.yaml names for its version (charts.ts), so the images are the
// ones the chart was released and tested with.
export const IMAGES = {
  // NVIDIA/gpu-operator v26.3.3 values.yaml: operator and validator at the chart's appVersion [P].
  gpuOperator: { upstream: "nvidia", repository: "nvidia/gpu-operator", tag: GPU_OPERATOR_CHART.version },
  // Same values.yaml: devicePlugin and gfd share k8s-device-plugin v0.19.3; dcgmExporter 4.5.3-4.8.2-distroless [P].
  nvidiaDevicePlugin: { upstream: "nvidia", repository: "nvidia/k8s-device-plugin", tag: "v0.19.3" },
  dcgmExporter: { upstream: "nvidia", repository: "nvidia/k8s/dcgm-exporter", tag: "4.5.3-4.8.2-distroless" },
  // The operator's node-feature-discovery subchart 0.18.3, appVersion v0.18.3 [P].
  nodeFeatureDiscovery: { upstream: "kubernetes", repository: "nfd/node-feature-discovery", tag: "v0.18.3" },
  // aws/eks-charts aws-efa-k8s-device-plugin v0.5.30: app v0.5.20 [P]; ECR Public carries the same image as
  // eks/aws-efa-k8s-device-plugin [S: public configurations that pull it from there].
  efaDevicePlugin: { upstream: "ecrPublic", repository: "eks/aws-efa-k8s-device-plugin", tag: "v0.5.20" },
  // kubernetes-sigs/kueue v0.19.2 released images: registry.k8s.io/kueue/kueue:v0.19.2 [P].
  kueue: { upstream: "kubernetes", repository: "kueue/kueue", tag: `v${KUEUE_CHART.version}` },
  // cert-manager v1.21.1: quay.io/jetstack/cert-manager-<component> at the chart's appVersion [P].
  certManagerController: { upstream: "quay", repository: "jetstack/cert-manager-controller", tag: CERT_MANAGER_CHART.version },
  certManagerWebhook: { upstream: "quay", repository: "jetstack/cert-manager-webhook", tag: CERT_MANAGER_CHART.version },
  certManagerCainjector: { upstream: "quay", repository: "jetstack/cert-manager-cainjector", tag: CERT_MANAGER_CHART.version },
  certManagerAcmeSolver: { upstream: "quay", repository: "jetstack/cert-manager-acmesolver", tag: CERT_MANAGER_CHART.version },
  certManagerStartupApiCheck: { upstream: "quay", repository: "jetstack/cert-manager-startupapicheck", tag: CERT_MANAGER_CHART.version },
  // kubernetes-sigs/jobset v0.12.0: the chart's image at its appVersion, promoted to registry.k8s.io/jobset/jobset [P].
  jobset: { upstream: "kubernetes", repository: "jobset/jobset", tag: `v${JOBSET_CHART.version}` },
  // kubeflow/mpi-operator v0.8.0 deploy/v2beta1/mpi-operator.yaml: mpioperator/mpi-operator:0.8.0 on Docker Hub [P].
  mpiOperator: { upstream: "dockerHub", repository: "mpioperator/mpi-operator", tag: "0.8.0" },
  // kubernetes-sigs/aws-fsx-csi-driver chart 1.17.0 values.yaml: the driver and its CSI sidecars, all on ECR Public [P].
  fsxCsiDriver: { upstream: "ecrPublic", repository: "fsx-csi-driver/aws-fsx-csi-driver", tag: "v1.9.0" },
  csiLivenessProbe: { upstream: "ecrPublic", repository: "csi-components/livenessprobe", tag: "v2.18.0-eksbuild.3" },
  csiNodeDriverRegistrar: { upstream: "ecrPublic", repository: "csi-components/csi-node-driver-registrar", tag: "v2.16.0-eksbuild.3" },
  csiProvisioner: { upstream: "ecrPublic", repository: "csi-components/csi-provisioner", tag: "v6.2.0-eksbuild.2" },
  csiResizer: { upstream: "ecrPublic", repository: "csi-components/csi-resizer", tag: "v2.1.0-eksbuild.3" },
} as const satisfies Record<string, PinnedImage>;

export type ImageName = keyof typeof IMAGES;

/** The images each chart runs, so that a chart that is not installed brings none of its images along. */
export const CHART_IMAGES: Readonly<Record<string, readonly ImageName[]>> = {
  [GPU_OPERATOR_CHART.chart]: ["gpuOperator", "nvidiaDevicePlugin", "dcgmExporter", "nodeFeatureDiscovery"],
  [EFA_DEVICE_PLUGIN_CHART.chart]: ["efaDevicePlugin"],
  [KUEUE_CHART.chart]: ["kueue"],
  [JOBSET_CHART.chart]: ["jobset"],
  [CERT_MANAGER_CHART.chart]: ["certManagerController", "certManagerWebhook", "certManagerCainjector", "certManagerAcmeSolver", "certManagerStartupApiCheck"],
  [FSX_CSI_DRIVER_CHART.chart]: ["fsxCsiDriver", "csiLivenessProbe", "csiNodeDriverRegistrar", "csiProvisioner", "csiResizer"],
};

/** The factory's ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`, amazonaws.eu in the sovereign cloud). */
export function registryHost(accountId: string, region: string, dnsSuffix: string): string {
  return `${accountId}.dkr.ecr.${region}.${dnsSuffix}`;
}

/** The repository of an image in the factory's registry, without host: `<upstream prefix>/<upstream repository>`. */
export function localRepository(image: PinnedImage): string {
  return `${UPSTREAM_REGISTRIES[image.upstream].prefix}/${image.repository}`;
}

/** Where a node pulls the image from: the factory's registry. */
export function inRegion(registry: string, image: PinnedImage): { repository: string; tag: string } {
  return { repository: `${registry}/${localRepository(image)}`, tag: image.tag };
}

export function imageReference(registry: string, image: PinnedImage): string {
  const { repository, tag } = inRegion(registry, image);
  return `${repository}:${tag}`;
}

/** The upstream registries that a pull-through cache rule serves. */
export function pullThroughRegistries(): UpstreamRegistry[] {
  return Object.values(UPSTREAM_REGISTRIES).filter((u) => u.supply === "pull-through");
}

/** What the factory copies into its registry itself: every chart, and the images no pull-through rule can serve. */
export interface MirrorCopy {
  kind: "chart" | "image";
  /** `oci://…` or an HTTP repository and chart for charts; `host/repository:tag` for images. */
  source: string;
  /** The repository in the factory's registry. */
  repository: string;
  tag: string;
}

/** Images the factory runs outside any chart (the MPI operator's controller), copied like a chart's. */
export const OPERATOR_IMAGES: readonly ImageName[] = ["mpiOperator"];

export function mirrorCopies(charts: readonly string[] = PINNED_CHARTS.map((c) => c.chart), images: readonly ImageName[] = OPERATOR_IMAGES): MirrorCopy[] {
  const installed = PINNED_CHARTS.filter((c) => charts.includes(c.chart));
  const chartCopies: MirrorCopy[] = installed.map((c) => ({
    kind: "chart",
    source: c.upstream.kind === "oci" ? c.upstream.reference : `${c.upstream.url} ${c.chart}`,
    repository: chartRepository(c),
    tag: c.version,
  }));
  const names = [...new Set([...installed.flatMap((c) => CHART_IMAGES[c.chart] ?? []), ...images])];
  const imageCopies: MirrorCopy[] = names
    .map((n) => IMAGES[n] as PinnedImage)
    .filter((i) => UPSTREAM_REGISTRIES[i.upstream].supply === "mirror")
    .map((i) => ({ kind: "image", source: `${UPSTREAM_REGISTRIES[i.upstream].host}/${i.repository}:${i.tag}`, repository: localRepository(i), tag: i.tag }));
  return [...chartCopies, ...imageCopies];
}

/** The repositories the factory creates in its registry for its copies (one per repository, tags inside). */
export function mirrorRepositories(charts?: readonly string[], images?: readonly ImageName[]): string[] {
  return [...new Set(mirrorCopies(charts, images).map((c) => c.repository))];
}
