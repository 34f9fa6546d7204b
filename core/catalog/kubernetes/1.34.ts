import { KUBERNETES_1_33 } from "./1.33";
import { carriedAddons } from "./carried";
import type { KubernetesMinor } from "./types";

const CARRIED = carriedAddons(KUBERNETES_1_33, "1.34", ["vpc-cni", "eks-pod-identity-agent", "eks-node-monitoring-agent", "aws-ebs-csi-driver"]);

// Kubernetes 1.34 on EKS. kube-proxy and CoreDNS from the EKS User Guide's tables of the latest add-on build per
// Kubernetes version (docs/sources.md#eks-addon-versions [P]: kube-proxy v1.34.6-eksbuild.2, CoreDNS
// v1.13.2-eksbuild.4 for 1.33 to 1.35). The VPC CNI, Pod Identity agent, node monitoring agent and EBS CSI driver keep
// 1.33's builds: no public table read says those builds are offered for 1.34, so they are listed in `unconfirmed` and a
// plan of 1.34 warns until `aws eks describe-addon-versions --kubernetes-version 1.34` confirms them.
export const KUBERNETES_1_34: KubernetesMinor = {
  version: "1.34",
  addons: {
    "vpc-cni": CARRIED.builds["vpc-cni"]!,
    "kube-proxy": "v1.34.6-eksbuild.2",
    "eks-pod-identity-agent": CARRIED.builds["eks-pod-identity-agent"]!,
    coredns: "v1.13.2-eksbuild.4",
    "eks-node-monitoring-agent": CARRIED.builds["eks-node-monitoring-agent"]!,
    "aws-ebs-csi-driver": CARRIED.builds["aws-ebs-csi-driver"]!,
  },
  // 1.33's releases, whose Kubernetes ranges cover 1.34 (chart-releases.ts, docs/sources.md#chart-kubernetes-support);
  // a release that moves is one key over them: `{ ...KUBERNETES_1_33.charts, kueue: "..." }`.
  charts: KUBERNETES_1_33.charts,
  // awslabs/amazon-eks-ami CHANGELOG, release v20251120: amazon-eks-node-al2023-{x86_64,arm64}-nvidia-1.34-v20251120
  // and the neuron and standard AMIs, kubelet 1.34.2, containerd 2.1.4, NVIDIA driver 580.105.08
  // (docs/sources.md#eks-ami-releases [P]); v20250915 was the first 1.34 release with containerd 2.1.
  nodeImageRelease: "1.34-v20251120",
  upgradeNotes: [
    "1.34 is the first minor on which the EFA DRA driver runs (dynamic resource allocation is GA from 1.34)",
    "the AL2023 AMIs of 1.34 run containerd 2.1: images built for the Docker schema 1 format no longer pull",
  ],
  unconfirmed: [CARRIED.unconfirmed],
};
