import type { PoolPlan } from "../../blueprint/types";
import { instanceType } from "../../catalog/instances";

// The resources Kueue meters on each pool, and what a number of a pool's accelerators brings with it. A
// tenant's quota is in GPUs; its share of a node's CPUs, memory and EFA interfaces follows in proportion, so
// the accelerator stays each queue's dominant resource and a job that asks for whole nodes fits its quota.

// Resource names the device plugins advertise: NVIDIA device plugin [P], AWS Neuron device plugin [P], AWS EFA
// device plugin (docs/sources.md#eks-charts-efa [P]).
export const GPU_RESOURCE = "nvidia.com/gpu";
export const NEURON_RESOURCE = "aws.amazon.com/neuron";
export const EFA_RESOURCE = "vpc.amazonaws.com/efa";
export const ACCELERATOR_RESOURCES = [GPU_RESOURCE, NEURON_RESOURCE] as const;

export interface PoolShape {
  pool: string;
  accelerator: (typeof ACCELERATOR_RESOURCES)[number];
  gpusPerNode: number;
  vcpusPerNode: number;
  memoryGiBPerNode: number;
  efaInterfacesPerNode: number;
}

/** What one node of the pool offers; undefined for a type the catalog does not know. */
export function poolShape(pool: Pick<PoolPlan, "name" | "instanceType" | "gpusPerNode" | "efaInterfacesPerNode">): PoolShape | undefined {
  const type = instanceType(pool.instanceType);
  if (!type || pool.gpusPerNode <= 0) return undefined;
  return {
    pool: pool.name,
    accelerator: type.accelerator === "trainium" ? NEURON_RESOURCE : GPU_RESOURCE,
    gpusPerNode: pool.gpusPerNode,
    vcpusPerNode: type.vcpus,
    memoryGiBPerNode: type.memoryGiB,
    efaInterfacesPerNode: pool.efaInterfacesPerNode,
  };
}

/** The resources every flavor of a set of pools lists, in a fixed order (Kueue wants the same list per flavor). */
export function coveredResources(shapes: readonly PoolShape[]): string[] {
  const accelerators = ACCELERATOR_RESOURCES.filter((r) => shapes.some((s) => s.accelerator === r));
  const efa = shapes.some((s) => s.efaInterfacesPerNode > 0) ? [EFA_RESOURCE] : [];
  return ["cpu", "memory", ...accelerators, ...efa];
}

/**
 * Whole units of each covered resource for `gpus` accelerators of the pool, rounded up (a node's share never
 * falls short of what its accelerators need): resources the pool does not have are 0.
 */
export function resourceAmounts(shape: PoolShape, gpus: number, covered: readonly string[]): Record<string, number> {
  const share = (perNode: number) => Math.ceil((gpus * perNode) / shape.gpusPerNode);
  const amounts: Record<string, number> = {};
  for (const r of covered) {
    if (r === "cpu") amounts[r] = share(shape.vcpusPerNode);
    else if (r === "memory") amounts[r] = share(shape.memoryGiBPerNode);
    else if (r === EFA_RESOURCE) amounts[r] = share(shape.efaInterfacesPerNode);
    else amounts[r] = r === shape.accelerator ? gpus : 0;
  }
  return amounts;
}

/** A Kubernetes quantity for an amount: memory is counted in GiB, everything else in whole units. */
export function quantity(resource: string, amount: number): string {
  return resource === "memory" ? `${amount}Gi` : String(amount);
}
