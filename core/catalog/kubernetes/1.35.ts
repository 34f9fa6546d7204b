import type { KubernetesMinor } from "./types";

// Kubernetes 1.35 on EKS. kube-proxy and CoreDNS from the EKS User Guide's tables of the latest add-on build per
// Kubernetes version (docs/sources.md#eks-addon-versions [P], as read); the other add-ons keep the builds of 1.34 [S].
export const KUBERNETES_1_35: KubernetesMinor = {
  version: "1.35",
  addons: {
    "vpc-cni": "v1.20.0-eksbuild.1",
    "kube-proxy": "v1.35.3-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
    coredns: "v1.14.2-eksbuild.4",
    "eks-node-monitoring-agent": "v1.4.0-eksbuild.2",
    "aws-ebs-csi-driver": "v1.45.0-eksbuild.2",
  },
  // [S] a release of the weekly AL2023 series published for the supported minors (docs/sources.md#eks-ami-releases);
  // confirm with `gigafactory plan --online`.
  nodeImageRelease: "1.35-v20260512",
  upgradeNotes: ["1.35 removes cgroup v1 support from the kubelet: the AL2023 AMIs run cgroup v2 already"],
};
