import type { PinnedChart } from "./charts";
import { chartRepository } from "./charts";
import { inRegion, type MirrorCopy, type PinnedImage, type UpstreamRegistry } from "./images";

// Slurm on Kubernetes (Slinky, SchedMD): three charts, each pinned to one version, installed from the factory's
// registry like every other chart (core/catalog/charts.ts). To refresh:
//   1. read the releases of SlinkyProject/slurm-operator (git tags vX.Y.Z; helm show chart
//      oci://ghcr.io/slinkyproject/charts/slurm --version X.Y.Z);
//   2. change SLINKY_VERSION, and the image tags below from the new helm/slurm/values.yaml (and helm/slurm/UPGRADE.md
//      for renamed values);
//   3. plan, review the diff of the releases, and run images/mirror.sh from `gigafactory render` (it copies
//      slinkyMirrorCopies through core/blueprint/registry.ts) before the releases are deployed.

// SlinkyProject/slurm-operator v1.2.1, 2026-07-30, the newest release (v1.3.0 is a release candidate) [P]: the three
// charts share the version; the operator's appVersion is the same, Slurm's is 26.05.
export const SLINKY_VERSION = "1.2.1";
/** The keys' file names, as Slinky mounts them (helm/slurm _slurm.tpl: slurm.key, jwt.key [P]). */
export const SLURM_KEY_FILE = "slurm.key";
export const JWT_KEY_FILE = "jwt.key";
const SLINKY_OCI = "oci://ghcr.io/slinkyproject/charts";

/** The Custom Resource Definitions alone (Controller, NodeSet, LoginSet, Accounting, RestApi, Token), so the operator's upgrades never drop them. */
export const SLINKY_CRDS_CHART: PinnedChart = {
  chart: "slurm-operator-crds",
  version: SLINKY_VERSION,
  upstream: { kind: "oci", reference: `${SLINKY_OCI}/slurm-operator-crds` },
  release: "slurm-operator-crds",
  namespace: "slinky",
};

export const SLINKY_OPERATOR_CHART: PinnedChart = {
  chart: "slurm-operator",
  version: SLINKY_VERSION,
  upstream: { kind: "oci", reference: `${SLINKY_OCI}/slurm-operator` },
  release: "slurm-operator",
  namespace: "slinky",
};

/** The Slurm cluster: controller, accounting, REST API, login and the NodeSets, as the operator's objects. */
export const SLURM_CHART: PinnedChart = {
  chart: "slurm",
  version: SLINKY_VERSION,
  upstream: { kind: "oci", reference: `${SLINKY_OCI}/slurm` },
  release: "slurm",
  namespace: "slurm",
};

export const SLINKY_CHARTS: readonly PinnedChart[] = [SLINKY_CRDS_CHART, SLINKY_OPERATOR_CHART, SLURM_CHART];

// Slinky's images are published on ghcr.io, which ECR can cache only with GitHub credentials (ECR user guide,
// pull-through-cache [P]): they are mirrored once per version, like nvcr.io's, under the prefix `ghcr/`.
export const GITHUB_REGISTRY = { host: "ghcr.io", prefix: "ghcr", supply: "mirror" } as const satisfies UpstreamRegistry;

export interface SlinkyImage {
  /** The repository at ghcr.io, without its host. */
  repository: string;
  tag: string;
}

// Slurm's images in the slurm chart v1.2.1 values.yaml: every daemon at 26.05 on Ubuntu 26.04 [P].
const SLURM_TAG = "26.05-ubuntu26.04";

export const SLINKY_IMAGES = {
  // The operator and its webhook at the chart's appVersion (helm/slurm-operator values.yaml: tag defaults to it) [P].
  operator: { repository: "slinkyproject/slurm-operator", tag: SLINKY_VERSION },
  webhook: { repository: "slinkyproject/slurm-operator-webhook", tag: SLINKY_VERSION },
  slurmctld: { repository: "slinkyproject/slurmctld", tag: SLURM_TAG },
  slurmd: { repository: "slinkyproject/slurmd", tag: SLURM_TAG },
  slurmdbd: { repository: "slinkyproject/slurmdbd", tag: SLURM_TAG },
  slurmrestd: { repository: "slinkyproject/slurmrestd", tag: SLURM_TAG },
  login: { repository: "slinkyproject/login", tag: SLURM_TAG },
} as const satisfies Record<string, SlinkyImage>;

export type SlinkyImageName = keyof typeof SLINKY_IMAGES;

// The log and init sidecars default to docker.io/library/alpine:latest, a moving tag outside the EU: the same
// image comes through the ECR Public cache, pinned (Docker's official images are on ECR Public as docker/library/* [S]).
export const SIDECAR_IMAGE: PinnedImage = { upstream: "ecrPublic", repository: "docker/library/alpine", tag: "3.22" };

/** The repository of a Slinky image in the factory's registry, without host: `ghcr/<repository>`. */
export function slinkyLocalRepository(image: SlinkyImage): string {
  return `${GITHUB_REGISTRY.prefix}/${image.repository}`;
}

/** Where a node pulls a Slinky image from: the factory's registry (images.ts inRegion, for the mirrored ghcr.io). */
export function slinkyImage(registry: string, name: SlinkyImageName): { repository: string; tag: string } {
  const image = SLINKY_IMAGES[name];
  return { repository: `${registry}/${slinkyLocalRepository(image)}`, tag: image.tag };
}

/** The sidecar image in the factory's registry, through the ECR Public pull-through cache. */
export function sidecarImage(registry: string): { repository: string; tag: string } {
  return inRegion(registry, SIDECAR_IMAGE);
}

/** What the factory copies into its registry for Slurm: the three charts and every ghcr.io image. */
export function slinkyMirrorCopies(): MirrorCopy[] {
  const charts: MirrorCopy[] = SLINKY_CHARTS.map((c) => ({
    kind: "chart",
    source: c.upstream.kind === "oci" ? c.upstream.reference : `${c.upstream.url} ${c.chart}`,
    repository: chartRepository(c),
    tag: c.version,
  }));
  const images: MirrorCopy[] = Object.values(SLINKY_IMAGES).map((i) => ({
    kind: "image",
    source: `${GITHUB_REGISTRY.host}/${i.repository}:${i.tag}`,
    repository: slinkyLocalRepository(i),
    tag: i.tag,
  }));
  return [...charts, ...images];
}
