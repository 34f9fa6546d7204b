import type { Blueprint, PoolPlan } from "../../blueprint/types";
import { poolInstanceType, slurmNodeShape, type InstanceTypeLookup } from "./node";
import { poolHostlist } from "../../blueprint/pool-hosts";

// gres.conf: each pool's accelerators, one line per pool. The count is the node's Gres in slurm.conf and the
// device files are the ones NVML autodetection enumerates (/dev/nvidia0..N-1; Neuron: /dev/neuron0..N-1), so
// a node's slurmd finds exactly what the controller expects: a gres.conf with fewer devices than the node's
// Gres silently shrinks the node (checked on slurmctld 22.05, docs/sources.md#slurm-controller-checks).

/** `hosts` names a pool's nodes: the blueprint's host names, or the names another deployment gives them (Slinky's). */
export function renderGresConf(
  blueprint: Blueprint,
  lookup?: InstanceTypeLookup,
  hosts: (pool: PoolPlan) => string = (pool) => poolHostlist(blueprint, pool),
): string {
  const lines = [
    `# gres.conf of ${blueprint.factory}: rendered by gigafactory from the blueprint; change the spec, not this file.`,
  ];
  for (const pool of blueprint.pools.filter((p) => p.nodes > 0)) {
    const shape = slurmNodeShape(pool, poolInstanceType(pool, lookup));
    lines.push(
      `# pool ${pool.name}: ${shape.gpus} x ${shape.gresType} per ${pool.instanceType}`,
      `NodeName=${hosts(pool)} Name=gpu Type=${shape.gresType} File=${shape.gresFiles}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
