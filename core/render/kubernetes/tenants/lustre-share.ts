import type { PoolPlan, TenantPlan } from "../../../blueprint/types";
import { LABEL_POOL, LABEL_TENANT } from "../../../blueprint/labels";
import { acceleratorTolerations } from "../addon-values";
import { MANAGED_BY } from "../kueue-objects";
import type { KubernetesObject } from "../objects-types";
import { LUSTRE_MOUNT_POINT, TENANT_SHARES_PATH, type LustreMount } from "../../aws/lustre-mount";

// Each tenant's share of the factory's Lustre file system, offered to its pods: a directory of its own under
// /tenants, a PersistentVolume that mounts only that directory (a Lustre fileset mount, FSx for Lustre user guide
// "Mounting specific filesets" [P]) through the FSx CSI driver, bound in advance to one claim in the tenant's
// namespace, so no other namespace can ever claim it. The file system exists once and is the factory's: nothing here
// provisions storage, and deleting a claim never deletes the data (reclaim policy Retain).

/** The FSx CSI driver's name (kubernetes-sigs/aws-fsx-csi-driver csidriver.yaml [P]). */
export const FSX_CSI_DRIVER = "fsx.csi.aws.com";

/** A class that only binds the volumes the factory made: `kubernetes.io/no-provisioner` never creates one (Kubernetes
 * "Storage Classes" [P]), so a tenant cannot make the driver create a file system. */
export const LUSTRE_STORAGE_CLASS = "gigafactory-lustre";

/** The claim every tenant's namespace holds for its share. */
export const LUSTRE_CLAIM = "lustre";

/** The namespace of the Jobs that make the shares' directories: the factory's, not a tenant's. */
export const SHARE_JOB_NAMESPACE = "kube-system";

/** What a tenant's volume needs of the file system: its id, how to reach it, how big it is. */
export interface LustreShareSource extends Pick<LustreMount, "dnsName" | "mountName"> {
  fileSystemId: string;
  capacityGiB: number;
}

export const tenantSharePath = (tenant: Pick<TenantPlan, "name">): string => `${TENANT_SHARES_PATH}/${tenant.name}`;
export const tenantVolumeName = (tenant: Pick<TenantPlan, "name">): string => `lustre-${tenant.name}`;

export function lustreStorageClass(): KubernetesObject {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: LUSTRE_STORAGE_CLASS, labels: { ...MANAGED_BY } },
    provisioner: "kubernetes.io/no-provisioner",
    reclaimPolicy: "Retain",
    volumeBindingMode: "Immediate",
  };
}

/** The tenant's part of the capacity, by its share of the GPUs: what its claim says it has and its project quota caps. */
export function tenantShareGiB(tenant: Pick<TenantPlan, "share">, capacityGiB: number): number {
  return Math.max(1, Math.floor(capacityGiB * tenant.share));
}

export interface TenantLustreObjects {
  persistentVolume: KubernetesObject;
  persistentVolumeClaim: KubernetesObject;
}

// Kubernetes neither enforces nor needs the size of a Lustre volume, and a volume's spec cannot change without a new
// volume: a fixed size keeps the tenant's volume as it is when the file system grows or its share moves. The share
// is an annotation, which changes in place. [U: project choice; any size binds, claim and volume only have to agree]
export const LUSTRE_VOLUME_SIZE = "1Ti";
export const ANNOTATION_SHARE_GIB = "gigafactory.io/lustre-share-gib";
// The kubelet adds a volume's `pv.beta.kubernetes.io/gid` to the supplemental groups of every pod that mounts it
// (Kubernetes "Configure a Pod to use a PersistentVolume", access control [P]): the tenant's pods, whatever user they
// run as, write in the share its group owns; no other pod can claim the volume.
export const ANNOTATION_VOLUME_GID = "pv.beta.kubernetes.io/gid";

export function tenantLustreObjects(tenant: Pick<TenantPlan, "name" | "share" | "posixId">, fs: LustreShareSource): TenantLustreObjects {
  return lustreClaimObjects(fs, {
    volumeName: tenantVolumeName(tenant),
    namespace: tenant.name,
    path: tenantSharePath(tenant),
    labels: { [LABEL_TENANT]: tenant.name },
    annotations: { [ANNOTATION_SHARE_GIB]: String(tenantShareGiB(tenant, fs.capacityGiB)), [ANNOTATION_VOLUME_GID]: String(tenant.posixId) },
  });
}

/** Slurm's login pods run on the system pool, where no boot script mounts Lustre: they see /fsx through this claim. */
export const SLURM_LOGIN_VOLUME = "lustre-slurm-login";

/** The whole file system for Slurm's login pods, as the GPU nodes see it at /fsx. */
export function slurmLoginLustreObjects(fs: LustreShareSource, namespace: string): TenantLustreObjects {
  return lustreClaimObjects(fs, { volumeName: SLURM_LOGIN_VOLUME, namespace, path: "", labels: {}, annotations: {} });
}

interface ClaimTarget {
  volumeName: string;
  namespace: string;
  /** The directory of the file system the volume mounts ("" for the root). */
  path: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

function lustreClaimObjects(fs: LustreShareSource, target: ClaimTarget): TenantLustreObjects {
  const storage = LUSTRE_VOLUME_SIZE;
  const labels = { ...MANAGED_BY, ...target.labels };
  const annotations = { ...target.annotations };
  return {
    persistentVolume: {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: target.volumeName, labels, annotations },
      spec: {
        capacity: { storage },
        volumeMode: "Filesystem",
        accessModes: ["ReadWriteMany"],
        persistentVolumeReclaimPolicy: "Retain",
        storageClassName: LUSTRE_STORAGE_CLASS,
        // Bound before any claim exists: only this claim, in this namespace, can ever have it.
        claimRef: { namespace: target.namespace, name: LUSTRE_CLAIM },
        mountOptions: ["flock"],
        csi: {
          driver: FSX_CSI_DRIVER,
          // One handle per volume: the kubelet and the driver track mounts by handle, and one shared by every
          // tenant's volume would make two tenants' shares one volume on a node (CSI spec, "volume_id" unique [P]).
          volumeHandle: `${fs.fileSystemId}::${target.volumeName}`,
          // The driver mounts `<dnsname>@tcp:/<mountname>`: with a path appended, only that fileset.
          volumeAttributes: { dnsname: fs.dnsName, mountname: `${fs.mountName}${target.path}` },
        },
      },
    },
    persistentVolumeClaim: {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: LUSTRE_CLAIM, namespace: target.namespace, labels, annotations },
      spec: {
        accessModes: ["ReadWriteMany"],
        storageClassName: LUSTRE_STORAGE_CLASS,
        volumeName: target.volumeName,
        resources: { requests: { storage } },
      },
    },
  };
}

/** The commands, run on the node, that make the share: owned by the tenant, capped by its project quota. */
export function tenantShareScript(tenant: Pick<TenantPlan, "name" | "posixId" | "share">, capacityGiB: number): string {
  const dir = `${LUSTRE_MOUNT_POINT}${tenantSharePath(tenant)}`;
  const id = tenant.posixId;
  return [
    "set -eu",
    // LL_SUPER_MAGIC, the type stat reports for a Lustre client mount [S: Lustre lustre_user.h].
    `[ "$(stat -f -c %t ${LUSTRE_MOUNT_POINT})" = bd00bd0 ] || { echo "no Lustre file system at ${LUSTRE_MOUNT_POINT} on this node" >&2; exit 1; }`,
    `mkdir -p ${dir}`,
    // The tenant's user and group own it; setgid keeps new files in the group; nobody else may enter.
    `chown ${id}:${id} ${dir} && chmod 2770 ${dir}`,
    // Every file below takes the tenant's project, which caps the share (lfs-project(1), lfs-setquota(1) [P]); the
    // walk over the tree only where the directory does not carry the project yet.
    `[ "$(lfs project -d ${dir} | awk '{print $1}')" = ${id} ] || lfs project -p ${id} -s -r ${dir}`,
    `lfs setquota -p ${id} -B ${tenantShareGiB(tenant, capacityGiB)}G ${LUSTRE_MOUNT_POINT}`,
  ].join("\n");
}

// Every quarter of an hour: a new share is made soon after a node of its pools first exists (capacity may come long
// after the deploy), and a share's quota follows the file system's growth without replacing anything [U: project choice].
export const SHARE_SCHEDULE = "*/15 * * * *";

/**
 * The CronJob that makes and keeps the share's directory, on a node of the tenant's pools, where the boot script has
 * mounted the file system at /fsx and installed the Lustre client's tools. It enters the node's mount namespace to
 * run them (its own image has no Lustre tools), refuses to create anything unless the file system is really there
 * (Lustre's magic, 0x0bd00bd0), and sets the quota the share has now: a CronJob's template changes in place, where
 * a Job's would be replaced.
 */
export function tenantShareJob(
  tenant: Pick<TenantPlan, "name" | "pools" | "posixId" | "share">,
  pools: readonly Pick<PoolPlan, "name" | "instanceType">[],
  image: string,
  capacityGiB: number,
): KubernetesObject {
  const own = pools.filter((p) => tenant.pools.includes(p.name));
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: `lustre-share-${tenant.name}`, namespace: SHARE_JOB_NAMESPACE, labels: { ...MANAGED_BY, [LABEL_TENANT]: tenant.name } },
    spec: {
      schedule: SHARE_SCHEDULE,
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: { spec: shareJobSpec(tenant, own, image, capacityGiB) },
    },
  };
}

function shareJobSpec(tenant: Pick<TenantPlan, "name" | "posixId" | "share">, own: readonly Pick<PoolPlan, "name" | "instanceType">[], image: string, capacityGiB: number): Record<string, unknown> {
  return {
    // A node whose mount is late fails the pod; the next run tries again [U].
    backoffLimit: 3,
    template: {
      spec: {
        restartPolicy: "OnFailure",
        // The node's processes, to enter its mount namespace (PID 1's) where /fsx and lfs live.
        hostPID: true,
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: LABEL_POOL, operator: "In", values: own.map((p) => p.name) }] }],
            },
          },
        },
        tolerations: acceleratorTolerations(own),
        containers: [
          {
            name: "share",
            image,
            command: ["nsenter", "--target", "1", "--mount", "--", "sh", "-c", tenantShareScript(tenant, capacityGiB)],
            securityContext: { privileged: true },
            // A mkdir and two lfs calls: the least the scheduler accounts for, never in a GPU job's way [U: project choice].
            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
          },
        ],
      },
    },
  };
}
