import type { FabricPlan } from "./types";
import { round } from "./figures";

// The scale-out fabric: EFA interfaces and bandwidth per node, per scalable unit and in total
// (catalog efaInterfaces and networkGbps: K-IT, docs/sources.md#karpenter-instance-types [P]).

export interface FabricPool {
  pool: string;
  nodes: number;
  unitNodes: number;
  efaInterfacesPerNode: number;
  networkGbpsPerNode: number;
}

export function planFabric(pools: FabricPool[]): FabricPlan {
  return {
    efaInterfaces: pools.reduce((s, p) => s + p.nodes * p.efaInterfacesPerNode, 0),
    aggregateTbps: round(pools.reduce((s, p) => s + p.nodes * p.networkGbpsPerNode, 0) / 1000),
    pools: pools.map((p) => ({
      pool: p.pool,
      efaInterfacesPerNode: p.efaInterfacesPerNode,
      gbpsPerNode: p.networkGbpsPerNode,
      // A full unit: the bandwidth a job confined to one leaf of the topology can use.
      gbpsPerUnit: Math.min(p.unitNodes, p.nodes) * p.networkGbpsPerNode,
    })),
  };
}
