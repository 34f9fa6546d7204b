import type { KubernetesObject } from "../kubernetes/objects-types";
import { HEALTH_STATUS_FILE, SCALABLE_UNIT_FILE, STATUS_MAX_AGE_S } from "./agent-paths";

export { STATUS_MAX_AGE_S };

// Slurm's health programs on Kubernetes. slurmd runs in a pod there (Slinky) that holds the GPUs and EFA interfaces
// of its node for jobs; the node-health agent already runs the factory's checks on every GPU node, in the same image
// (node-agent.ts), and writes what it found to a file on the host. slurmd's HealthCheckProgram, Prolog and Epilog need
// only bash, scontrol and coreutils: they read that file through a host path and act on it as Slurm does: a failed or silent node is drained with the agent's reason, so a job never starts there
// and a failed Prolog requeues it; once the agent reports the node healthy again, the health check resumes a node
// it drained itself, never one an administrator drained.

export type GatePhase = "healthcheck" | "prolog" | "epilog";
export const GATE_PHASES: readonly GatePhase[] = ["healthcheck", "prolog", "epilog"];

/** Where the gate scripts are mounted in every slurmd pod (a ConfigMap). */
export const SLINKY_HEALTH_DIR = "/etc/gigafactory/health";
export const SLINKY_HEALTH_CONFIGMAP = "gigafactory-slurm-health";
export const slinkyGateName = (phase: GatePhase): string => `${phase}.sh`;
export const slinkyGatePath = (phase: GatePhase): string => `${SLINKY_HEALTH_DIR}/${slinkyGateName(phase)}`;

/** Every reason the gate drains with starts so: the mark that lets it resume only the nodes it drained. */
export const GATE_REASON_PREFIX = "gigafactory node-health:";


export function renderSlinkyGate(phase: GatePhase): string {
  const lines = [
    "#!/usr/bin/env bash",
    `# ${phase} of Slurm on Kubernetes: acts on the node-health agent's last check of this node (${HEALTH_STATUS_FILE}).`,
    "# Rendered by gigafactory; change the spec, not this file.",
    "set -uo pipefail",
    'NODE="${SLURMD_NODENAME:-$(hostname -s)}"',
    `STATUS_FILE="\${GF_HEALTH_STATUS_FILE:-${HEALTH_STATUS_FILE}}"`,
    `MAX_AGE_S=${STATUS_MAX_AGE_S}`,
    "drain() {",
    `  local reason="${GATE_REASON_PREFIX} $*"`,
    '  echo "$reason" >&2',
    '  scontrol update NodeName="$NODE" State=DRAIN Reason="$reason" || echo "scontrol could not drain $NODE" >&2',
    "  exit 1",
    "}",
    '[ -r "$STATUS_FILE" ] || drain "the node-health agent has not reported on this node yet"',
    'read -r STATE AT REASON < "$STATUS_FILE" || drain "the node-health agent\'s report is empty"',
    'case "$AT" in ""|*[!0-9]*) drain "the node-health agent\'s report is unreadable" ;; esac',
    'AGE=$(( $(date +%s) - AT ))',
    '[ "$AGE" -le "$MAX_AGE_S" ] || drain "the node-health agent has been silent for ${AGE} s"',
    'case "$STATE" in',
    "  ok) ;;",
    '  burn-in) drain "burn-in has not finished" ;;',
    '  *) drain "${REASON:-the health check failed}" ;;',
    "esac",
  ];
  if (phase === "healthcheck") {
    lines.push(
      "# The node's scalable unit as a feature, so a job can ask for a unit (--constraint=<unit>): added once, kept by Slurm.",
      `UNIT_FILE="\${GF_SCALABLE_UNIT_FILE:-${SCALABLE_UNIT_FILE}}"`,
      'if [ -r "$UNIT_FILE" ] && read -r UNIT < "$UNIT_FILE" && [ -n "$UNIT" ]; then',
      '  LINE="$(scontrol show node "$NODE" -o 2>/dev/null)"',
      String.raw`  AVAIL="$(sed -n 's/.* AvailableFeatures=\([^ ]*\).*/\1/p' <<<"$LINE")"`,
      String.raw`  ACTIVE="$(sed -n 's/.* ActiveFeatures=\([^ ]*\).*/\1/p' <<<"$LINE")"`,
      '  case ",$AVAIL," in',
      '    *",$UNIT,"*) ;;',
      '    *) with() { case "$1" in ""|"(null)") echo "$UNIT" ;; *) echo "$1,$UNIT" ;; esac; }',
      '       scontrol update NodeName="$NODE" AvailableFeatures="$(with "$AVAIL")" ActiveFeatures="$(with "$ACTIVE")" || echo "scontrol could not give $NODE the feature $UNIT" >&2 ;;',
      "  esac",
      "fi",
    );
    lines.push(
      "# Healthy again: undo our own drain, and only ours.",
      // The node's line read whole first: grep -q stopping early must not fail the pipe (pipefail) and skip the resume.
      `if grep -q 'Reason=${GATE_REASON_PREFIX}' <<<"$(scontrol show node "$NODE" -o 2>/dev/null)"; then`,
      '  scontrol update NodeName="$NODE" State=RESUME || echo "scontrol could not resume $NODE" >&2',
      "fi",
    );
  }
  lines.push("exit 0");
  return `${lines.join("\n")}\n`;
}

/** The ConfigMap the NodeSets mount at SLINKY_HEALTH_DIR. */
export function slinkyGateConfigMap(namespace: string): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: SLINKY_HEALTH_CONFIGMAP, namespace, labels: { "app.kubernetes.io/managed-by": "gigafactory" } },
    data: Object.fromEntries(GATE_PHASES.map((phase) => [slinkyGateName(phase), renderSlinkyGate(phase)])),
  };
}
