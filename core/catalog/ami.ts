import type { InstanceType } from "./types";

// The EKS-optimized AL2023 AMI for an accelerator, from AWS's public SSM parameter
// (docs/sources.md#eks-ami [P]): NVIDIA x86_64, NVIDIA arm64 for Grace (GB200),
// Neuron for Trainium; the standard variant for CPU nodes.

export type AmiVariant = "nvidia" | "neuron" | "standard";

export function amiVariant(type: Pick<InstanceType, "accelerator">): AmiVariant {
  return type.accelerator === "trainium" ? "neuron" : "nvidia";
}

export function eksAmiParameter(kubernetesVersion: string, architecture: "x86_64" | "arm64", variant: AmiVariant): string {
  return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${architecture}/${variant}/recommended/image_id`;
}

// The EKS AL2023 NVIDIA AMI's driver: the 580 branch for every Kubernetes version, CUDA 13.0's driver
// (docs/sources.md#eks-ami-nvidia-driver [P]). The slurmd image's CUDA userspace is chosen for it (slurmd-image.ts).
export const EKS_NVIDIA_AMI_DRIVER = { branch: 580, cuda: "13.0" } as const;
