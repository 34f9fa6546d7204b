import type { KubernetesMinor } from "./types";

// Kubernetes 1.33 on EKS. The add-on builds are the defaults EKS offered for 1.33 in mid-2025 [S: several public EKS
// configurations agree]; vpc-cni is at least 1.20, the first release that can manage every network card
// (ENABLE_MULTI_NIC, docs/sources.md#vpc-cni [P]). To refresh one:
//   aws eks describe-addon-versions --kubernetes-version 1.33 --addon-name <name> \
//     --query 'addons[].addonVersions[?compatibilities[?defaultVersion]].addonVersion'
export const KUBERNETES_1_33: KubernetesMinor = {
  version: "1.33",
  addons: {
    "vpc-cni": "v1.20.0-eksbuild.1",
    "kube-proxy": "v1.33.0-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
    coredns: "v1.12.1-eksbuild.2",
    // The node monitoring agent sets the conditions (AcceleratedHardwareReady, NetworkingReady, ...) that the node
    // groups' auto-repair acts on (EKS "node health" [P]); v1.4.0 as published for 1.33 [S].
    "eks-node-monitoring-agent": "v1.4.0-eksbuild.2",
    // The EBS CSI driver provisions slurmctld's state volume (slurm/state-storage.ts); v1.45.0 as paired with
    // kube-proxy v1.33.0-eksbuild.2 in public EKS 1.33 configurations [S].
    "aws-ebs-csi-driver": "v1.45.0-eksbuild.2",
  },
  // Each release's Kubernetes range, and where it is stated: chart-releases.ts (docs/sources.md#chart-kubernetes-support).
  charts: {
    "gpu-operator": "v26.3.3",
    "aws-efa-k8s-device-plugin": "v0.5.30",
    kueue: "0.19.2",
    jobset: "0.12.0",
    "cert-manager": "v1.21.1",
    "aws-fsx-csi-driver": "1.17.0",
    "slurm-operator-crds": "1.2.1",
    "slurm-operator": "1.2.1",
    slurm: "1.2.1",
  },
  // awslabs/amazon-eks-ami CHANGELOG, release v20251120: amazon-eks-node-al2023-{x86_64,arm64}-nvidia-1.33-v20251120
  // and the neuron and standard AMIs, kubelet 1.33.5, containerd 2.1.4, NVIDIA driver 580.105.08, the branch the
  // slurmd image's CUDA needs (ami.ts); v20251016 moved 1.33 to containerd 2.1 but kept the 570 driver
  // (docs/sources.md#eks-ami-releases [P]).
  nodeImageRelease: "1.33-v20251120",
  upgradeNotes: ["1.33 leaves EKS standard support first of the minors the factory pins: plan the move to 1.34"],
  unconfirmed: [],
};
