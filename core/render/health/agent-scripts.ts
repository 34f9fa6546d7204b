import { slinkyTopologySpec } from "../kubernetes/slinky-topology";
import { AGENT_POOL_FILE } from "./agent-paths";
import { BURN_IN_MARKER, healthScriptName } from "./script";
import { UNIT_ASSIGN_SCRIPT } from "./unit-assign";

// The node-health agent's two loops, one per container of its pod (node-agent.ts):
// - checks.sh, in the factory's slurmd image: the rendered checks (script.ts) with the node driver's nvidia-smi (the
//   NVIDIA runtime mounts it) and the image's dcgmi, fi_info and nccl-tests: burn-in until it passes, then the health
//   check every interval;
//   it writes the node's status file and the textfile metrics, and holds no Kubernetes credential;
// - taints.sh, in the kubectl image: learns the node's pool and unit, places the node in Slurm's tree, and keeps the
//   node's taint what the status file says. A status of `ok` older than STATUS_MAX_AGE_S counts as failed.

export const CHECKS_SCRIPT = "checks.sh";
export const TAINTS_SCRIPT = "taints.sh";

// bash's `${…}` is written `@{…}` below, out of the template literal's way.
const bash = (script: string): string => script.replaceAll("@{", "${");

const CHECKS_LOOP = String.raw`set -uo pipefail
export GF_HEALTH_ACTION=kubernetes GF_NODE_NAME="$NODE_NAME"
# The node's pool comes from its label, which only the Kubernetes side of the agent may read.
until [ -s "$SHARED_DIR/@POOL_FILE@" ]; do sleep 2; done
export GF_POOL="$(cat "$SHARED_DIR/@POOL_FILE@")"
MARKER="@{GF_BURN_IN_MARKER:-@BURN_IN_MARKER@}"
# One line, replaced whole: a reader never sees half of it.
status() { printf '%s %s %s\n' "$1" "$(date +%s)" "$(printf %s "$2" | tr '\n' ' ')" > "$STATUS_FILE.tmp" && mv "$STATUS_FILE.tmp" "$STATUS_FILE"; }
last_state() { local state rest; [ -r "$STATUS_FILE" ] && read -r state rest < "$STATUS_FILE" && echo "$state"; }
metrics() {
  local tmp="$TEXTFILE_DIR/.health.prom" unit dev counter value
  unit="$(cat "$UNIT_FILE" 2>/dev/null)" || unit=""
  {
    echo "# HELP gigafactory_node_health_failed 1 when the node's last health check failed (the node is tainted or drained)."
    echo "# TYPE gigafactory_node_health_failed gauge"
    printf 'gigafactory_node_health_failed{pool="%s",unit="%s",phase="%s"} %s\n' "$GF_POOL" "$unit" "$1" "$2"
    echo "# TYPE gigafactory_efa_tx_bytes_total counter"
    echo "# TYPE gigafactory_efa_rx_bytes_total counter"
    # The efa driver's hardware counters, in the host's sysfs (a privileged container sees it whole).
    for dev in $(ls "$SYSFS_INFINIBAND" 2>/dev/null); do
      for counter in tx_bytes rx_bytes; do
        value="$(cat "$SYSFS_INFINIBAND/$dev/ports/1/hw_counters/$counter" 2>/dev/null || echo 0)"
        printf 'gigafactory_efa_%s_total{pool="%s",unit="%s",device="%s"} %s\n' "$counter" "$GF_POOL" "$unit" "$dev" "$value"
      done
    done
  } > "$tmp" && mv "$tmp" "$TEXTFILE_DIR/health.prom"
}
# A check's reason is the last line it wrote to stderr; a check that says nothing still names itself.
run_check() { local out; out="$(bash "$SCRIPTS_DIR/$1" 2>&1 >/dev/null)" && return 0; tail -n1 <<<"$out"; return 1; }
while true; do
  if [ ! -e "$MARKER" ]; then
    # A new node, or one whose burn-in failed: burn-in again, never the lighter health check, until it passes.
    [ "$(last_state)" = failed ] || status burn-in "burn-in running"
    if reason="$(run_check @BURN_IN_SCRIPT@)"; then status ok ""; metrics burn-in 0
    else status failed "@{reason:-@BURN_IN_SCRIPT@ failed}"; metrics burn-in 1; fi
  elif reason="$(run_check @HEALTHCHECK_SCRIPT@)"; then status ok ""; metrics healthcheck 0
  else status failed "@{reason:-@HEALTHCHECK_SCRIPT@ failed}"; metrics healthcheck 1; fi
  sleep "$INTERVAL_S"
done
`;

const TAINTS_LOOP = String.raw`set -uo pipefail
POOL="$(kubectl get node "$NODE_NAME" -o jsonpath='{.metadata.labels.gigafactory\.io/pool}')"
[ -n "$POOL" ] || { echo "node $NODE_NAME has no gigafactory.io/pool label" >&2; exit 1; }
printf '%s\n' "$POOL" > "$SHARED_DIR/@POOL_FILE@.tmp" && mv "$SHARED_DIR/@POOL_FILE@.tmp" "$SHARED_DIR/@POOL_FILE@"
UNIT="$(kubectl get node "$NODE_NAME" -o jsonpath='{.metadata.labels.gigafactory\.io/scalable-unit}')"
# A node of a group of several units learns its unit here (unit-assign.ts).
if [ -z "$UNIT" ]; then UNIT="$(bash "$SCRIPTS_DIR/@UNIT_ASSIGN_SCRIPT@")" || UNIT=""; fi
if [ -n "$UNIT" ]; then
  kubectl annotate node "$NODE_NAME" "$TOPOLOGY_ANNOTATION=@TOPOLOGY_SPEC@" --overwrite >/dev/null
  printf '%s\n' "$UNIT" > "$UNIT_FILE.tmp" && mv "$UNIT_FILE.tmp" "$UNIT_FILE"
fi
taint() { kubectl taint node "$NODE_NAME" "$TAINT_KEY=$1:NoSchedule" --overwrite >/dev/null && kubectl annotate node "$NODE_NAME" "$REASON_ANNOTATION=$2" --overwrite >/dev/null; }
untaint() { kubectl taint node "$NODE_NAME" "$TAINT_KEY:NoSchedule-" >/dev/null 2>&1 || true; }
applied=""
while true; do
  state="" at="" reason=""
  [ -r "$STATUS_FILE" ] && read -r state at reason < "$STATUS_FILE"
  case "$at" in ""|*[!0-9]*) at=0 ;; esac
  case "$state" in
    ok) if [ $(( $(date +%s) - at )) -le "$MAX_AGE_S" ]; then want=ok why=""; else want=failed why="the node checks have been silent since $at"; fi ;;
    failed) want=failed why="@{reason:-the node checks failed}" ;;
    # burn-in, or no report yet: a new node takes no work before its burn-in passes.
    *) want=burn-in why="burn-in running" ;;
  esac
  if [ "$want $why" != "$applied" ]; then
    if [ "$want" = ok ]; then untaint; applied="$want $why"
    elif taint "$want" "$why"; then applied="$want $why"; fi
  fi
  sleep "$POLL_S"
done
`;

/** The checks' loop, run by the container in the factory's slurmd image. */
export function renderChecksScript(): string {
  return bash(CHECKS_LOOP).replaceAll("@POOL_FILE@", AGENT_POOL_FILE)
    .replace("@BURN_IN_MARKER@", BURN_IN_MARKER)
    .replaceAll("@BURN_IN_SCRIPT@", healthScriptName("burn-in"))
    .replaceAll("@HEALTHCHECK_SCRIPT@", healthScriptName("healthcheck"));
}

/** The Kubernetes side's loop, run by the container in the kubectl image: the node's labels, annotation and taint. */
export function renderTaintsScript(): string {
  return bash(TAINTS_LOOP).replaceAll("@POOL_FILE@", AGENT_POOL_FILE)
    .replace("@TOPOLOGY_SPEC@", slinkyTopologySpec({ name: "$UNIT" }))
    .replace("@UNIT_ASSIGN_SCRIPT@", UNIT_ASSIGN_SCRIPT);
}
