import type { Blueprint, PoolPlan, ScalableUnitPlan } from "../../blueprint/types";
import { poolUnits } from "../../blueprint/pool-hosts";

// Slurm's power-saving programs for the factory's capacity. Every GPU node is a CLOUD node: Slurm counts it as
// powered down until its slurmd registers, and calls ResumeProgram when it gives a job a node that has not.
// The instances belong to the unit's node group, which holds its units at their full size (a training unit runs
// whole, blueprint/node-group.ts), so a Slurm node comes and goes with its instance: a capacity block's window,
// a reclaimed spot instance, a node replaced by auto-repair. Resuming asks the node group to be whole again;
// Slurm never suspends a node by itself (SuspendTime=INFINITE), since an idle Slurm node is Kubernetes' to use.

export const POWER_DIR = "power";
export const POWER_LOG = "/var/log/slurm/power.log";

/** One line per scalable unit: host prefix, first and last host number, node group, capacity. */
function unitTable(blueprint: Blueprint): string {
  const rows: string[] = [];
  for (const pool of blueprint.pools.filter((p) => p.nodes > 0)) {
    for (const unit of poolUnits(blueprint, pool)) rows.push(unitRow(pool, unit));
  }
  return rows.join("\n");
}

function unitRow(pool: PoolPlan, unit: ScalableUnitPlan): string {
  const capacity = pool.capacity.source;
  // The unit's node group, which may hold other units of its pool (blueprint/node-groups.ts).
  return [pool.hostnamePrefix, unit.firstNode, unit.firstNode + unit.nodes - 1, unit.nodeGroup || unit.name, capacity].join(" ");
}

/** The part both programs share: the factory, its units, and the mapping from a Slurm host list to units. */
function prelude(blueprint: Blueprint, program: "resume" | "suspend", purpose: string): string {
  return `#!/usr/bin/env bash
# Slurm's ${program === "resume" ? "ResumeProgram" : "SuspendProgram"} of ${blueprint.factory}: rendered by gigafactory from the blueprint.
# ${purpose}
# Usage (by slurmctld): ${program} HOSTLIST
set -uo pipefail

CLUSTER=${blueprint.factory}
REGION=${blueprint.region}
LOG=\${POWER_LOG:-${POWER_LOG}}

# host prefix, first and last host number, node group, capacity
UNITS='${unitTable(blueprint)}'

log() { printf '%s ${program}: %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$LOG" 2>/dev/null || printf '${program}: %s\\n' "$*" >&2; }

[ $# -eq 1 ] || { log "usage: ${program} HOSTLIST"; exit 2; }
hosts=$(scontrol show hostnames "$1") || { log "cannot expand the host list $1"; exit 1; }

# Nodes asked for, by unit: "node-group capacity" -> count.
declare -A asked=()
status=0
for host in $hosts; do
  prefix=\${host%-*}
  number=\${host##*-}
  unit=$(awk -v p="$prefix" -v n="$((10#$number))" '$1 == p && n >= $2 && n <= $3 { print $4 " " $5; exit }' <<<"$UNITS")
  if [ -z "$unit" ]; then
    log "$host is no node of $CLUSTER"
    status=1
    continue
  fi
  asked[$unit]=$(( \${asked[$unit]:-0} + 1 ))
done
`;
}

export function renderResumeProgram(blueprint: Blueprint): string {
  return `${prelude(
    blueprint,
    "resume",
    "Slurm gave a job nodes whose slurmd has not registered: make their units' node groups whole, and let them boot.",
  )}
for unit in $(printf '%s\\n' "\${!asked[@]}" | tr ' ' ':' | sort); do
  group=\${unit%%:*}
  capacity=\${unit#*:}
  count=\${asked["$group $capacity"]}
  read -r state desired max < <(aws eks describe-nodegroup --region "$REGION" --cluster-name "$CLUSTER" --nodegroup-name "$group" \\
    --query '[nodegroup.status,nodegroup.scalingConfig.desiredSize,nodegroup.scalingConfig.maxSize]' --output text 2>/dev/null) || true
  if [ -z "\${state:-}" ]; then
    log "$count node(s) of $group: its node group cannot be read; they register when their instances boot, or go down after ResumeTimeout and their jobs requeue"
    status=1
  elif [ "$capacity" = capacity-block ]; then
    # EKS sizes a capacity block's node group to the block's window; nothing to ask for outside it.
    log "$count node(s) of $group: capacity block, node group $state at $desired of $max; they register while the block is active"
  elif [ "$desired" -lt "$max" ] && [ "$state" = ACTIVE ]; then
    if aws eks update-nodegroup-config --region "$REGION" --cluster-name "$CLUSTER" --nodegroup-name "$group" --scaling-config "desiredSize=$max" >/dev/null; then
      log "$count node(s) of $group: node group was at $desired of $max, asked for $max"
    else
      log "$count node(s) of $group: node group at $desired of $max, and raising it failed"
      status=1
    fi
  else
    log "$count node(s) of $group: node group $state at $desired of $max; they register when their instances boot (replaced or booting)"
  fi
done
exit $status
`;
}

export function renderSuspendProgram(blueprint: Blueprint): string {
  return `${prelude(
    blueprint,
    "suspend",
    "Only an administrator's 'scontrol power down' calls it (SuspendTime=INFINITE): the instances stay in their unit's node group.",
  )}
for unit in $(printf '%s\\n' "\${!asked[@]}" | tr ' ' ':' | sort); do
  group=\${unit%%:*}
  log "\${asked["$group \${unit#*:}"]} node(s) of $group: powered down in Slurm; the instances stay in the node group, which holds its units whole, and Kubernetes may use them"
done
exit $status
`;
}
