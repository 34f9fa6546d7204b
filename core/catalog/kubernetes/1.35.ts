import { KUBERNETES_1_33 } from "./1.33";
import { carriedAddons } from "./carried";
import type { KubernetesMinor } from "./types";

const CARRIED = carriedAddons(KUBERNETES_1_33, "1.35", ["vpc-cni", "eks-pod-identity-agent", "eks-node-monitoring-agent", "aws-ebs-csi-driver"]);

// Kubernetes 1.35 on EKS (available from January 2026: EKS User Guide, Kubernetes versions in standard support
// [P]). kube-proxy and CoreDNS from the EKS User Guide's tables of the latest add-on build per Kubernetes version
// (docs/sources.md#eks-addon-versions [P]: kube-proxy v1.35.3-eksbuild.2, CoreDNS v1.13.2-eksbuild.4). The VPC CNI,
// Pod Identity agent, node monitoring agent and EBS CSI driver keep 1.33's builds: no public table read says those
// builds are offered for 1.35, so they are listed in `unconfirmed` and a plan of 1.35 warns until
// `aws eks describe-addon-versions --kubernetes-version 1.35` confirms them.
export const KUBERNETES_1_35: KubernetesMinor = {
  version: "1.35",
  addons: {
    "vpc-cni": CARRIED.builds["vpc-cni"]!,
    "kube-proxy": "v1.35.3-eksbuild.2",
    "eks-pod-identity-agent": CARRIED.builds["eks-pod-identity-agent"]!,
    coredns: "v1.13.2-eksbuild.4",
    "eks-node-monitoring-agent": CARRIED.builds["eks-node-monitoring-agent"]!,
    "aws-ebs-csi-driver": CARRIED.builds["aws-ebs-csi-driver"]!,
  },
  // 1.33's releases, whose Kubernetes ranges cover 1.35 (chart-releases.ts, docs/sources.md#chart-kubernetes-support);
  // a release that moves is one key over them: `{ ...KUBERNETES_1_33.charts, kueue: "..." }`.
  charts: KUBERNETES_1_33.charts,
  // awslabs/amazon-eks-ami CHANGELOG, release v20260505: amazon-eks-node-al2023-{x86_64,arm64}-nvidia-1.35-v20260505
  // and the neuron and standard AMIs, kubelet 1.35.4, containerd 2.2.3, NVIDIA driver 580.126.09
  // (docs/sources.md#eks-ami-releases [P]); v20260114 was the first 1.35 release.
  nodeImageRelease: "1.35-v20260505",
  upgradeNotes: [
    "1.35 removes cgroup v1 support from the kubelet: the AL2023 AMIs run cgroup v2 already",
    "1.35 is the last minor that supports containerd 1.x: the AL2023 AMIs run containerd 2",
  ],
  unconfirmed: [CARRIED.unconfirmed],
};
