import { TEXTFILE_DIR } from "../health/node-agent";
import { ACCEPTANCE_METRICS_DIR } from "../kubernetes/acceptance-metrics-dir";
import { SLINKY_HEALTH_CONFIGMAP, SLINKY_HEALTH_DIR } from "../health/slinky-gate";
import { LUSTRE_MOUNT_POINT } from "../aws/lustre-mount";
import type { Blueprint, PoolPlan } from "../../blueprint/types";
import { instanceType } from "../../catalog/instances";
import { acceleratorTaint, LABEL_POOL } from "../../blueprint/labels";
import { SYSTEM_NODE_SELECTOR, systemTolerations, type Toleration } from "../kubernetes/addon-values";
import { EFA_RESOURCE, poolShape } from "../kubernetes/kueue-resources";
import { slurmClusterName } from "./names";
import { renderSlurmdbdExtraConf, slurmctldResources, slurmdbdResources, SLURMRESTD_RESOURCES } from "./control-plane";
import { maxJobCount } from "./slurm-conf";
import type { InstanceTypeLookup } from "./node";
import { sidecarImage, slinkyImage } from "../../catalog/slinky-charts";
import { identityPodParts, type IdentityMount, type IdentitySidecar, type IdentityVolume } from "./identity-pods";
import { LOGIN_SSHD_CONFIG } from "./identity";
import { DIRECTORY_SECRET, DIRECTORY_SECRET_KEY, DIRECTORY_SSHD_CONFIG, nsswitchMount, nsswitchVolume, sssdConfMount, sssdConfVolume } from "./directory";
import {
  slinkyConfigFiles,
  slinkyControllerConf,
  slinkyNodeConf,
  slinkyNodeSetName,
  slinkyPartitions,
  slurmPools,
  type SlinkyPartition,
} from "./slinky-conf";

// The slurm chart's Helm values (SlinkyProject/slurm-operator helm/slurm/values.yaml v1.2.1 [P]), typed and built
// from the blueprint. Every image setting of the chart is set to the factory's registry
// (policies/eu-residency/chart-images.ts lists them). Controller, accounting, REST API and login run on the system
// pool; a NodeSet per GPU pool runs a slurmd on the same nodes Kueue schedules.

type ImageRef = { repository: string; tag: string };
type Resources = { requests: Record<string, string>; limits: Record<string, string> };

/** A Kubernetes Secret key: the chart's secretKeyRef shape. */
export interface SecretKeyRef {
  name: string;
  key: string;
}

/** The Kubernetes Secrets the release reads, made beside it (the chart makes none of its own). */
export interface SlinkySecretRefs {
  slurmKey: SecretKeyRef;
  jwtKey: SecretKeyRef;
  databasePassword: SecretKeyRef;
}

/** slurmdbd's MySQL database (slurmdbd.conf StorageHost, StoragePort, StorageLoc, StorageUser). */
export interface AccountingStorage {
  host: string;
  port: number;
  database: string;
  username: string;
}

export interface SlinkyOptions {
  registry: string;
  /** The factory's slurmd image (core/catalog/slurmd-image.ts) every NodeSet runs, by tag and digest; never the stock one. */
  slurmdImage: ImageRef;
  /** The factory's login image (core/catalog/login-image.ts) by tag and digest: Enroot and Pyxis for srun --container-image; Slinky's stock login when absent. */
  loginImage?: ImageRef;
  secrets: SlinkySecretRefs;
  storage: AccountingStorage;
  /** The PriorityClass of the NodeSets' slurmd pods (slinky.ts). */
  nodePriorityClassName: string;
  /** The StorageClass of slurmctld's state; the cluster's default when absent. */
  stateStorageClassName?: string;
  /** The claim, in Slurm's namespace, of the whole Lustre file system: the login pods mount it at /fsx. */
  loginLustreClaim?: string;
  lookup?: InstanceTypeLookup;
}

type HostPathVolume =
  | { name: string; hostPath: { path: string; type: "Directory" | "DirectoryOrCreate" } }
  | ReturnType<typeof sssdConfVolume>
  | { name: string; configMap: { name: string; defaultMode: number } }
  | { name: string; persistentVolumeClaim: { claimName: string } }
  | IdentityVolume;

type VolumeMount =
  | {
      name: string;
      mountPath: string;
      mountPropagation?: "HostToContainer";
      readOnly?: boolean;
    }
  | IdentityMount;

interface PodSpec {
  nodeSelector: Record<string, string>;
  tolerations?: Toleration[];
  priorityClassName?: string;
  volumes?: HostPathVolume[];
  /** The tenants' users' sidecar (identity-pods.ts). */
  initContainers?: IdentitySidecar[];
}

export interface SlinkyNodeSet {
  enabled: true;
  scalingMode: "StatefulSet";
  replicas: number;
  ordinalPadding: number;
  extraConf: string;
  partition: { enabled: false };
  slurmd: { resources: Resources; volumeMounts: VolumeMount[] };
  podSpec: PodSpec;
}

// The node's Lustre mount (user data mounts it at boot) seen by slurmd and the jobs it starts, at the same path:
// checkpoints and datasets live there. HostToContainer, so an automount that happens after the pod starts shows.
const LUSTRE_VOLUME = "lustre";
const lustreVolume = (): HostPathVolume => ({ name: LUSTRE_VOLUME, hostPath: { path: LUSTRE_MOUNT_POINT, type: "Directory" } });
const lustreVolumeMount = (): VolumeMount => ({ name: LUSTRE_VOLUME, mountPath: LUSTRE_MOUNT_POINT, mountPropagation: "HostToContainer" });

// slurmd's health programs (health/slinky-gate.ts) and the node-health agent's report they read, from the host,
// read-only: a job must not write the status Slurm trusts. The acceptance jobs' metrics folder is writable, by root
// only (kubernetes/acceptance-metrics-dir.ts): the node exporter serves what the operator's acceptance job writes there.
const HEALTH_REPORT_VOLUME = "node-health-report";
const HEALTH_GATE_VOLUME = "node-health-gate";
const ACCEPTANCE_METRICS_VOLUME = "acceptance-metrics";
const healthVolumes = (): HostPathVolume[] => [
  { name: HEALTH_REPORT_VOLUME, hostPath: { path: TEXTFILE_DIR, type: "DirectoryOrCreate" } },
  { name: HEALTH_GATE_VOLUME, configMap: { name: SLINKY_HEALTH_CONFIGMAP, defaultMode: 0o755 } },
  { name: ACCEPTANCE_METRICS_VOLUME, hostPath: { path: ACCEPTANCE_METRICS_DIR, type: "DirectoryOrCreate" } },
];
const healthVolumeMounts = (): VolumeMount[] => [
  { name: HEALTH_REPORT_VOLUME, mountPath: TEXTFILE_DIR, readOnly: true },
  { name: HEALTH_GATE_VOLUME, mountPath: SLINKY_HEALTH_DIR, readOnly: true },
  { name: ACCEPTANCE_METRICS_VOLUME, mountPath: ACCEPTANCE_METRICS_DIR },
];

export interface SlinkyLoginSet {
  enabled: true;
  replicas: number;
  /** sshd also reads the tenants' users' keys (identity.ts). */
  extraSshdConfig: string;
  login: { volumeMounts: VolumeMount[] };
  podSpec: PodSpec;
  service: LoginService;
}

/** How users reach the login pods: an internal Network Load Balancer, open only to the VPC and the operators' networks. */
export interface LoginService {
  metadata: { annotations: Record<string, string> };
  spec: { type: "LoadBalancer"; loadBalancerSourceRanges: string[] };
}

// The in-tree AWS load balancer of EKS: a Network Load Balancer, internal, never on the internet (Kubernetes "Service"
// annotations for AWS, docs/sources.md#eks-load-balancers [P]). sshd on the login pods is reached on port 22 through it.
export const LOGIN_SERVICE_ANNOTATIONS: Readonly<Record<string, string>> = {
  "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
  "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
};

/** The login Service: from the VPC (the deploy runner, peered tools) and the operators' networks only. */
export function loginService(sourceRanges: readonly string[]): LoginService {
  return {
    metadata: { annotations: { ...LOGIN_SERVICE_ANNOTATIONS } },
    spec: { type: "LoadBalancer", loadBalancerSourceRanges: [...new Set(sourceRanges)] },
  };
}

/** The networks users log in from: the VPC's blocks and the operator ranges the API server admits. */
export function loginSourceRanges(blueprint: Pick<Blueprint, "network" | "access">): string[] {
  const operators = blueprint.access.apiIngress.filter((r) => r.source === "operator-cidr" && r.cidrIpv4).map((r) => r.cidrIpv4!);
  return [...new Set([...blueprint.network.vpcCidrs, ...operators])];
}

export interface SlinkyValues {
  clusterName: string;
  imagePullPolicy: "IfNotPresent";
  slurmKey: { create: false; secretRef: SecretKeyRef };
  jwtKey: { create: false; secretRef: SecretKeyRef };
  /** The directory's sssd.conf (directory.ts), when the factory names one: the chart then makes no sssd.conf of its own. */
  sssd?: { secretRef: SecretKeyRef };
  configFiles: Record<string, string>;
  controller: {
    slurmctld: { image: ImageRef; resources: Resources; volumeMounts: VolumeMount[] };
    reconfigure: { image: ImageRef };
    logfile: { image: ImageRef };
    extraConf: string;
    persistence: { enabled: true; storageClassName?: string };
    podSpec: PodSpec;
    metrics: { enabled: true };
  };
  restapi: { replicas: number; pdb: { enabled: true; minAvailable: number }; slurmrestd: { image: ImageRef; resources: Resources }; podSpec: PodSpec };
  accounting: {
    enabled: true;
    slurmdbd: { image: ImageRef; resources: Resources };
    extraConf: string;
    storageConfig: AccountingStorage & { passwordKeyRef: SecretKeyRef };
    podSpec: PodSpec;
  };
  loginsetDefaults: { login: { image: ImageRef }; initconf: { image: ImageRef } };
  loginsets: Record<string, SlinkyLoginSet>;
  nodesetDefaults: { slurmd: { image: ImageRef }; logfile: { image: ImageRef } };
  nodesets: Record<string, SlinkyNodeSet>;
  partitions: Record<string, SlinkyPartition>;
}

// Slurm's daemons keep the factory's scheduling: they must not be evicted before tenants' pods (Kueue's controller
// runs at the same class, addon-values.ts).
export const SLURM_DAEMON_PRIORITY_CLASS = "system-cluster-critical";
// Two login pods, so a restart never locks users out; each a full sackd/sshd.
export const LOGIN_REPLICAS = 2;
export const LOGIN_SET = "login";
// slurmrestd answers tools and dashboards, never the jobs themselves; two replicas and a disruption budget of one, so
// a node's drain never leaves the REST API down (the chart's restapi.pdb).
const RESTAPI_REPLICAS = 2;

/**
 * A pool's slurmd pod takes its node's accelerators and EFA interfaces from the device plugins, so the
 * Kubernetes scheduler sees a node holding a slurmd as full: a node runs either Slurm's jobs or Kubernetes pods,
 * never both at once.
 */
export function slurmdResources(pool: PoolPlan): Resources {
  const shape = poolShape(pool);
  const amounts: Record<string, string> = {};
  if (shape) amounts[shape.accelerator] = String(shape.gpusPerNode);
  if (pool.efaInterfacesPerNode > 0) amounts[EFA_RESOURCE] = String(pool.efaInterfacesPerNode);
  return { requests: { ...amounts }, limits: { ...amounts } };
}

/** The taint of the pool's accelerator, tolerated: the slurmd pod goes where the pool's GPU pods go. */
export function poolTolerations(pool: PoolPlan): Toleration[] {
  const type = instanceType(pool.instanceType);
  if (!type) return [];
  const t = acceleratorTaint(type);
  return [{ key: t.key, operator: "Exists", effect: t.effect }];
}

/** One NodeSet per GPU pool: a slurmd on each of the pool's nodes, selected by the pool label Kueue's flavor uses. */
export function slinkyNodeSets(blueprint: Blueprint, options: Pick<SlinkyOptions, "nodePriorityClassName" | "lookup"> & { slurmdImage: ImageRef }): Record<string, SlinkyNodeSet> {
  const identity = identityPodParts(options.slurmdImage);
  // Jobs resolve their user through slurmstepd first (nsswitch.conf), and through sssd when the factory names a directory.
  const names = { volumes: [nsswitchVolume(), ...(blueprint.directory ? [sssdConfVolume()] : [])], mounts: [nsswitchMount(), ...(blueprint.directory ? [sssdConfMount()] : [])] };
  return Object.fromEntries(
    slurmPools(blueprint).map((pool) => [
      slinkyNodeSetName(pool),
      {
        enabled: true,
        scalingMode: "StatefulSet",
        replicas: pool.nodes,
        ordinalPadding: pool.hostnameDigits,
        extraConf: slinkyNodeConf(pool, options.lookup),
        // The partitions come from slurm.conf's (slinkyPartitions), not one per NodeSet.
        partition: { enabled: false },
        slurmd: { resources: slurmdResources(pool), volumeMounts: [lustreVolumeMount(), ...healthVolumeMounts(), ...identity.volumeMounts, ...names.mounts] },
        podSpec: {
          nodeSelector: { [LABEL_POOL]: pool.name },
          tolerations: poolTolerations(pool),
          priorityClassName: options.nodePriorityClassName,
          volumes: [lustreVolume(), ...healthVolumes(), ...identity.volumes, ...names.volumes],
          initContainers: identity.initContainers,
        },
      },
    ]),
  );
}

/**
 * The login pods, on the system pool: users compile, stage data and submit there, so they see the file system at
 * the same /fsx as the jobs, through the FSx CSI driver (the system nodes do not mount Lustre at boot).
 */
export function slinkyLoginSet(sourceRanges: readonly string[], loginImage: ImageRef, lustreClaim?: string, directory = false): SlinkyLoginSet {
  const lustre = lustreClaim ? { volume: { name: LUSTRE_VOLUME, persistentVolumeClaim: { claimName: lustreClaim } }, mount: { name: LUSTRE_VOLUME, mountPath: LUSTRE_MOUNT_POINT } } : undefined;
  const identity = identityPodParts(loginImage, lustre ? { homesVolume: LUSTRE_VOLUME } : {});
  return {
    enabled: true,
    replicas: LOGIN_REPLICAS,
    extraSshdConfig: directory ? `${LOGIN_SSHD_CONFIG}\n${DIRECTORY_SSHD_CONFIG}` : LOGIN_SSHD_CONFIG,
    login: { volumeMounts: [...(lustre ? [lustre.mount] : []), ...identity.volumeMounts] },
    podSpec: { nodeSelector: { ...SYSTEM_NODE_SELECTOR }, tolerations: systemTolerations(), volumes: [...(lustre ? [lustre.volume] : []), ...identity.volumes], initContainers: identity.initContainers },
    service: loginService(sourceRanges),
  };
}

export function slinkyValues(blueprint: Blueprint, options: SlinkyOptions): SlinkyValues {
  const { registry, secrets } = options;
  const onSystemPool = (): PodSpec => ({ nodeSelector: { ...SYSTEM_NODE_SELECTOR }, tolerations: systemTolerations(), priorityClassName: SLURM_DAEMON_PRIORITY_CLASS });
  const slurmctld = slinkyImage(registry, "slurmctld");
  const login = options.loginImage ? { ...options.loginImage } : slinkyImage(registry, "login");
  const sidecar = sidecarImage(registry);
  // slurmctld maps an association's user to its uid: the tenants' users exist in its pod too.
  const controllerIdentity = identityPodParts(slurmctld);
  return {
    clusterName: slurmClusterName(blueprint.factory),
    imagePullPolicy: "IfNotPresent",
    slurmKey: { create: false, secretRef: { ...secrets.slurmKey } },
    jwtKey: { create: false, secretRef: { ...secrets.jwtKey } },
    ...(blueprint.directory ? { sssd: { secretRef: { name: DIRECTORY_SECRET, key: DIRECTORY_SECRET_KEY } } } : {}),
    configFiles: slinkyConfigFiles(blueprint, options.lookup),
    controller: {
      slurmctld: { image: slurmctld, resources: slurmctldResources(blueprint.nodes), volumeMounts: controllerIdentity.volumeMounts },
      reconfigure: { image: slurmctld },
      logfile: { image: sidecar },
      extraConf: slinkyControllerConf(blueprint, options.lookup),
      // slurmctld's state (queued and running jobs) outlives its pod.
      persistence: { enabled: true, ...(options.stateStorageClassName ? { storageClassName: options.stateStorageClassName } : {}) },
      podSpec: { ...onSystemPool(), volumes: controllerIdentity.volumes, initContainers: controllerIdentity.initContainers },
      // slurmctld's own OpenMetrics endpoints (MetricsType=metrics/openmetrics), read by the factory's scraper.
      metrics: { enabled: true },
    },
    restapi: {
      replicas: RESTAPI_REPLICAS,
      pdb: { enabled: true, minAvailable: 1 },
      slurmrestd: { image: slinkyImage(registry, "slurmrestd"), resources: SLURMRESTD_RESOURCES },
      podSpec: onSystemPool(),
    },
    accounting: {
      enabled: true,
      slurmdbd: { image: slinkyImage(registry, "slurmdbd"), resources: slurmdbdResources(maxJobCount(blueprint.nodes)) },
      extraConf: renderSlurmdbdExtraConf(blueprint),
      storageConfig: { ...options.storage, passwordKeyRef: { ...secrets.databasePassword } },
      podSpec: onSystemPool(),
    },
    loginsetDefaults: { login: { image: login }, initconf: { image: sidecar } },
    loginsets: { [LOGIN_SET]: slinkyLoginSet(loginSourceRanges(blueprint), login, options.loginLustreClaim, blueprint.directory !== undefined) },
    // The identity sidecar runs the factory's slurmd image too: one image per pod to pull.
    nodesetDefaults: { slurmd: { image: { ...options.slurmdImage } }, logfile: { image: sidecar } },
    nodesets: slinkyNodeSets(blueprint, options),
    partitions: slinkyPartitions(blueprint, options.lookup),
  };
}
