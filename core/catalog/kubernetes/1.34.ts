import type { KubernetesMinor } from "./types";

// Kubernetes 1.34 on EKS. kube-proxy and CoreDNS from the EKS User Guide's tables of the latest add-on build per
// Kubernetes version (docs/sources.md#eks-addon-versions [P], as read); the VPC CNI, Pod Identity agent, node
// monitoring agent and EBS CSI driver publish one build for every supported minor, so 1.33's pins carry over [S].
export const KUBERNETES_1_34: KubernetesMinor = {
  version: "1.34",
  addons: {
    "vpc-cni": "v1.20.0-eksbuild.1",
    "kube-proxy": "v1.34.6-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
    coredns: "v1.13.2-eksbuild.7",
    "eks-node-monitoring-agent": "v1.4.0-eksbuild.2",
    "aws-ebs-csi-driver": "v1.45.0-eksbuild.2",
  },
  // Release v20250915 was the first with containerd 2.1 for 1.34 (docs/sources.md#eks-ami-releases [P]); v20251016 follows it.
  nodeImageRelease: "1.34-v20251016",
  upgradeNotes: [
    "1.34 is the first minor on which the EFA DRA driver runs (dynamic resource allocation is GA from 1.34)",
    "the AL2023 AMIs of 1.34 run containerd 2.1: images built for the Docker schema 1 format no longer pull",
  ],
};
