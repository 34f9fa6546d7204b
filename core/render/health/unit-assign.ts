import type { Blueprint } from "../../blueprint/types";
import { LABEL_SCALABLE_UNIT } from "../../blueprint/labels";
import { NETWORK_NODE_LABEL_PREFIX } from "../../blueprint/topology";

// A node of a managed node group that holds several scalable units learns its unit when it joins (ARCHITECTURE.md
// "Node groups at scale"): a launch template serves every unit of its group, so the unit cannot come with the
// instance. The node-health agent places the node, before anything else, in one of its group's units that has room:
// first one whose nodes share the node's closest EC2 network node (`topology.k8s.aws/network-node-layer-3`, which EKS
// sets from the instance topology, docs/sources.md#eks-topology-labels [P]), then the fullest, so units fill one after
// the other. The label stays for the node's life; a replacement node fills the unit that lost one. Assignments within a
// group are one at a time, under a Lease named after the group. Groups of one unit carry the label from the group.

/** EKS's label naming a managed node's group [P: EKS managed node groups]. */
export const EKS_NODEGROUP_LABEL = "eks.amazonaws.com/nodegroup";
/** The table, in the environment of the agent's Kubernetes side: a growing factory updates the DaemonSet in place,
 * where a ConfigMap's data would be replaced (pulumi-kubernetes replaces a ConfigMap whose data changes). */
export const UNIT_TABLE_VARIABLE = "UNIT_TABLE";
export const UNIT_ASSIGN_SCRIPT = "unit-assign.sh";
/** Seconds after which a Lease left by an agent that died mid-assignment is taken over. */
export const ASSIGN_LEASE_STALE_S = 120;

export interface UnitSlot {
  unit: string;
  nodes: number;
}

/** The units of every node group that holds several, in order, with their sizes. */
export function unitAssignments(blueprint: Pick<Blueprint, "nodeGroups" | "units">): Map<string, UnitSlot[]> {
  const sizes = new Map(blueprint.units.map((u) => [u.name, u.nodes]));
  const out = new Map<string, UnitSlot[]>();
  for (const g of blueprint.nodeGroups) {
    if (g.units.length > 1) out.set(g.name, g.units.map((unit) => ({ unit, nodes: sizes.get(unit) ?? 0 })));
  }
  return out;
}

/** `group unit nodes`, a line per unit of a group of several; empty when every group is one unit. */
export function renderUnitTable(blueprint: Pick<Blueprint, "nodeGroups" | "units">): string {
  const rows: string[] = [];
  for (const [group, slots] of unitAssignments(blueprint)) for (const s of slots) rows.push(`${group} ${s.unit} ${s.nodes}`);
  return rows.length > 0 ? `${rows.join("\n")}\n` : "";
}

const esc = (label: string): string => label.replace(/\./g, "\\.");

/** Prints the unit it gave the node (nothing when the node's group is not in the table); run by the agent. */
export function renderUnitAssignScript(namespace: string): string {
  const layer3 = `${NETWORK_NODE_LABEL_PREFIX}3`;
  return `#!/usr/bin/env bash
# Places a node of a node group of several scalable units in one of them (rendered by gigafactory, unit-assign.ts).
set -uo pipefail
TABLE="\${${UNIT_TABLE_VARIABLE}:-}"
group="$(kubectl get node "$NODE_NAME" -o jsonpath='{.metadata.labels.${esc(EKS_NODEGROUP_LABEL)}}')"
[ -n "$group" ] && grep -q "^$group " <<<"$TABLE" || exit 0
lease="unit-assign-$group"
# One assignment at a time per group: creating the Lease fails while another node holds it; one left by an agent
# that died is taken over after ${ASSIGN_LEASE_STALE_S} s.
acquire() {
  kubectl -n ${namespace} create -f - >/dev/null 2>&1 <<EOF
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: { name: $lease, namespace: ${namespace} }
spec: { holderIdentity: $NODE_NAME }
EOF
}
waited=0
until acquire; do
  sleep 2; waited=$((waited + 2))
  if [ "$waited" -ge ${ASSIGN_LEASE_STALE_S} ]; then kubectl -n ${namespace} delete lease "$lease" --ignore-not-found >/dev/null 2>&1; waited=0; fi
done
release() { kubectl -n ${namespace} delete lease "$lease" --ignore-not-found >/dev/null 2>&1; }
trap release EXIT
near_label="$(kubectl get node "$NODE_NAME" -o jsonpath='{.metadata.labels.${esc(layer3)}}')"
best="" best_score=-1
while read -r g unit size; do
  [ "$g" = "$group" ] || continue
  have=$(kubectl get nodes -l "${LABEL_SCALABLE_UNIT}=$unit" -o name | wc -l)
  [ "$have" -lt "$size" ] || continue
  near=0
  [ -z "$near_label" ] || near=$(kubectl get nodes -l "${LABEL_SCALABLE_UNIT}=$unit,${layer3}=$near_label" -o name | wc -l)
  score=$(( near * 1000000 + have ))
  if [ "$score" -gt "$best_score" ]; then best=$unit; best_score=$score; fi
done <<<"$TABLE"
[ -n "$best" ] || { echo "no unit of node group $group has room for $NODE_NAME" >&2; exit 1; }
kubectl label node "$NODE_NAME" "${LABEL_SCALABLE_UNIT}=$best" >/dev/null || exit 1
echo "$best"
`;
}
