import type { Blueprint, PoolPlan } from "../../blueprint/types";
import { compressNames, formatHostlist } from "../../lib/hostlist";
import { poolInstanceType, type InstanceTypeLookup } from "./node";

// topology.conf from the blueprint's one topology (DESIGN.md rule 3).
// - topology/tree: a leaf switch per scalable unit, a spine per pool, a core over the pools; the switches
//   and their children are the blueprint's, so Slurm, Kueue and the node labels agree.
// - topology/block: where every pool's instance type shares NVLink across nodes (catalog nvlinkDomainNodes > 1,
//   a GB200 UltraServer), one block per NVLink domain. Slurm takes one topology plugin in topology.conf, so a
//   factory that mixes NVLink-domain pools with others gets the tree (validate.ts warns).

export type TopologyPluginName = "topology/tree" | "topology/block";

// topology/block came with Slurm 23.11 and BlockSizes replaced BlockLevels in 24.05
// (docs/sources.md#slurm-source, #slurm-topology [P]): the file as rendered needs 24.05.
export const BLOCK_TOPOLOGY_MIN_SLURM = "24.05";

export function nvlinkDomainNodes(pool: PoolPlan, lookup?: InstanceTypeLookup): number {
  return poolInstanceType(pool, lookup).nvlinkDomainNodes;
}

export function topologyPlugin(blueprint: Blueprint, lookup?: InstanceTypeLookup): TopologyPluginName {
  const pools = blueprint.pools.filter((p) => p.nodes > 0);
  return pools.length > 0 && pools.every((p) => nvlinkDomainNodes(p, lookup) > 1) ? "topology/block" : "topology/tree";
}

export function renderTopologyConf(blueprint: Blueprint, lookup?: InstanceTypeLookup): string {
  return topologyPlugin(blueprint, lookup) === "topology/block" ? renderBlocks(blueprint, lookup) : renderTree(blueprint);
}

function renderTree(blueprint: Blueprint): string {
  const { switches, levels } = blueprint.topology;
  const lines = [
    `# topology.conf of ${blueprint.factory}: rendered by gigafactory from the blueprint; change the spec, not this file.`,
    "# topology/tree: a leaf switch per scalable unit (its nodes share a placement group and the network's lowest layer),",
    "# a spine per pool, a core over the pools. The same tree labels the Kubernetes nodes for Kueue:",
    `# ${levels.map((l) => l.nodeLabel).join(" > ")}.`,
  ];
  for (const level of ["leaf", "spine", "core"] as const) {
    const group = switches.filter((s) => s.level === level);
    if (group.length === 0) continue;
    lines.push("", `# ${level} switches`);
    for (const s of group) {
      lines.push(level === "leaf" ? `SwitchName=${s.name} Nodes=${s.children.join(",")}` : `SwitchName=${s.name} Switches=${compressNames(s.children)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The NVLink domains of a pool, in host order: each of its units cut into domains of `domainNodes`. */
export function poolBlocks(pool: PoolPlan, blueprint: Blueprint, domainNodes: number): { name: string; nodes: string }[] {
  const width = 2;
  const blocks: { name: string; nodes: string }[] = [];
  for (const unit of blueprint.units.filter((u) => u.pool === pool.name)) {
    const count = Math.ceil(unit.nodes / domainNodes);
    for (let k = 0; k < count; k++) {
      const first = unit.firstNode + k * domainNodes;
      const nodes = Math.min(domainNodes, unit.nodes - k * domainNodes);
      blocks.push({
        name: `${unit.name}-nvl${String(k + 1).padStart(width, "0")}`,
        nodes: formatHostlist(pool.hostnamePrefix, pool.hostnameDigits, [{ first, count: nodes }]),
      });
    }
  }
  return blocks;
}

/**
 * Block sizes: the NVLink domain, then each power-of-two multiple that fits in the largest scalable unit
 * ("successive BlockSizes must be a power of two larger than the prior values", topology.conf.5 [P]).
 */
export function blockSizes(domainNodes: number, largestUnitNodes: number): number[] {
  const sizes = [domainNodes];
  while (sizes[sizes.length - 1] * 2 <= largestUnitNodes) sizes.push(sizes[sizes.length - 1] * 2);
  return sizes;
}

function renderBlocks(blueprint: Blueprint, lookup?: InstanceTypeLookup): string {
  const pools = blueprint.pools.filter((p) => p.nodes > 0);
  const domain = Math.min(...pools.map((p) => nvlinkDomainNodes(p, lookup)));
  const largestUnit = Math.max(...blueprint.units.map((u) => u.nodes));
  const lines = [
    `# topology.conf of ${blueprint.factory}: rendered by gigafactory from the blueprint; change the spec, not this file.`,
    `# topology/block: one block per NVLink domain of ${domain} nodes, larger blocks within a scalable unit.`,
    `# Needs Slurm >= ${BLOCK_TOPOLOGY_MIN_SLURM} (topology/block since 23.11, BlockSizes since 24.05).`,
  ];
  for (const pool of pools) {
    lines.push("", `# pool ${pool.name}: ${pool.instanceType}`);
    for (const b of poolBlocks(pool, blueprint, nvlinkDomainNodes(pool, lookup))) lines.push(`BlockName=${b.name} Nodes=${b.nodes}`);
  }
  lines.push("", `BlockSizes=${blockSizes(domain, Math.max(domain, largestUnit)).join(",")}`);
  return `${lines.join("\n")}\n`;
}
