import type { Blueprint } from "../../blueprint/types";
import { instanceType } from "../../catalog/instances";
import { acceleratorTaint, LABEL_POOL } from "../../blueprint/labels";
import type { KubernetesObject } from "../kubernetes/objects-types";
import { SLINKY_TOPOLOGY_ANNOTATION, slinkyTopologySpec } from "../kubernetes/slinky-topology";
import { BURN_IN_MARKER, healthScriptName, renderHealthScript } from "./script";
import { renderUnitAssignScript, renderUnitTable, UNIT_ASSIGN_SCRIPT, UNIT_TABLE_FILE } from "./unit-assign";

// The Kubernetes side of node health: a DaemonSet on every GPU node runs the same rendered checks on the host and
// taints a failing node NoSchedule, so Kueue's topology-aware scheduling and the scheduler place no new pod on it
// (Kueue TAS skips nodes whose taints a workload does not tolerate [P: kueue site, topology-aware scheduling]).
// A new node carries the taint until it passes burn-in. Running pods stay: their job decides, and EKS node
// auto-repair replaces the instance. The agent is also the node's exporter of what the checks find and of the EFA
// counters, as a Prometheus textfile that the node exporter beside it serves. Before anything else it places the node
// in its unit's leaf of Slurm's tree (the annotation Slinky reads), so Slurm and Kueue see the same unit.

export const HEALTH_NAMESPACE = "gigafactory-health";
export const HEALTH_AGENT = "node-health";
export const HEALTH_TAINT_KEY = "gigafactory.io/node-health";
export const HEALTH_REASON_ANNOTATION = "gigafactory.io/node-health-reason";
export const NODE_EXPORTER_PORT = 9100;

/** Seconds between two checks on a node, as Slurm's HealthCheckInterval. */
export const AGENT_INTERVAL_S = 300;

// Images, pulled through the factory's registry in its region (core/catalog/images.ts, prefixes `k8s` for
// registry.k8s.io and `quay` for quay.io). kubectl's image carries bash and the Debian base's util-linux (nsenter)
// since Kubernetes 1.28 (kubernetes/kubernetes PR 119592 [S]); node_exporter v1.9.1 (prometheus/node_exporter
// release, quay.io/prometheus/node-exporter [P]).
export const AGENT_IMAGES = {
  kubectl: { repository: "k8s/kubectl", tag: "v1.33.4" },
  nodeExporter: { repository: "quay/prometheus/node-exporter", tag: "v1.9.1" },
} as const;

export const agentImage = (registry: string, name: keyof typeof AGENT_IMAGES): string =>
  `${registry}/${AGENT_IMAGES[name].repository}:${AGENT_IMAGES[name].tag}`;

const SCRIPTS_DIR = "/scripts";

// On the host, so that the acceptance jobs' results written there are served too.
export const TEXTFILE_DIR = "/var/lib/gigafactory/textfile";

/** The agent's last word on the node, on the host: `<ok|failed|burn-in> <epoch seconds> <reason>` (Slurm on
 * Kubernetes reads it, slinky-gate.ts). Not a .prom file, so the node exporter leaves it alone. */
export const HEALTH_STATUS_FILE = `${TEXTFILE_DIR}/node-health.status`;

/** The node's scalable unit, as the agent learned it, on the host: slurmd's health check makes it a Slurm node
 * feature (slinky-gate.ts), so a job can ask for a unit by name although a NodeSet's ordinals say nothing of units. */
export const SCALABLE_UNIT_FILE = `${TEXTFILE_DIR}/scalable-unit`;

// The loop each agent runs: the checks on the host through nsenter (the host's nvidia-smi, dcgmi and fi_info), the
// taint from the result, the EFA counters from sysfs (the efa driver's hw_counters [S]) into the textfile.
const AGENT_LOOP = String.raw`set -uo pipefail
export GF_HEALTH_ACTION=kubernetes GF_NODE_NAME="$NODE_NAME"
export GF_POOL="$(kubectl get node "$NODE_NAME" -o jsonpath='{.metadata.labels.gigafactory\.io/pool}')"
UNIT="$(kubectl get node "$NODE_NAME" -o jsonpath='{.metadata.labels.gigafactory\.io/scalable-unit}')"
# A node of a group of several units learns its unit here (unit-assign.ts).
if [ -z "$UNIT" ]; then UNIT="$(bash "$SCRIPTS_DIR/@UNIT_ASSIGN_SCRIPT@")" || UNIT=""; fi
if [ -n "$UNIT" ]; then
  kubectl annotate node "$NODE_NAME" "$TOPOLOGY_ANNOTATION=@TOPOLOGY_SPEC@" --overwrite >/dev/null
  printf '%s\n' "$UNIT" > "@UNIT_FILE@.tmp" && mv "@UNIT_FILE@.tmp" "@UNIT_FILE@"
fi
on_host() { nsenter --target 1 --mount --uts --ipc --net --pid -- env GF_HEALTH_ACTION=kubernetes GF_NODE_NAME="$NODE_NAME" GF_POOL="$GF_POOL" bash -s < "$SCRIPTS_DIR/$1"; }
taint() { kubectl taint node "$NODE_NAME" "$TAINT_KEY=$1:NoSchedule" --overwrite >/dev/null; kubectl annotate node "$NODE_NAME" "$REASON_ANNOTATION=$2" --overwrite >/dev/null; }
untaint() { kubectl taint node "$NODE_NAME" "$TAINT_KEY:NoSchedule-" >/dev/null 2>&1 || true; }
# One line, replaced whole: a reader never sees half of it.
status() { printf '%s %s %s\n' "$1" "$(date +%s)" "$(printf %s "$2" | tr '\n' ' ')" > "$STATUS_FILE.tmp" && mv "$STATUS_FILE.tmp" "$STATUS_FILE"; }
metrics() {
  local tmp="$TEXTFILE_DIR/.health.prom" dev counter value
  {
    echo "# HELP gigafactory_node_health_failed 1 when the node's last health check failed (the node is tainted or drained)."
    echo "# TYPE gigafactory_node_health_failed gauge"
    printf 'gigafactory_node_health_failed{pool="%s",unit="%s",phase="%s"} %s\n' "$GF_POOL" "$UNIT" "$1" "$2"
    echo "# TYPE gigafactory_efa_tx_bytes_total counter"
    echo "# TYPE gigafactory_efa_rx_bytes_total counter"
    for dev in $(nsenter --target 1 --mount -- ls /sys/class/infiniband 2>/dev/null); do
      for counter in tx_bytes rx_bytes; do
        value="$(nsenter --target 1 --mount -- cat "/sys/class/infiniband/$dev/ports/1/hw_counters/$counter" 2>/dev/null || echo 0)"
        printf 'gigafactory_efa_%s_total{pool="%s",unit="%s",device="%s"} %s\n' "$counter" "$GF_POOL" "$UNIT" "$dev" "$value"
      done
    done
  } > "$tmp" && mv "$tmp" "$TEXTFILE_DIR/health.prom"
}
if ! nsenter --target 1 --mount -- test -e @BURN_IN_MARKER@; then
  taint burn-in "burn-in running"; status burn-in "burn-in running"
  if reason="$(on_host @BURN_IN_SCRIPT@ 2>&1 >/dev/null)"; then untaint; else taint failed "$reason"; status failed "$reason"; metrics burn-in 1; fi
fi
while true; do
  if reason="$(on_host @HEALTHCHECK_SCRIPT@ 2>&1 >/dev/null)"; then untaint; status ok ""; metrics healthcheck 0; else taint failed "$reason"; status failed "$reason"; metrics healthcheck 1; fi
  sleep "$INTERVAL_S"
done
`;

/** The agent's loop as bash. */
export function renderAgentScript(): string {
  return AGENT_LOOP.replace("@TOPOLOGY_SPEC@", slinkyTopologySpec({ name: "$UNIT" }))
    .replace("@BURN_IN_MARKER@", BURN_IN_MARKER)
    .replace("@BURN_IN_SCRIPT@", healthScriptName("burn-in"))
    .replace("@HEALTHCHECK_SCRIPT@", healthScriptName("healthcheck"))
    .replace("@UNIT_ASSIGN_SCRIPT@", UNIT_ASSIGN_SCRIPT)
    .replaceAll("@UNIT_FILE@", SCALABLE_UNIT_FILE);
}

/** The agent's objects: namespace, identity and rights on nodes, the scripts, and one DaemonSet over every GPU node. */
export function nodeHealthObjects(blueprint: Pick<Blueprint, "factory" | "pools" | "nodeGroups" | "units">, registry: string): KubernetesObject[] {
  const labels = { "app.kubernetes.io/name": HEALTH_AGENT, "app.kubernetes.io/managed-by": "gigafactory" };
  const pools = blueprint.pools.filter((p) => p.nodes > 0);
  const taints = [...new Map(pools.map((p) => instanceType(p.instanceType)).filter((t) => t !== undefined).map((t) => [acceleratorTaint(t).key, acceleratorTaint(t)])).values()];
  const scripts = Object.fromEntries((["healthcheck", "burn-in"] as const).map((phase) => [healthScriptName(phase), renderHealthScript(blueprint, phase)]));
  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      // The agent enters the host's namespaces: only this namespace may run privileged pods.
      metadata: { name: HEALTH_NAMESPACE, labels: { ...labels, "pod-security.kubernetes.io/enforce": "privileged" } },
    },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: HEALTH_AGENT, namespace: HEALTH_NAMESPACE, labels } },
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
        "agent.sh": renderAgentScript(),
        [UNIT_ASSIGN_SCRIPT]: renderUnitAssignScript(HEALTH_NAMESPACE),
        [UNIT_TABLE_FILE]: renderUnitTable(blueprint),
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
            hostPID: true,
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
              {
                name: "checks",
                image: agentImage(registry, "kubectl"),
                command: ["bash", `${SCRIPTS_DIR}/agent.sh`],
                env: [
                  { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
                  { name: "TAINT_KEY", value: HEALTH_TAINT_KEY },
                  { name: "REASON_ANNOTATION", value: HEALTH_REASON_ANNOTATION },
                  { name: "TOPOLOGY_ANNOTATION", value: SLINKY_TOPOLOGY_ANNOTATION },
                  { name: "SCRIPTS_DIR", value: SCRIPTS_DIR },
                  { name: "INTERVAL_S", value: String(AGENT_INTERVAL_S) },
                  { name: "TEXTFILE_DIR", value: TEXTFILE_DIR },
                  { name: "STATUS_FILE", value: HEALTH_STATUS_FILE },
                ],
                securityContext: { privileged: true },
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                volumeMounts: [
                  { name: "scripts", mountPath: SCRIPTS_DIR, readOnly: true },
                  { name: "textfile", mountPath: TEXTFILE_DIR },
                ],
              },
              {
                name: "node-exporter",
                image: agentImage(registry, "nodeExporter"),
                args: ["--path.rootfs=/host", `--collector.textfile.directory=${TEXTFILE_DIR}`, `--web.listen-address=:${NODE_EXPORTER_PORT}`],
                ports: [{ name: "metrics", containerPort: NODE_EXPORTER_PORT }],
                securityContext: { readOnlyRootFilesystem: true },
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                volumeMounts: [
                  { name: "rootfs", mountPath: "/host", readOnly: true, mountPropagation: "HostToContainer" },
                  { name: "textfile", mountPath: TEXTFILE_DIR, readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: "scripts", configMap: { name: `${HEALTH_AGENT}-scripts` } },
              { name: "textfile", hostPath: { path: TEXTFILE_DIR, type: "DirectoryOrCreate" } },
              { name: "rootfs", hostPath: { path: "/" } },
            ],
          },
        },
      },
    },
  ];
}
