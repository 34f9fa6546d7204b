import { stringify } from "yaml";
import type { PoolPlan } from "../../blueprint/types";
import { instanceType } from "../../catalog/instances";
import { acceleratorTaint, LABEL_POOL, SYSTEM_POOL, SYSTEM_TAINT, type Taint } from "../../blueprint/labels";
import { IMAGES, inRegion } from "../../catalog/images";
import { kueueConfiguration } from "./kueue-config";
import type { ControllerSize } from "../../blueprint/controller-sizing";

/** A controller's requests and limits as charts take them. */
export type Resources = { requests: { cpu: string; memory: string }; limits: { memory: string } };
export const resourcesOf = (s: ControllerSize): Resources => ({ requests: { ...s.requests }, limits: { ...s.limits } });

// The Helm values of each add-on, typed and built from the blueprint and the factory's registry. Every image
// setting of a chart is set, so no default image (from nvcr.io, registry.k8s.io, quay.io or another region's
// ECR) is ever pulled (policies/eu-residency/chart-images.ts lists the settings each chart has).

export interface Toleration {
  key: string;
  operator: "Exists" | "Equal";
  value?: string;
  effect?: Taint["effect"];
}

/** Controllers run on the system pool, never on a GPU node. */
export const SYSTEM_NODE_SELECTOR: Readonly<Record<string, string>> = { [LABEL_POOL]: SYSTEM_POOL };

/** The system pool's taint tolerated: every pod SYSTEM_NODE_SELECTOR places carries it, and no tenant's pod does. */
export function systemTolerations(): Toleration[] {
  return [{ key: SYSTEM_TAINT.key, operator: "Exists", effect: SYSTEM_TAINT.effect }];
}

/** The accelerator taints of the factory's pools, as tolerations (node daemons must run on every GPU node). */
export function acceleratorTolerations(pools: readonly Pick<PoolPlan, "instanceType">[]): Toleration[] {
  const keys = new Map<string, Toleration>();
  for (const p of pools) {
    const type = instanceType(p.instanceType);
    if (!type) continue;
    const t = acceleratorTaint(type);
    keys.set(t.key, { key: t.key, operator: "Exists", effect: t.effect });
  }
  return [...keys.values()];
}

/** gpu-operator's image setting: repository (without the image), image name and version. */
interface OperandImage {
  repository: string;
  image: string;
  version: string;
}

function operand(registry: string, name: "gpuOperator" | "nvidiaDevicePlugin" | "dcgmExporter"): OperandImage {
  const { repository, tag } = inRegion(registry, IMAGES[name]);
  const slash = repository.lastIndexOf("/");
  return { repository: repository.slice(0, slash), image: repository.slice(slash + 1), version: tag };
}

const off = { enabled: false } as const;

export interface GpuOperatorValues {
  operator: OperandImage & { initContainer: OperandImage; nodeSelector: Record<string, string>; tolerations: Toleration[]; resources: Resources };
  validator: OperandImage;
  driver: { enabled: false };
  toolkit: { enabled: false };
  devicePlugin: OperandImage & { enabled: true };
  gfd: OperandImage & { enabled: true };
  dcgm: { enabled: false };
  dcgmExporter: OperandImage & { enabled: true; serviceMonitor: { enabled: false } };
  migManager: { enabled: false };
  nodeStatusExporter: { enabled: false };
  gds: { enabled: false };
  gdrcopy: { enabled: false };
  vgpuManager: { enabled: false };
  vgpuDeviceManager: { enabled: false };
  vfioManager: { enabled: false };
  sandboxDevicePlugin: { enabled: false };
  kataManager: { enabled: false };
  ccManager: { enabled: false };
  sandboxWorkloads: { enabled: false };
  daemonsets: { tolerations: Toleration[] };
  nfd: { enabled: true };
  "node-feature-discovery": {
    image: { repository: string; tag: string };
    master: { nodeSelector: Record<string, string>; tolerations: Toleration[]; resources: Resources };
    gc: { nodeSelector: Record<string, string>; tolerations: Toleration[] };
    worker: { tolerations: Toleration[] };
  };
}

/**
 * NVIDIA GPU Operator on EKS's GPU AMI: the AMI brings the driver and the container toolkit, so both are off
 * (docs/sources.md#eks-gpu-ami, #nvidia-gpu-operator [P]); the operator runs the device plugin, feature discovery and the DCGM exporter.
 * MIG, vGPU, sandboxes, GDS and confidential computing are off: the factory schedules whole GPUs.
 */
export function gpuOperatorValues(registry: string, pools: readonly Pick<PoolPlan, "instanceType">[], sizes: { operator: ControllerSize; nfdMaster: ControllerSize }): GpuOperatorValues {
  const operatorImage = operand(registry, "gpuOperator");
  const devicePlugin = operand(registry, "nvidiaDevicePlugin");
  const tolerations = acceleratorTolerations(pools);
  const nfd = inRegion(registry, IMAGES.nodeFeatureDiscovery);
  return {
    // This operator version runs its init steps from the validator image; the setting older versions read for a
    // separate init image points at the same mirrored image, so no chart default can ever be pulled.
    operator: { ...operatorImage, initContainer: operatorImage, nodeSelector: { ...SYSTEM_NODE_SELECTOR }, tolerations: systemTolerations(), resources: resourcesOf(sizes.operator) },
    validator: operatorImage,
    driver: off,
    toolkit: off,
    devicePlugin: { enabled: true, ...devicePlugin },
    gfd: { enabled: true, ...devicePlugin },
    dcgm: off,
    dcgmExporter: { enabled: true, ...operand(registry, "dcgmExporter"), serviceMonitor: { enabled: false } },
    migManager: off,
    nodeStatusExporter: off,
    gds: off,
    gdrcopy: off,
    vgpuManager: off,
    vgpuDeviceManager: off,
    vfioManager: off,
    sandboxDevicePlugin: off,
    kataManager: off,
    ccManager: off,
    sandboxWorkloads: off,
    daemonsets: { tolerations },
    nfd: { enabled: true },
    "node-feature-discovery": {
      image: { repository: nfd.repository, tag: nfd.tag },
      master: { nodeSelector: { ...SYSTEM_NODE_SELECTOR }, tolerations: systemTolerations(), resources: resourcesOf(sizes.nfdMaster) },
      gc: { nodeSelector: { ...SYSTEM_NODE_SELECTOR }, tolerations: systemTolerations() },
      // Every node's features, the system pool's too.
      worker: { tolerations: [...tolerations, ...systemTolerations()] },
    },
  };
}

export interface EfaDevicePluginValues {
  image: { repository: string; tag: string };
  supportedInstanceLabels: { keys: string[]; values: string[] };
  tolerations: Toleration[];
}

/**
 * The EFA device plugin from the factory's registry (its chart's default image is in us-west-2,
 * docs/sources.md#eks-charts-efa), on the factory's GPU instance types only, tolerating their accelerator taint.
 */
export function efaDevicePluginValues(registry: string, pools: readonly Pick<PoolPlan, "instanceType" | "efaInterfacesPerNode">[]): EfaDevicePluginValues {
  const types = [...new Set(pools.filter((p) => p.efaInterfacesPerNode > 0).map((p) => p.instanceType))].sort();
  return {
    image: inRegion(registry, IMAGES.efaDevicePlugin),
    supportedInstanceLabels: { keys: ["node.kubernetes.io/instance-type"], values: types },
    tolerations: acceleratorTolerations(pools),
  };
}

export interface KueueValues {
  controllerManager: {
    replicas: number;
    manager: { image: { repository: string; tag: string; pullPolicy: "IfNotPresent" }; priorityClassName: string; resources: Resources };
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
    podDisruptionBudget: { enabled: true; minAvailable: number };
  };
  enableKueueViz: false;
  managerConfig: { controllerManagerConfigYaml: string };
}

// Two replicas with one always up: Kueue's webhooks sit in front of every Job the tenants submit [U: project choice].
const KUEUE_REPLICAS = 2;

/** Kueue from the factory's registry, sized for the factory's nodes, pods and workloads (controller-sizing.ts). */
export function kueueValues(registry: string, size: ControllerSize): KueueValues {
  return {
    controllerManager: {
      replicas: KUEUE_REPLICAS,
      manager: { image: { ...inRegion(registry, IMAGES.kueue), pullPolicy: "IfNotPresent" }, priorityClassName: "system-cluster-critical", resources: resourcesOf(size) },
      nodeSelector: { ...SYSTEM_NODE_SELECTOR },
      tolerations: systemTolerations(),
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
    },
    enableKueueViz: false,
    managerConfig: { controllerManagerConfigYaml: stringify(kueueConfiguration()) },
  };
}

export interface CertManagerValues {
  crds: { enabled: true };
  image: { repository: string; tag: string };
  webhook: { image: { repository: string; tag: string }; nodeSelector: Record<string, string>; tolerations: Toleration[] };
  cainjector: { image: { repository: string; tag: string }; nodeSelector: Record<string, string>; tolerations: Toleration[] };
  acmesolver: { image: { repository: string; tag: string } };
  startupapicheck: { image: { repository: string; tag: string }; nodeSelector: Record<string, string>; tolerations: Toleration[] };
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
  resources: Resources;
}

/** cert-manager with every component's image from the factory's registry, its CRDs installed with it. */
export function certManagerValues(registry: string, size: ControllerSize): CertManagerValues {
  return {
    crds: { enabled: true },
    image: inRegion(registry, IMAGES.certManagerController),
    webhook: { image: inRegion(registry, IMAGES.certManagerWebhook), nodeSelector: { ...SYSTEM_NODE_SELECTOR }, tolerations: systemTolerations() },
    cainjector: { image: inRegion(registry, IMAGES.certManagerCainjector), nodeSelector: { ...SYSTEM_NODE_SELECTOR }, tolerations: systemTolerations() },
    acmesolver: { image: inRegion(registry, IMAGES.certManagerAcmeSolver) },
    // The install's post-hook Job: with every node tainted it would find none, and the release would wait on it.
    startupapicheck: { image: inRegion(registry, IMAGES.certManagerStartupApiCheck), nodeSelector: { ...SYSTEM_NODE_SELECTOR }, tolerations: systemTolerations() },
    nodeSelector: { ...SYSTEM_NODE_SELECTOR },
    tolerations: systemTolerations(),
    resources: resourcesOf(size),
  };
}


type ImageSetting = { repository: string; tag: string };

export interface FsxCsiDriverValues {
  image: ImageSetting;
  sidecars: {
    livenessProbe: { image: ImageSetting };
    nodeDriverRegistrar: { image: ImageSetting };
    provisioner: { image: ImageSetting };
    resizer: { image: ImageSetting };
  };
  controller: {
    replicaCount: number;
    region: string;
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
    serviceAccount: { create: true; name: string };
    podDisruptionBudget: { enabled: true };
  };
  node: { tolerateAllTaints: true };
}

// The controller's service account, the one EKS Pod Identity grants fsx:DescribeFileSystems (iam.ts).
export const FSX_CSI_CONTROLLER_SERVICE_ACCOUNT = "fsx-csi-controller-sa";

/**
 * The FSx for Lustre CSI driver from the factory's registry: its controller on the system pool, told the region so
 * it never asks the instance metadata; its node plugin on every node whatever the taints, GPU nodes included.
 */
export function fsxCsiDriverValues(registry: string, region: string): FsxCsiDriverValues {
  return {
    image: inRegion(registry, IMAGES.fsxCsiDriver),
    sidecars: {
      livenessProbe: { image: inRegion(registry, IMAGES.csiLivenessProbe) },
      nodeDriverRegistrar: { image: inRegion(registry, IMAGES.csiNodeDriverRegistrar) },
      provisioner: { image: inRegion(registry, IMAGES.csiProvisioner) },
      resizer: { image: inRegion(registry, IMAGES.csiResizer) },
    },
    controller: {
      // The chart's own default (values.yaml controller.replicaCount [P]), said here so it is reviewed with the rest.
      replicaCount: 2,
      region,
      nodeSelector: { ...SYSTEM_NODE_SELECTOR },
      tolerations: systemTolerations(),
      serviceAccount: { create: true, name: FSX_CSI_CONTROLLER_SERVICE_ACCOUNT },
      podDisruptionBudget: { enabled: true },
    },
    node: { tolerateAllTaints: true },
  };
}
