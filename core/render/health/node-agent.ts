import type { Blueprint } from "../../blueprint/types";
import { instanceType } from "../../catalog/instances";
import { acceleratorTaint, LABEL_POOL } from "../../blueprint/labels";
import type { KubernetesObject } from "../kubernetes/objects-types";
import { SLINKY_TOPOLOGY_ANNOTATION } from "../kubernetes/slinky-topology";
import { LUSTRE_MOUNT_POINT } from "../aws/lustre-mount";
import { imageReference, type ImageRef } from "../image/slurmd-recipe";
import { healthScriptName, renderHealthScript } from "./script";
import { renderUnitAssignScript, renderUnitTable, UNIT_ASSIGN_SCRIPT, UNIT_TABLE_VARIABLE } from "./unit-assign";
import { CHECKS_SCRIPT, renderChecksScript, renderTaintsScript, TAINTS_SCRIPT } from "./agent-scripts";
import { ACCEPTANCE_METRICS_DIR } from "../kubernetes/acceptance-metrics-dir";
import {
  AGENT_INTERVAL_S,
  AGENT_SHARED_DIR,
  HEALTH_STATUS_FILE,
  NODE_STATE_DIR,
  SCALABLE_UNIT_FILE,
  STATUS_MAX_AGE_S,
  TAINT_POLL_S,
  TEXTFILE_DIR,
} from "./agent-paths";

export { AGENT_INTERVAL_S, HEALTH_STATUS_FILE, SCALABLE_UNIT_FILE, TEXTFILE_DIR } from "./agent-paths";

// The Kubernetes side of node health: a DaemonSet on every GPU node runs the same rendered checks and taints a failing
// node NoSchedule, so Kueue's topology-aware scheduling and the scheduler place no new pod on it (Kueue TAS skips nodes
// whose taints a workload does not tolerate [P: kueue site, topology-aware scheduling]). A new node carries the taint
// until it passes burn-in. Running pods stay: their job decides, and EKS node auto-repair replaces the instance. The
// agent is also the node's exporter of what the checks find and of the EFA counters, as a Prometheus textfile that the
// node exporter beside it serves. Before anything else it places the node in its unit's leaf of Slurm's tree (the
// annotation Slinky reads), so Slurm and Kueue see the same unit.
//
// Where the checks run: in the factory's slurmd image, never on the host. The EKS NVIDIA AMI carries the driver, the
// container toolkit and EFA's kernel module, not libfabric's fi_info, nccl-tests or DCGM
// (docs/sources.md#eks-ami-nvidia-driver, #eks-ami-nvidia-runtime); the slurmd image carries all of them at the paths
// the scripts call (core/catalog/slurmd-image.ts), and every GPU node pulls it already for its slurmd. Its `checks`
// container is privileged and asks the device plugins for nothing: the NVIDIA runtime (containerd's default on the
// AMI) mounts the driver, nvidia-smi and every GPU for NVIDIA_VISIBLE_DEVICES=all, which it honours for a privileged
// container whatever accept-nvidia-visible-devices-envvar-when-unprivileged says
// (docs/sources.md#nvidia-container-toolkit-visible-devices); a privileged container also has the host's /dev (the
// EFA devices under /dev/infiniband) and its sysfs. So the checks see the whole node while the slurmd pod keeps every
// GPU and EFA interface the device plugins hand out. Why two containers rather than kubectl in the slurmd image: the
// privileged container, which runs the image every tenant's job runs, holds no Kubernetes token (the pod mounts none;
// only the `taints` container, in the kubectl image the factory mirrors, gets one), and the slurmd image stays free of
// a cluster client whose version would have to follow the cluster's.

export const HEALTH_NAMESPACE = "gigafactory-health";
export const HEALTH_AGENT = "node-health";
export const HEALTH_TAINT_KEY = "gigafactory.io/node-health";
export const HEALTH_REASON_ANNOTATION = "gigafactory.io/node-health-reason";
export const NODE_EXPORTER_PORT = 9100;

// Images, pulled through the factory's registry in its region (core/catalog/images.ts, prefixes `k8s` for
// registry.k8s.io and `quay` for quay.io). kubectl's image carries bash since Kubernetes 1.28 (kubernetes/kubernetes
// PR 119592 [S]); node_exporter v1.9.1 (prometheus/node_exporter release, quay.io/prometheus/node-exporter [P]).
export const AGENT_IMAGES = {
  kubectl: { repository: "k8s/kubectl", tag: "v1.33.4" },
  nodeExporter: { repository: "quay/prometheus/node-exporter", tag: "v1.9.1" },
} as const;

export const agentImage = (registry: string, name: keyof typeof AGENT_IMAGES): string =>
  `${registry}/${AGENT_IMAGES[name].repository}:${AGENT_IMAGES[name].tag}`;

const SCRIPTS_DIR = "/scripts";
/** Where a pod's ServiceAccount token is read from (client-go's in-cluster configuration). */
const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
// The host's sysfs as the privileged container sees it: the efa driver's devices and hardware counters [S].
const SYSFS_INFINIBAND = "/sys/class/infiniband";

/** The agent's objects: namespace, identity and rights on nodes, the scripts, and one DaemonSet over every GPU node. */
export function nodeHealthObjects(
  blueprint: Pick<Blueprint, "factory" | "pools" | "nodeGroups" | "units">,
  registry: string,
  slurmdImage: ImageRef,
): KubernetesObject[] {
  const labels = { "app.kubernetes.io/name": HEALTH_AGENT, "app.kubernetes.io/managed-by": "gigafactory" };
  const pools = blueprint.pools.filter((p) => p.nodes > 0);
  const taints = [...new Map(pools.map((p) => instanceType(p.instanceType)).filter((t) => t !== undefined).map((t) => [acceleratorTaint(t).key, acceleratorTaint(t)])).values()];
  const scripts = Object.fromEntries((["healthcheck", "burn-in"] as const).map((phase) => [healthScriptName(phase), renderHealthScript(blueprint, phase)]));
  const nodeName = { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } };
  const shared = [
    { name: "SCRIPTS_DIR", value: SCRIPTS_DIR },
    { name: "SHARED_DIR", value: AGENT_SHARED_DIR },
    { name: "STATUS_FILE", value: HEALTH_STATUS_FILE },
    { name: "UNIT_FILE", value: SCALABLE_UNIT_FILE },
  ];
  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      // The checks run privileged: only this namespace may run privileged pods.
      metadata: { name: HEALTH_NAMESPACE, labels: { ...labels, "pod-security.kubernetes.io/enforce": "privileged" } },
    },
    // No token in the pod by default: only the `taints` container mounts one (below).
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: HEALTH_AGENT, namespace: HEALTH_NAMESPACE, labels }, automountServiceAccountToken: false },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: `gigafactory:${HEALTH_AGENT}`, labels },
      rules: [
        // list: counting a unit's nodes when a node of a group of several units learns its unit.
        { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "patch"] },
        { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create", "delete"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: `gigafactory:${HEALTH_AGENT}`, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `gigafactory:${HEALTH_AGENT}` },
      subjects: [{ kind: "ServiceAccount", name: HEALTH_AGENT, namespace: HEALTH_NAMESPACE }],
    },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `${HEALTH_AGENT}-scripts`, namespace: HEALTH_NAMESPACE, labels }, data: {
        ...scripts,
        [CHECKS_SCRIPT]: renderChecksScript(),
        [TAINTS_SCRIPT]: renderTaintsScript(),
        [UNIT_ASSIGN_SCRIPT]: renderUnitAssignScript(HEALTH_NAMESPACE),
      },
    },
    {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: HEALTH_AGENT, namespace: HEALTH_NAMESPACE, labels },
      spec: {
        selector: { matchLabels: { "app.kubernetes.io/name": HEALTH_AGENT } },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } },
        template: {
          metadata: { labels, annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": String(NODE_EXPORTER_PORT) } },
          spec: {
            serviceAccountName: HEALTH_AGENT,
            automountServiceAccountToken: false,
            priorityClassName: "system-node-critical",
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: LABEL_POOL, operator: "In", values: pools.map((p) => p.name) }] }],
                },
              },
            },
            // On every GPU node whatever it carries, its own taint included.
            tolerations: [...taints.map((t) => ({ key: t.key, operator: "Exists", effect: t.effect })), { key: HEALTH_TAINT_KEY, operator: "Exists" }],
            containers: [
              // First: the kubelet starts a pod's containers in order, pulling each one's image before it starts it, so the
              // small kubectl image taints a new node before the slurmd image's pull, minutes long, ends.
              {
                name: "taints",
                image: agentImage(registry, "kubectl"),
                command: ["bash", `${SCRIPTS_DIR}/${TAINTS_SCRIPT}`],
                env: [
                  nodeName,
                  ...shared,
                  { name: "TAINT_KEY", value: HEALTH_TAINT_KEY },
                  { name: "REASON_ANNOTATION", value: HEALTH_REASON_ANNOTATION },
                  { name: "TOPOLOGY_ANNOTATION", value: SLINKY_TOPOLOGY_ANNOTATION },
                  { name: "POLL_S", value: String(TAINT_POLL_S) },
                  { name: "MAX_AGE_S", value: String(STATUS_MAX_AGE_S) },
                  // Grows with the factory: in the pod's spec, updated in place (unit-assign.ts).
                  { name: UNIT_TABLE_VARIABLE, value: renderUnitTable(blueprint) },
                ],
                // Root without capabilities: it writes the unit file into the host's root-owned textfile folder.
                securityContext: { runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                volumeMounts: [
                  { name: "scripts", mountPath: SCRIPTS_DIR, readOnly: true },
                  { name: "shared", mountPath: AGENT_SHARED_DIR },
                  { name: "textfile", mountPath: TEXTFILE_DIR },
                  { name: "api-token", mountPath: SERVICE_ACCOUNT_DIR, readOnly: true },
                ],
              },
              {
                name: "checks",
                image: imageReference(slurmdImage),
                command: ["bash", `${SCRIPTS_DIR}/${CHECKS_SCRIPT}`],
                env: [
                  nodeName,
                  ...shared,
                  { name: "INTERVAL_S", value: String(AGENT_INTERVAL_S) },
                  { name: "TEXTFILE_DIR", value: TEXTFILE_DIR },
                  { name: "SYSFS_INFINIBAND", value: SYSFS_INFINIBAND },
                  // Every GPU, through the NVIDIA runtime rather than the device plugin (see above); utility for
                  // nvidia-smi and NVML (DCGM), compute for the diagnostics and the in-node all-reduce.
                  { name: "NVIDIA_VISIBLE_DEVICES", value: "all" },
                  { name: "NVIDIA_DRIVER_CAPABILITIES", value: "compute,utility" },
                ],
                securityContext: { privileged: true },
                // The burn-in's DCGM diagnostics and all-reduce hold host memory for minutes; the steady checks little.
                resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "8Gi" } },
                volumeMounts: [
                  { name: "scripts", mountPath: SCRIPTS_DIR, readOnly: true },
                  { name: "shared", mountPath: AGENT_SHARED_DIR, readOnly: true },
                  // The burn-in marker and the textfile folder (status, metrics, unit) on the host.
                  { name: "node-state", mountPath: NODE_STATE_DIR },
                  // The node's Lustre mount, at the path the checks look, as slurmd sees it.
                  { name: "lustre", mountPath: LUSTRE_MOUNT_POINT, readOnly: true, mountPropagation: "HostToContainer" },
                ],
              },
              {
                name: "node-exporter",
                image: agentImage(registry, "nodeExporter"),
                // Both folders: the agent's, and the acceptance jobs' (docs/sources.md#node-exporter-textfile-directories).
                args: [
                  "--path.rootfs=/host",
                  `--collector.textfile.directory=${TEXTFILE_DIR}`,
                  `--collector.textfile.directory=${ACCEPTANCE_METRICS_DIR}`,
                  `--web.listen-address=:${NODE_EXPORTER_PORT}`,
                ],
                ports: [{ name: "metrics", containerPort: NODE_EXPORTER_PORT }],
                securityContext: { readOnlyRootFilesystem: true },
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                volumeMounts: [
                  { name: "rootfs", mountPath: "/host", readOnly: true, mountPropagation: "HostToContainer" },
                  { name: "textfile", mountPath: TEXTFILE_DIR, readOnly: true },
                  { name: "acceptance-metrics", mountPath: ACCEPTANCE_METRICS_DIR, readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: "scripts", configMap: { name: `${HEALTH_AGENT}-scripts` } },
              { name: "shared", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
              { name: "node-state", hostPath: { path: NODE_STATE_DIR, type: "DirectoryOrCreate" } },
              { name: "textfile", hostPath: { path: TEXTFILE_DIR, type: "DirectoryOrCreate" } },
              { name: "acceptance-metrics", hostPath: { path: ACCEPTANCE_METRICS_DIR, type: "DirectoryOrCreate" } },
              // DirectoryOrCreate: a node without the mount still runs the agent, whose check then says so.
              { name: "lustre", hostPath: { path: LUSTRE_MOUNT_POINT, type: "DirectoryOrCreate" } },
              { name: "rootfs", hostPath: { path: "/" } },
              // What the kubelet would mount for the ServiceAccount, for the one container that talks to the API server.
              {
                name: "api-token",
                projected: {
                  sources: [
                    { serviceAccountToken: { path: "token", expirationSeconds: 3607 } },
                    { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
                    { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
                  ],
                },
              },
            ],
          },
        },
      },
    },
  ];
}
