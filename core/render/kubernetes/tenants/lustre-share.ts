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

/** The tenant's part of the capacity, by its share of the GPUs: what its claim says it has (Lustre does not cap it). */
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

export function tenantLustreObjects(tenant: Pick<TenantPlan, "name" | "share">, fs: LustreShareSource): TenantLustreObjects {
  return lustreClaimObjects(fs, {
    volumeName: tenantVolumeName(tenant),
    namespace: tenant.name,
    path: tenantSharePath(tenant),
    labels: { [LABEL_TENANT]: tenant.name },
    annotations: { [ANNOTATION_SHARE_GIB]: String(tenantShareGiB(tenant, fs.capacityGiB)) },
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
          volumeHandle: fs.fileSystemId,
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

/**
 * The Job that makes the share's directory, on a node of the tenant's pools, where the boot script has mounted the
 * file system at /fsx. It runs once whenever such a node first exists (capacity may come long after the deploy),
 * and refuses to create anything unless the file system is really there (Lustre's magic, 0x0bd00bd0).
 */
export function tenantShareJob(tenant: Pick<TenantPlan, "name" | "pools">, pools: readonly Pick<PoolPlan, "name" | "instanceType">[], image: string): KubernetesObject {
  const own = pools.filter((p) => tenant.pools.includes(p.name));
  const host = "/host-fsx";
  const dir = `${host}${tenantSharePath(tenant)}`;
  const script = [
    "set -eu",
    // LL_SUPER_MAGIC, the type stat reports for a Lustre client mount [S: Lustre lustre_user.h].
    `[ "$(stat -f -c %t ${host})" = bd00bd0 ] || { echo "no Lustre file system at ${LUSTRE_MOUNT_POINT} on this node" >&2; exit 1; }`,
    // Sticky and open like /tmp: the tenant's pods run as any user; each keeps its own files.
    `mkdir -p ${dir} && chmod 1777 ${dir}`,
  ].join("\n");
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: `lustre-share-${tenant.name}`,
      namespace: SHARE_JOB_NAMESPACE,
      labels: { ...MANAGED_BY, [LABEL_TENANT]: tenant.name },
      // The Job waits for a node of the tenant's pools, which may not exist yet: the deploy does not wait with it.
      annotations: { "pulumi.com/skipAwait": "true" },
    },
    spec: {
      // A node whose mount is late fails the pod; twenty retries with Kubernetes' growing back-off span hours [U].
      backoffLimit: 20,
      template: {
        spec: {
          restartPolicy: "OnFailure",
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
              command: ["sh", "-c", script],
              // A mkdir: the least the scheduler accounts for, never in a GPU job's way [U: project choice].
              resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
              volumeMounts: [{ name: "fsx", mountPath: host, mountPropagation: "HostToContainer" }],
            },
          ],
          volumes: [{ name: "fsx", hostPath: { path: LUSTRE_MOUNT_POINT, type: "Directory" } }],
        },
      },
    },
  };
}
