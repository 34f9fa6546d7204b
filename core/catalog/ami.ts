import type { InstanceType } from "./types";

// The EKS-optimized AL2023 AMI for an accelerator, from AWS's public SSM parameters (docs/sources.md#eks-ami [P]):
// NVIDIA x86_64, NVIDIA arm64 for Grace (GB200), Neuron for Trainium; the standard variant for CPU nodes.
//
// A node group reads the parameter of ONE release, `.../<variant>/amazon-eks-node-al2023-<arch>-<variant>-<k8s>-v<date>/image_id`,
// never `.../recommended/image_id`: the recommended one moves whenever AWS publishes an AMI (every few weeks), and a
// launch template that follows it would replace every node of the factory on the next unrelated `pulumi up`.

export type AmiVariant = "nvidia" | "neuron" | "standard";
export type AmiArchitecture = "x86_64" | "arm64";

export function amiVariant(type: Pick<InstanceType, "accelerator">): AmiVariant {
  return type.accelerator === "trainium" ? "neuron" : "nvidia";
}

/** A node image release as a spec names it: `1.33-v20251016` (the Kubernetes minor, and the AMI release's date tag). */
export const AMI_RELEASE = /^(1\.\d{2})-(v\d{8})$/;

export interface AmiRelease {
  /** The Kubernetes minor the AMI's kubelet runs: `1.33`. */
  kubernetesVersion: string;
  /** The release's tag in awslabs/amazon-eks-ami: `v20251016`. */
  tag: string;
}

export function parseAmiRelease(release: string): AmiRelease | undefined {
  const m = AMI_RELEASE.exec(release);
  return m ? { kubernetesVersion: m[1], tag: m[2] } : undefined;
}

/** The folder of a variant's parameters: its `recommended` and one sub-folder per published release. */
export function eksAmiParameterPath(kubernetesVersion: string, architecture: AmiArchitecture, variant: AmiVariant): string {
  return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${architecture}/${variant}`;
}

/** The AMI's name, which is also the name of its release's parameter folder. */
export function eksAmiName(release: AmiRelease, architecture: AmiArchitecture, variant: AmiVariant): string {
  return `amazon-eks-node-al2023-${architecture}-${variant}-${release.kubernetesVersion}-${release.tag}`;
}

/** The image id parameter of one release: what a launch template reads. */
export function eksAmiReleaseParameter(release: AmiRelease, architecture: AmiArchitecture, variant: AmiVariant): string {
  return `${eksAmiParameterPath(release.kubernetesVersion, architecture, variant)}/${eksAmiName(release, architecture, variant)}/image_id`;
}

/** The release a release parameter names, or undefined for any other parameter (`recommended` among them). */
export function releaseOfParameter(name: string): AmiRelease | undefined {
  const m = /\/amazon-eks-node-al2023-[a-z0-9_]+-[a-z]+-(1\.\d{2})-(v\d{8})\/image_id$/.exec(name);
  return m ? { kubernetesVersion: m[1], tag: m[2] } : undefined;
}

export function formatAmiRelease(release: AmiRelease): string {
  return `${release.kubernetesVersion}-${release.tag}`;
}

// The EKS AL2023 NVIDIA AMI's driver: the 580 branch for every Kubernetes version, CUDA 13.0's driver
// (docs/sources.md#eks-ami-nvidia-driver [P]). The slurmd image's CUDA userspace is chosen for it (slurmd-image.ts).
export const EKS_NVIDIA_AMI_DRIVER = { branch: 580, cuda: "13.0" } as const;

// The first release whose NVIDIA AMIs carry the 580 branch, per Kubernetes minor; earlier releases carry 570 or older
// (awslabs/amazon-eks-ami CHANGELOG, kmod-nvidia-latest-dkms of each release: docs/sources.md#eks-ami-releases [P]).
// From v20251120 every minor's NVIDIA AMIs do.
export const NVIDIA_580_FIRST_RELEASE: Readonly<Record<string, string>> = { "1.31": "v20251108", "1.32": "v20251108", "1.33": "v20251029", "1.34": "v20251023", "1.35": "v20260114" };
export const NVIDIA_580_EVERY_MINOR_FROM = "v20251120";

/** The first release of the minor whose NVIDIA AMIs carry the driver branch EKS_NVIDIA_AMI_DRIVER names. */
export function firstNvidia580Release(kubernetesVersion: string): AmiRelease {
  const tag = NVIDIA_580_FIRST_RELEASE[kubernetesVersion];
  return { kubernetesVersion, tag: tag !== undefined && tag < NVIDIA_580_EVERY_MINOR_FROM ? tag : NVIDIA_580_EVERY_MINOR_FROM };
}

/** Whether the release's NVIDIA AMIs carry the 580 driver branch (tags are dates: they compare as strings). */
export function carriesNvidia580(release: AmiRelease): boolean {
  return release.tag >= firstNvidia580Release(release.kubernetesVersion).tag;
}
