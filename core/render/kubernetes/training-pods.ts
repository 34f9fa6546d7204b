import type { Blueprint, PoolPlan } from "../../blueprint/types";
import { HOSTNAME_LABEL } from "../../blueprint/topology";
import { instanceType } from "../../catalog/instances";

// What every multi-node GPU pod the factory renders shares, the NCCL acceptance jobs and the tenants' examples alike.

// libfabric's EFA provider with GPUDirect RDMA, as AWS's EFA and NCCL guide sets them for NCCL over aws-ofi-nccl [S].
export const EFA_ENVIRONMENT: Readonly<Record<string, string>> = { FI_PROVIDER: "efa", FI_EFA_USE_DEVICE_RDMA: "1", NCCL_DEBUG: "WARN" };

// Kueue's podset annotations for topology-aware scheduling (docs/sources.md#kueue-topology).
export const TOPOLOGY_PREFERRED = "kueue.x-k8s.io/podset-preferred-topology";

/** The deepest network layer a unit's nodes share: the unit is the topology's leaf (blueprint topology, DESIGN.md rule 3). */
export function unitTopologyLevel(blueprint: Pick<Blueprint, "topology">, pool: PoolPlan): string {
  const layers = instanceType(pool.instanceType)?.networkNodeLayers ?? 0;
  const network = blueprint.topology.levels.filter((l) => l.nodeLabel !== HOSTNAME_LABEL);
  const level = network[Math.min(layers, network.length) - 1];
  if (!level) throw new Error(`the topology has no network level for pool ${pool.name}`);
  return level.nodeLabel;
}
