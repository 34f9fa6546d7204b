import type { ScalableUnitPlan, TopologyLevel, TopologyPlan } from "./types";

// The one topology Kueue and Slurm both read (DESIGN.md rule 3).
// Kueue levels: the EKS network-node labels, widest first, then the host (docs/sources.md#eks-topology-labels,
// docs/sources.md#ec2-instance-topology [P]: 3 layers on most types, 4 on p6-b200/b300; Kueue allows
// kubernetes.io/hostname only as the last level, docs/sources.md#kueue-topology [P]). Pools of different types take the deepest.
// Slurm tree: a leaf switch per scalable unit named after it, a spine per pool, and a core over the pools of one
// availability zone when it has several. Pools in different AZs share no switch: EFA does not cross an AZ (EFA user
// guide, docs/sources.md#efa-basics [P]), and topology/tree places a job only under one switch that reaches all of
// its nodes (docs/sources.md#slurm-topology [P]), so no job spans AZs.
// NVLink domains (GB200 blocks) would add a level below the network layers and Slurm blocks beside the tree.

export const NETWORK_NODE_LABEL_PREFIX = "topology.k8s.aws/network-node-layer-";
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

export interface TopologyPool {
  name: string;
  availabilityZone: string;
  networkNodeLayers: number;
  units: ScalableUnitPlan[];
}

export const spineName = (pool: string): string => `${pool}-spine`;
export const coreName = (factory: string, availabilityZone: string): string => `${factory}-${availabilityZone}-core`;

export function planTopology(factory: string, pools: TopologyPool[]): TopologyPlan {
  const layers = pools.reduce((m, p) => Math.max(m, p.networkNodeLayers), 0);
  const levels: TopologyLevel[] = [];
  for (let i = 1; i <= layers; i++) levels.push({ name: `network-node-layer-${i}`, nodeLabel: `${NETWORK_NODE_LABEL_PREFIX}${i}` });
  levels.push({ name: "hostname", nodeLabel: HOSTNAME_LABEL });

  const switches: TopologyPlan["switches"] = [];
  const withUnits = pools.filter((p) => p.units.length > 0);
  for (const pool of withUnits) {
    for (const unit of pool.units) switches.push({ name: unit.name, level: "leaf", children: [unit.hostnames] });
  }
  for (const pool of withUnits) switches.push({ name: spineName(pool.name), level: "spine", children: pool.units.map((u) => u.name) });
  const zones = [...new Set(withUnits.map((p) => p.availabilityZone))];
  for (const zone of zones) {
    const inZone = withUnits.filter((p) => p.availabilityZone === zone);
    if (inZone.length > 1) switches.push({ name: coreName(factory, zone), level: "core", children: inZone.map((p) => spineName(p.name)) });
  }
  return { levels, switches };
}
