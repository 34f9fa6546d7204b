import { shellQuote } from "../../lib/shell";
import type { Blueprint } from "../../blueprint/types";
import { ACCEPTANCE_MAX_BYTES, BUSBW_AWK, busBandwidthExpectation } from "../acceptance/bandwidth";
import { LUSTRE_MOUNT_POINT } from "../aws/lustre-mount";
import { DCGM_LEVEL, DRAINING_XIDS, nodeExpectations, type HealthPhase, type NodeExpectation } from "./expectations";
import { SLURMD_IMAGE_PATHS } from "../../catalog/slurmd-image";
import { NODE_STATE_DIR } from "./agent-paths";

// The node checks as bash, one script per phase, rendered from the blueprint: the node finds its pool from its
// name, so one file serves every pool of the factory. On a failure the script says why in one line and
//   GF_HEALTH_ACTION=slurm (the default, run by slurmd): drains the node with that reason (scontrol);
//   GF_HEALTH_ACTION=kubernetes: prints it and exits 1, for the node-health agent that taints the node;
//   GF_HEALTH_ACTION=report: prints it and exits 1.
// A Prolog or Epilog that exits non-zero also makes Slurm drain the node and requeue the job (slurm.conf.5 [P]).

/** Where the scripts are installed on every node (slurm.conf names these paths). */
export const HEALTH_INSTALL_DIR = "/etc/slurm/health";
export const healthScriptName = (phase: HealthPhase): string => `${phase}.sh`;
export const healthScriptPath = (phase: HealthPhase): string => `${HEALTH_INSTALL_DIR}/${healthScriptName(phase)}`;

/** A node that passed burn-in since its instance started keeps this marker (the local disk is new with each instance). */
export const BURN_IN_MARKER = `${NODE_STATE_DIR}/burn-in-passed`;

/** Where the nccl-tests binaries are in the slurmd image (core/catalog/slurmd-image.ts builds them there). */
export const NCCL_TESTS_DIR = SLURMD_IMAGE_PATHS.ncclTestsDir;


function poolCases(pools: NodeExpectation[]): string[] {
  // The agent on Kubernetes names the pool (GF_POOL, from the node's label); slurmd's nodes go by their name.
  const lines = ['  case "${GF_POOL:-$NODE}" in'];
  // Longest prefix first, so `train-large-00001` is never taken for pool `train`.
  for (const p of [...pools].sort((a, b) => b.hostnamePrefix.length - a.hostnamePrefix.length)) {
    const floor = busBandwidthExpectation(p.instanceType)?.expectedBusBandwidthGBps ?? 0;
    lines.push(
      `    ${shellQuote(p.pool)}|${p.hostnamePrefix}-[0-9]*)`,
      `      POOL=${shellQuote(p.pool)}; INSTANCE_TYPE=${shellQuote(p.instanceType)}; ACCELERATOR=${p.accelerator}; EXPECTED_GPUS=${p.gpus}; EXPECTED_EFA=${p.efaDevices}; NCCL_FLOOR_GBPS=${floor} ;;`,
    );
  }
  lines.push('    *) POOL="" ;;', "  esac");
  return lines;
}

const COMMON = String.raw`
fail() {
  local reason="gigafactory $PHASE: $*"
  echo "$reason" >&2
  if [ "$ACTION" = slurm ]; then
    scontrol update NodeName="$NODE" State=DRAIN Reason="$reason" || echo "scontrol could not drain $NODE" >&2
  fi
  exit 1
}

need() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 is missing on $NODE, so $2 cannot be checked"
}

check_accelerators() {
  local count
  if [ "$ACCELERATOR" = nvidia ]; then
    need nvidia-smi "the GPUs"
    count="$(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null | grep -c '[0-9]')" || count=0
  elif command -v neuron-ls >/dev/null 2>&1; then
    count="$(neuron-ls --json-output 2>/dev/null | grep -c '"neuron_device"')" || count=0
  else
    # The Neuron driver makes a /dev/neuron<N> per device: counted without Neuron's tools, which the image lacks.
    count="$(find /dev -maxdepth 1 -name 'neuron[0-9]*' 2>/dev/null | grep -c .)" || count=0
  fi
  [ "$count" -eq "$EXPECTED_GPUS" ] || fail "$count of $EXPECTED_GPUS accelerators visible on $INSTANCE_TYPE"
}

check_efa() {
  [ "$EXPECTED_EFA" -gt 0 ] || return 0
  need fi_info "the EFA devices"
  local count
  count="$(fi_info -p efa -t FI_EP_RDM 2>/dev/null | sed -n 's/^[[:space:]]*domain:[[:space:]]*//p' | sort -u | grep -c .)" || count=0
  [ "$count" -eq "$EXPECTED_EFA" ] || fail "$count of $EXPECTED_EFA EFA devices visible on $INSTANCE_TYPE"
}

check_clocks() {
  [ "$ACCELERATOR" = nvidia ] || return 0
  local reasons held=""
  # Read whole before it is searched: a search that stops at its first match would cut nvidia-smi off with SIGPIPE,
  # and under pipefail the held GPU would read as none.
  reasons="$(nvidia-smi --query-gpu=index,clocks_event_reasons.hw_slowdown,clocks_event_reasons.hw_thermal_slowdown,clocks_event_reasons.hw_power_brake_slowdown,clocks_event_reasons.sw_thermal_slowdown --format=csv,noheader 2>/dev/null)" || reasons=""
  held="$(grep -m1 -E '(^|, )Active(,|$)' <<<"$reasons")" || held=""
  [ -z "$held" ] || fail "GPU clocks held down by hardware or temperature (index, hw, hw-thermal, power-brake, sw-thermal: $held)"
}

check_xid() {
  [ "$ACCELERATOR" = nvidia ] || return 0
  local log code
  # The journal where there is one, and the kernel's ring buffer always: a container has no journalctl, but dmesg.
  log="$( { journalctl -k -b --no-pager 2>/dev/null; dmesg 2>/dev/null; } | grep -o 'NVRM: Xid ([^)]*): [0-9]*')" || log=""
  [ -n "$log" ] || return 0
  for code in $DRAINING_XIDS; do
    if grep -q ": $code\$" <<<"$log"; then
      fail "Xid $code since boot ($(grep -m1 ": $code\$" <<<"$log" | sed 's/^NVRM: //'))"
    fi
  done
}

check_lustre() {
  [ -n "$LUSTRE_MOUNT" ] || return 0
  local kind
  # Listing it first wakes the systemd automount; a hung server fails the check in 30 s rather than hang it [U].
  timeout 30 ls "$LUSTRE_MOUNT" >/dev/null 2>&1 || fail "the factory's Lustre file system does not answer at $LUSTRE_MOUNT"
  kind="$(stat -f -c %T "$LUSTRE_MOUNT" 2>/dev/null)" || kind=""
  [ -n "$kind" ] || kind=nothing
  [ "$kind" = lustre ] || fail "the factory's Lustre file system is not mounted at $LUSTRE_MOUNT ($kind there)"
}

check_dcgm() {
  [ "$DCGM_LEVEL" -gt 0 ] && [ "$ACCELERATOR" = nvidia ] || return 0
  need dcgmi "DCGM diagnostics"
  local out rc waited=0
  # dcgmi asks a host engine: the node's own where one answers, else one started here (on Kubernetes in the agent's
  # container, listening on 127.0.0.1:5555 of the pod's own network), kept for the next checks.
  if ! dcgmi discovery -l >/dev/null 2>&1; then
    need nv-hostengine "DCGM diagnostics"
    nv-hostengine --log-filename /tmp/nv-hostengine.log >/dev/null 2>&1 || fail "nv-hostengine could not start for DCGM diagnostics"
    until dcgmi discovery -l >/dev/null 2>&1; do
      [ "$waited" -lt 30 ] || fail "nv-hostengine started but dcgmi cannot reach it"
      sleep 1; waited=$((waited + 1))
    done
  fi
  out="$(dcgmi diag -r "$DCGM_LEVEL" 2>&1)"; rc=$?
  if [ "$rc" -ne 0 ] || grep -qw 'Fail' <<<"$out"; then
    fail "dcgmi diag -r $DCGM_LEVEL failed: $(grep -m1 -w 'Fail' <<<"$out" | tr -s ' |' ' ' || echo "exit $rc")"
  fi
}

check_efa_loopback() {
  [ "$EXPECTED_EFA" -gt 0 ] || return 0
  need fi_pingpong "EFA loopback"
  fi_pingpong -p efa -e rdm >/dev/null 2>&1 &
  local server=$!
  sleep 1
  if ! timeout 60 fi_pingpong -p efa -e rdm localhost >/dev/null 2>&1; then
    kill "$server" 2>/dev/null
    fail "EFA loopback (fi_pingpong -p efa -e rdm) failed"
  fi
  wait "$server" 2>/dev/null
}

check_nccl_in_node() {
  [ "$ACCELERATOR" = nvidia ] || return 0
  local bin="$GF_NCCL_TESTS_DIR/all_reduce_perf" out busbw
  [ -x "$bin" ] || fail "$bin is missing on $NODE, so the in-node NCCL test cannot run"
  out="$("$bin" -b 8 -e "$GF_NCCL_MAX_BYTES" -f 2 -g "$EXPECTED_GPUS" 2>&1)" || fail "in-node NCCL all-reduce failed: $(tail -n1 <<<"$out")"
  read -r busbw wrong rows <<<"$(awk "$BUSBW_AWK" <<<"$out")"
  [ "$rows" -gt 0 ] || fail "in-node NCCL all-reduce printed no results table"
  [ "$wrong" -eq 0 ] || fail "in-node NCCL all-reduce returned $wrong wrong results"
  awk -v got="$busbw" -v floor="$NCCL_FLOOR_GBPS" 'BEGIN { exit !(got + 0 >= floor + 0) }' \
    || fail "in-node NCCL all-reduce reached $busbw GB/s, below the $NCCL_FLOOR_GBPS GB/s the fabric itself must carry"
}
`;

// Each phase's checks, in order: the cheap ones first, so the reason names the first thing wrong.
const PHASE_CHECKS: Readonly<Record<HealthPhase, string[]>> = {
  healthcheck: ["check_accelerators", "check_efa", "check_xid", "check_clocks", "check_lustre", "check_dcgm"],
  prolog: ["check_accelerators", "check_efa", "check_xid", "check_clocks", "check_lustre"],
  epilog: ["check_accelerators", "check_efa", "check_xid", "check_clocks", "check_dcgm"],
  "burn-in": ["check_accelerators", "check_efa", "check_xid", "check_clocks", "check_lustre", "check_dcgm", "check_efa_loopback", "check_nccl_in_node"],
};

const PHASE_PURPOSE: Readonly<Record<HealthPhase, string>> = {
  healthcheck: "Slurm's HealthCheckProgram, every HealthCheckInterval and before slurmd registers; runs burn-in once on a new node",
  prolog: "Slurm's Prolog, on every node of a job before it starts",
  epilog: "Slurm's Epilog, on every node of a job after it ends",
  "burn-in": "the burn-in a new node passes before it takes work",
};

/** One phase's script: a pure function of the blueprint (its pools' instance types). */
export function renderHealthScript(blueprint: Pick<Blueprint, "factory" | "pools">, phase: HealthPhase): string {
  const pools = nodeExpectations(blueprint);
  const lines = [
    "#!/usr/bin/env bash",
    `# ${phase} of ${blueprint.factory}: ${PHASE_PURPOSE[phase]}.`,
    "# Rendered by gigafactory from the blueprint; change the spec, not this file.",
    "set -uo pipefail",
    // slurmd runs the checks with SLURMD_NODENAME and little else; the tools live in the EFA and CUDA folders.
    `export PATH="\${PATH:+$PATH:}${SLURMD_IMAGE_PATHS.efaBinDir}:${SLURMD_IMAGE_PATHS.cudaBinDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"`,
    `PHASE=${phase}`,
    `DCGM_LEVEL=${DCGM_LEVEL[phase]}`,
    `DRAINING_XIDS=${shellQuote(DRAINING_XIDS.join(" "))}`,
    'ACTION="${GF_HEALTH_ACTION:-slurm}"',
    'NODE="${GF_NODE_NAME:-${SLURMD_NODENAME:-$(hostname -s)}}"',
    `GF_NCCL_TESTS_DIR="\${GF_NCCL_TESTS_DIR:-${NCCL_TESTS_DIR}}"`,
    `GF_NCCL_MAX_BYTES="\${GF_NCCL_MAX_BYTES:-${ACCEPTANCE_MAX_BYTES}}"`,
    `BURN_IN_MARKER="\${GF_BURN_IN_MARKER:-${BURN_IN_MARKER}}"`,
    // Where the node mounts the factory's file system; GF_LUSTRE_MOUNT= (empty) skips the check.
    `LUSTRE_MOUNT="\${GF_LUSTRE_MOUNT-${LUSTRE_MOUNT_POINT}}"`,
    `BUSBW_AWK=${shellQuote(BUSBW_AWK)}`,
    COMMON.trim(),
    "",
    "expect_pool() {",
    ...poolCases(pools),
    `  [ -n "$POOL" ] || fail "node $NODE belongs to no pool of ${blueprint.factory}"`,
    "}",
    "",
    "expect_pool",
  ];
  if (phase === "healthcheck") {
    // A node that has not passed burn-in runs it first: slurmd runs this before it registers.
    lines.push(
      'if [ "$ACTION" = slurm ] && [ ! -e "$BURN_IN_MARKER" ]; then',
      `  "$(dirname "$0")/${healthScriptName("burn-in")}" || exit 1`,
      "fi",
    );
  }
  lines.push(...PHASE_CHECKS[phase]);
  if (phase === "burn-in") lines.push('mkdir -p "$(dirname "$BURN_IN_MARKER")" && date -u +%FT%TZ > "$BURN_IN_MARKER"');
  lines.push("exit 0");
  return `${lines.join("\n")}\n`;
}
