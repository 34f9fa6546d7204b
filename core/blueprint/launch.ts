import type { InstanceType } from "../catalog/types";
import { amiVariant, eksAmiParameter } from "../catalog/ami";
import type { PodAddressing } from "./pods";
import type { PoolPlan, ScalableUnitPlan, UnitLaunchPlan } from "./types";
import { launchTemplateKey, unitCapacity } from "./capacity";
import { interfaceLayout } from "./interfaces";
import { acceleratorTaint, nodeLabels } from "./labels";
import { kubeletMaxPods } from "./max-pods";
import { unitNodeGroup } from "./node-group";

// How a GPU pool's nodes boot and how each scalable unit launches them, decided once here: the node pool
// component declares the placement groups, reservations, launch templates and node groups these describe.

export type PoolNodeSettings = Pick<PoolPlan, "amiParameter" | "interfaces" | "kubeletMaxPods" | "taints" | "stripeLocalNvme">;

export function poolNodeSettings(type: InstanceType, pool: { kubernetesVersion: string; podAddressing: PodAddressing; maxPodsPerNode: number }): PoolNodeSettings {
  const layout = interfaceLayout(type);
  return {
    amiParameter: eksAmiParameter(pool.kubernetesVersion, type.architecture, amiVariant(type)),
    // A type the catalog cannot wire is an error finding of the design (checks/compute.ts validateInterfaceLayouts).
    interfaces: "slots" in layout ? layout.slots : null,
    kubeletMaxPods: kubeletMaxPods(type, pool.podAddressing, pool.maxPodsPerNode),
    taints: [acceleratorTaint(type)],
    stripeLocalNvme: type.nvmeGB > 0,
  };
}

/** A unit's name within its pool: `train-su001` → `su001`. */
export function unitRole(pool: string, unit: string): string {
  return unit.startsWith(`${pool}-`) ? unit.slice(pool.length + 1) : unit;
}

/**
 * The unit's capacity, launch template and node group; null where the pool's capacity cannot serve the unit,
 * which the design reports as an error (checks/compute.ts validateUnitPlacement).
 */
export function unitLaunch(
  pool: Pick<PoolPlan, "name" | "capacity" | "tenants" | "gpuModel" | "taints">,
  unit: ScalableUnitPlan,
  specLabels: Readonly<Record<string, string>>,
): UnitLaunchPlan | null {
  const result = unitCapacity(pool, unit);
  if ("problem" in result) return null;
  const capacity = result.capacity;
  const role = unitRole(pool.name, unit.name);
  const key = launchTemplateKey(capacity, unit.name);
  const own = key.startsWith("unit:");
  const labels = (unitName?: string) => nodeLabels({ pool: pool.name, unit: unitName, tenants: pool.tenants, gpuModel: pool.gpuModel, extra: specLabels });
  const unitLabels = labels(unit.name);
  return {
    role,
    capacity,
    launchTemplate: {
      key,
      role: own ? role : key === "pool" ? null : capacity.target?.kind === "capacity-block" ? capacity.target.reservationId : key,
      // A template of the unit's own carries the unit label at registration; a shared one leaves it to the node group.
      labels: own ? unitLabels : labels(),
    },
    nodeGroup: unitNodeGroup(unit, capacity.capacityType, unitLabels, pool.taints),
  };
}
