import { stringify } from "yaml";
import type { Blueprint, ScalableUnitPlan } from "../../blueprint/types";
import { compressNames } from "../../lib/hostlist";

// Slurm's topology on Kubernetes, from the blueprint's one topology (DESIGN.md rule 3). Slinky's Slurm nodes are
// NodeSet pods that register themselves (dynamic nodes), so topology.yaml holds the switches only: the core, a spine
// per pool and an empty leaf per scalable unit. A node joins its unit's leaf through the annotation
// `topology.slinky.slurm.net/spec` on the Kubernetes node its pod runs on (set by the node-health agent from the node's
// scalable-unit label, core/render/health/node-agent.ts), which the operator turns into the Slurm
// node's Topology (docs/sources.md#slinky-slurm-operator; Slurm topology.html "Dynamic Topology", docs/sources.md#slurm-topology [P]).
// Kueue reads the same units from the nodes' labels, so both schedulers pack a job into the fewest units.

/** The Kubernetes node annotation Slinky reads a node's Slurm topology from (api/v1beta1 well_known.go [P]). */
export const SLINKY_TOPOLOGY_ANNOTATION = "topology.slinky.slurm.net/spec";

/** The name of the factory's tree in topology.yaml (a topology.conf's would be "default"). */
export const SLURM_TOPOLOGY_NAME = "fabric";

/** A node's dynamic topology: the leaf switch of its scalable unit, `fabric:<unit>`. */
export function slinkyTopologySpec(unit: Pick<ScalableUnitPlan, "name">): string {
  return `${SLURM_TOPOLOGY_NAME}:${unit.name}`;
}

/** The annotation a GPU node of the unit carries so that its Slurm node sits under the unit's leaf switch. */
export function slinkyTopologyAnnotation(unit: Pick<ScalableUnitPlan, "name">): Record<string, string> {
  return { [SLINKY_TOPOLOGY_ANNOTATION]: slinkyTopologySpec(unit) };
}

interface YamlSwitch {
  switch: string;
  children?: string;
}

/**
 * topology.yaml (topology.yaml.5 [P]): one tree, the cluster's default, with the blueprint's switches from the widest
 * down. Leaves name no nodes: a leaf with neither nodes nor children is an empty leaf switch (topology/tree
 * switch_record.c [P]) that dynamic nodes join.
 */
export function renderTopologyYaml(blueprint: Pick<Blueprint, "factory" | "topology">): string {
  const order = { core: 0, spine: 1, leaf: 2 } as const;
  const switches: YamlSwitch[] = [...blueprint.topology.switches]
    .sort((a, b) => order[a.level] - order[b.level])
    .map((s) => (s.level === "leaf" ? { switch: s.name } : { switch: s.name, children: compressNames(s.children) }));
  const document = [{ topology: SLURM_TOPOLOGY_NAME, cluster_default: true, tree: { switches } }];
  const header = [
    `# topology.yaml of ${blueprint.factory}: rendered by gigafactory from the blueprint; change the spec, not this file.`,
    `# A leaf per scalable unit; a node joins its unit's leaf through the annotation ${SLINKY_TOPOLOGY_ANNOTATION}.`,
  ];
  return `${header.join("\n")}\n---\n${stringify(document, { lineWidth: 0 })}`;
}
