import { LAYERS } from "../core/blueprint/layers";
import type { PlanSnapshot, SnapshotResource } from "./snapshot";

// A change that taints nodes which the pods of a higher layer only learn to tolerate in the same change. The layers
// deploy lowest first, so the node groups take the new taint (and, with it in their launch template, roll their nodes)
// before those pods tolerate it: every such pod the roll evicts stays Pending until the higher layer is applied. A
// toleration is harmless where no node has the taint, so the safe order is the reverse for this change: the higher
// layer first, then the lower. What the review says about it (cli/diff).

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

export interface TolerationsFirst {
  /** The layer whose node groups gain the taints. */
  nodeLayer: string;
  /** Each taint the nodes gain (`key=value:EFFECT`, as EKS spells it), with the node groups that gain it. */
  taints: { taint: string; nodeGroups: string[] }[];
  /** The higher layers whose resources gain the toleration in this change, lowest first: apply them before `nodeLayer`. */
  firstLayers: string[];
  /** Those resources, `type name`, in plan order. */
  resources: string[];
}

interface NodeGroupTaint {
  key: string;
  value?: string;
  effect: string;
}

function taintsOf(r: SnapshotResource | undefined): NodeGroupTaint[] {
  const taints = r?.inputs.taints;
  return Array.isArray(taints) ? taints.filter((t): t is NodeGroupTaint => typeof t === "object" && t !== null && typeof (t as NodeGroupTaint).key === "string") : [];
}

const spelled = (t: NodeGroupTaint) => `${t.key}=${t.value ?? ""}:${t.effect}`;

/** Whether a toleration anywhere in `value` (a pod spec, a Helm release's values) tolerates the taint key `key`. */
export function tolerates(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => tolerates(v, key));
  if (typeof value !== "object" || value === null) return false;
  const o = value as Record<string, unknown>;
  if (typeof o.operator === "string" && (o.key === key || (o.key === undefined && o.operator === "Exists"))) return true;
  return Object.values(o).some((v) => tolerates(v, key));
}

/** What this change must deploy out of order, or null when the usual order (lowest layer first) is safe. */
export function tolerationsFirst(before: PlanSnapshot, after: PlanSnapshot): TolerationsFirst | null {
  const was = new Map(before.resources.map((r) => [r.urn, r]));
  const gained = new Map<string, { taint: NodeGroupTaint; nodeGroups: string[] }>();
  let nodeLayer: string | undefined;
  for (const group of after.resources) {
    if (group.type !== NODE_GROUP || !was.has(group.urn)) continue;
    const had = new Set(taintsOf(was.get(group.urn)).map(spelled));
    for (const taint of taintsOf(group)) {
      if (had.has(spelled(taint))) continue;
      const entry = gained.get(spelled(taint)) ?? { taint, nodeGroups: [] };
      entry.nodeGroups.push(group.name);
      gained.set(spelled(taint), entry);
      nodeLayer ??= group.layer;
    }
  }
  if (gained.size === 0 || nodeLayer === undefined) return null;
  const rank = (layer: string | undefined) => (LAYERS as readonly string[]).indexOf(layer ?? "");
  const keys = [...new Set([...gained.values()].map((g) => g.taint.key))];
  // Resources of a higher layer that exist before the change and tolerate a new taint only after it.
  const late = after.resources.filter((r) => {
    const prior = was.get(r.urn);
    if (!prior || rank(r.layer) <= rank(nodeLayer)) return false;
    return keys.some((key) => tolerates(r.inputs, key) && !tolerates(prior.inputs, key));
  });
  if (late.length === 0) return null;
  return {
    nodeLayer,
    taints: [...gained.entries()].map(([taint, g]) => ({ taint, nodeGroups: g.nodeGroups })),
    firstLayers: [...new Set(late.map((r) => r.layer!))].sort((a, b) => rank(a) - rank(b)),
    resources: late.map((r) => `${r.type} ${r.name}`),
  };
}
