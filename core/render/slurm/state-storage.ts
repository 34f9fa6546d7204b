import type { KubernetesObject } from "../kubernetes/objects-types";
import { MANAGED_BY } from "../kubernetes/kueue-objects";

// slurmctld's StateSaveLocation (the queue, running jobs, reservations) lives on an EBS volume that the controller's
// StatefulSet claims. The class is the factory's own: EKS marks no class as the default since Kubernetes 1.30 (EKS
// user guide, "Amazon EBS CSI driver" [P]), and a claim without a class would stay pending, so Slurm never starts.

export const SLURM_STATE_STORAGE_CLASS = "slurm-state";
export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";

/**
 * gp3, encrypted with the factory's key, retained when its claim goes (a lost state directory loses every queued job),
 * bound where the controller's pod is scheduled so the volume is in that pod's AZ, and grown in place.
 * Parameters as the EBS CSI driver names them [P: aws-ebs-csi-driver docs/parameters.md].
 */
export function slurmStateStorageClass(keyArn: string): KubernetesObject {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: SLURM_STATE_STORAGE_CLASS, labels: { ...MANAGED_BY } },
    provisioner: EBS_CSI_PROVISIONER,
    parameters: { type: "gp3", encrypted: "true", kmsKeyId: keyArn },
    reclaimPolicy: "Retain",
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
  };
}
