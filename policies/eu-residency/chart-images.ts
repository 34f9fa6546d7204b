// Where well-known charts keep their image settings, so that a release that does not override one is known to
// pull the chart's default image from outside the factory. A chart missing here cannot be proven: the policy asks
// for it to be added through the `chartImageValues` config, or exempted with a justification.

export interface ChartImageValue {
  /** Values path of the image setting (a string, or an object with registry/repository/image/tag). */
  path: string;
  /** Values path of the switch that turns the component on, when it has one. */
  enabledBy?: string;
  /** Whether the component runs when the switch is not set. */
  enabledByDefault?: boolean;
}

export const DEFAULT_CHART_IMAGE_VALUES: Readonly<Record<string, ChartImageValue[]>> = {
  // aws/eks-charts stable/aws-efa-k8s-device-plugin/values.yaml [P]: default image in us-west-2 ECR.
  "aws-efa-k8s-device-plugin": [{ path: "image" }],
  // NVIDIA/gpu-operator deployments/gpu-operator/values.yaml [P]: every operand's {repository, image, version}.
  "gpu-operator": [
    { path: "operator" },
    { path: "operator.initContainer" },
    { path: "validator" },
    { path: "driver", enabledBy: "driver.enabled", enabledByDefault: true },
    { path: "driver.manager", enabledBy: "driver.enabled", enabledByDefault: true },
    { path: "toolkit", enabledBy: "toolkit.enabled", enabledByDefault: true },
    { path: "devicePlugin", enabledBy: "devicePlugin.enabled", enabledByDefault: true },
    { path: "dcgm", enabledBy: "dcgm.enabled", enabledByDefault: false },
    { path: "dcgmExporter", enabledBy: "dcgmExporter.enabled", enabledByDefault: true },
    { path: "gfd", enabledBy: "gfd.enabled", enabledByDefault: true },
    { path: "migManager", enabledBy: "migManager.enabled", enabledByDefault: true },
    { path: "nodeStatusExporter", enabledBy: "nodeStatusExporter.enabled", enabledByDefault: false },
    { path: "gds", enabledBy: "gds.enabled", enabledByDefault: false },
    { path: "gdrcopy", enabledBy: "gdrcopy.enabled", enabledByDefault: false },
    { path: "vgpuManager", enabledBy: "vgpuManager.enabled", enabledByDefault: false },
    { path: "kataManager", enabledBy: "kataManager.enabled", enabledByDefault: false },
    { path: "ccManager", enabledBy: "ccManager.enabled", enabledByDefault: false },
    { path: "vgpuDeviceManager", enabledBy: "sandboxWorkloads.enabled", enabledByDefault: false },
    { path: "vfioManager", enabledBy: "sandboxWorkloads.enabled", enabledByDefault: false },
    { path: "sandboxDevicePlugin", enabledBy: "sandboxWorkloads.enabled", enabledByDefault: false },
    { path: "node-feature-discovery.image", enabledBy: "nfd.enabled", enabledByDefault: true },
  ],
  // kubernetes-sigs/kueue charts/kueue/values.yaml [P].
  kueue: [
    { path: "controllerManager.manager.image" },
    { path: "kueueViz.backend.image", enabledBy: "enableKueueViz", enabledByDefault: false },
    { path: "kueueViz.frontend.image", enabledBy: "enableKueueViz", enabledByDefault: false },
  ],
  // kubernetes-sigs/jobset charts/jobset/values.yaml v0.12.0 [P]: the controller's image (a staging registry by default).
  jobset: [{ path: "image" }],
  // SlinkyProject/slurm-operator helm/slurm-operator/values.yaml [P].
  "slurm-operator": [
    { path: "operator.image", enabledBy: "operator.enabled", enabledByDefault: true },
    { path: "webhook.image", enabledBy: "webhook.enabled", enabledByDefault: true },
  ],
  // cert-manager/cert-manager deploy/charts/cert-manager/values.yaml [P]: controller, webhook, cainjector, the
  // ACME solver the controller starts, and the post-install API check.
  "cert-manager": [
    { path: "image" },
    { path: "webhook.image" },
    { path: "cainjector.image", enabledBy: "cainjector.enabled", enabledByDefault: true },
    { path: "acmesolver.image" },
    { path: "startupapicheck.image", enabledBy: "startupapicheck.enabled", enabledByDefault: true },
  ],
  // kubernetes-sigs/aws-fsx-csi-driver charts/aws-fsx-csi-driver/values.yaml [P]: the driver and its CSI sidecars.
  "aws-fsx-csi-driver": [
    { path: "image" },
    { path: "sidecars.livenessProbe.image" },
    { path: "sidecars.nodeDriverRegistrar.image" },
    { path: "sidecars.provisioner.image" },
    { path: "sidecars.resizer.image" },
  ],
  // Only CustomResourceDefinitions: no image (SlinkyProject/slurm-operator helm/slurm-operator-crds [P]).
  "slurm-operator-crds": [],
  // SlinkyProject/slurm-operator helm/slurm/values.yaml v1.2.1 [P]: Slurm's daemons on ghcr.io and the alpine log and
  // init sidecars on docker.io. A NodeSet or LoginSet of its own may override the defaults' images: the policy
  // reads every image setting of the values besides these.
  slurm: [
    { path: "controller.slurmctld.image" },
    { path: "controller.reconfigure.image" },
    { path: "controller.logfile.image" },
    { path: "restapi.slurmrestd.image" },
    { path: "accounting.slurmdbd.image", enabledBy: "accounting.enabled", enabledByDefault: false },
    { path: "loginsetDefaults.login.image" },
    { path: "loginsetDefaults.initconf.image" },
    { path: "nodesetDefaults.slurmd.image" },
    { path: "nodesetDefaults.logfile.image" },
  ],
};
