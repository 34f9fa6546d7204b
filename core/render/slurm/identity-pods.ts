import { LUSTRE_MOUNT_POINT } from "../aws/lustre-mount";
import { HOME_ROOT, IDENTITY_CONFIGMAP, IDENTITY_OUTPUT_DIR, IDENTITY_SOURCE_DIR, renderIdentitySync } from "./identity";

// What a Slurm pod of the chart carries so the tenants' users exist in it (identity.ts): the shared ConfigMap as a
// folder, an emptyDir for the merged files, a native sidecar (an init container that keeps running, Kubernetes
// "Sidecar Containers", stable in 1.33, on by default since 1.29 [P], docs/sources.md#kubernetes-sidecar-containers)
// from the pod's own image, and the merged passwd and group mounted over the main container's. The sidecar's startup probe holds the main container back
// until the first merge is written, so slurmd, sshd and slurmctld start with the users there.

export type ImageRef = { repository: string; tag: string };

export const IDENTITY_SOURCE_VOLUME = "gf-identity-source";
export const IDENTITY_OUTPUT_VOLUME = "gf-identity";
const SIDECAR = "gf-identity-sync";

export type IdentityVolume =
  | { name: string; configMap: { name: string; optional: true; defaultMode: number } }
  | { name: string; emptyDir: { medium: "Memory"; sizeLimit: string } };

export interface IdentityMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

export interface IdentitySidecar {
  name: string;
  image: string;
  imagePullPolicy: "IfNotPresent";
  restartPolicy: "Always";
  command: string[];
  env: { name: string; value: string }[];
  startupProbe: { exec: { command: string[] }; periodSeconds: number; failureThreshold: number };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: { runAsUser: 0 };
  volumeMounts: IdentityMount[];
}

export interface IdentityPodParts {
  volumes: IdentityVolume[];
  initContainers: IdentitySidecar[];
  /** For the main container. */
  volumeMounts: IdentityMount[];
}

// The merged files of a thousand tenants' users with their keys stay well under the ConfigMap's 1 MiB
// (validators/tenant-users.ts bounds them); the emptyDir, in memory, holds them twice with room.
const OUTPUT_SIZE = "8Mi";
// A shell loop and a few small files every half minute [U: project sizing].
const SIDECAR_RESOURCES = { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } };

/**
 * The pod's parts; `image` is the pod's main image (its passwd and group are the base). On the login pods `homesVolume`
 * names the pod's volume of the shared file system: the sidecar makes the users' homes there.
 */
export function identityPodParts(image: ImageRef, options: { homesVolume?: string } = {}): IdentityPodParts {
  const output = { name: IDENTITY_OUTPUT_VOLUME, mountPath: IDENTITY_OUTPUT_DIR };
  return {
    volumes: [
      { name: IDENTITY_SOURCE_VOLUME, configMap: { name: IDENTITY_CONFIGMAP, optional: true, defaultMode: 0o444 } },
      { name: IDENTITY_OUTPUT_VOLUME, emptyDir: { medium: "Memory", sizeLimit: OUTPUT_SIZE } },
    ],
    initContainers: [
      {
        name: SIDECAR,
        image: `${image.repository}:${image.tag}`,
        imagePullPolicy: "IfNotPresent",
        restartPolicy: "Always",
        command: ["/bin/sh", "-c", renderIdentitySync()],
        env: options.homesVolume ? [{ name: "GF_IDENTITY_HOME", value: HOME_ROOT }] : [],
        startupProbe: { exec: { command: ["test", "-s", `${IDENTITY_OUTPUT_DIR}/passwd`] }, periodSeconds: 1, failureThreshold: 120 },
        resources: SIDECAR_RESOURCES,
        securityContext: { runAsUser: 0 },
        volumeMounts: [
          { name: IDENTITY_SOURCE_VOLUME, mountPath: IDENTITY_SOURCE_DIR, readOnly: true },
          output,
          ...(options.homesVolume ? [{ name: options.homesVolume, mountPath: LUSTRE_MOUNT_POINT }] : []),
        ],
      },
    ],
    volumeMounts: [
      { name: IDENTITY_OUTPUT_VOLUME, mountPath: "/etc/passwd", subPath: "passwd", readOnly: true },
      { name: IDENTITY_OUTPUT_VOLUME, mountPath: "/etc/group", subPath: "group", readOnly: true },
      { ...output, readOnly: true },
    ],
  };
}
