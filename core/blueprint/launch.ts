import type { InstanceType } from "../catalog/types";
import { amiVariant, eksAmiName, eksAmiReleaseParameter, parseAmiRelease } from "../catalog/ami";
import type { PodAddressing } from "./pods";
import type { GpuNodeGroupPlan, PoolPlan, UnitLaunchPlan } from "./types";
import { launchTemplateKey, launchTemplateRole, unitCapacity } from "./capacity";
import { interfaceLayout } from "./interfaces";
import { acceleratorTaint, nodeLabels } from "./labels";
import { kubeletMaxPods } from "./max-pods";
import { kubeletReserved } from "./kubelet-reserved";
import { groupNodeGroup } from "./node-group";

// How a GPU pool's nodes boot and how each node group of scalable units launches them, decided once here: the node
// pool component declares the placement groups, reservations, launch templates and node groups these describe.

export type PoolNodeSettings = Pick<PoolPlan, "amiParameter" | "image" | "interfaces" | "kubeletMaxPods" | "kubeletReserved" | "taints" | "stripeLocalNvme">;

/** The AMI a pinned release names: its release parameter and name; empty where the release is not one (a finding of the spec). */
export function pinnedImage(release: string, architecture: InstanceType["architecture"], variant: ReturnType<typeof amiVariant> | "standard"): { amiParameter: string; image: PoolPlan["image"] } {
  const parsed = parseAmiRelease(release);
  if (!parsed) return { amiParameter: "", image: { release, amiName: "" } };
  return { amiParameter: eksAmiReleaseParameter(parsed, architecture, variant), image: { release, amiName: eksAmiName(parsed, architecture, variant) } };
}

export function poolNodeSettings(type: InstanceType, pool: { imageRelease: string; podAddressing: PodAddressing; maxPodsPerNode: number }): PoolNodeSettings {
  const layout = interfaceLayout(type);
  const maxPods = kubeletMaxPods(type, pool.podAddressing, pool.maxPodsPerNode);
  return {
    ...pinnedImage(pool.imageRelease, type.architecture, amiVariant(type)),
    // A type the catalog cannot wire is an error finding of the design (checks/compute.ts validateInterfaceLayouts).
    interfaces: "slots" in layout ? layout.slots : null,
    kubeletMaxPods: maxPods,
    kubeletReserved: kubeletReserved(type, maxPods),
    taints: [acceleratorTaint(type)],
    stripeLocalNvme: type.nvmeGB > 0,
  };
}

/** A unit's or node group's name within its pool: `train-su001` → `su001`, `train-su001-005` → `su001-005`. */
export function unitRole(pool: string, unit: string): string {
  return unit.startsWith(`${pool}-`) ? unit.slice(pool.length + 1) : unit;
}

/**
 * The capacity, launch template and node group of a node group of units, which every unit of it carries; null
 * where the pool's capacity cannot serve the group, which the design reports as an error (checks/compute.ts
 * validateUnitPlacement). The unit label goes on the template and the group only where the group is one unit;
 * a group of several leaves it to the node-health agent (core/render/health/unit-assign.ts).
 */
export function groupLaunch(
  pool: Pick<PoolPlan, "name" | "capacity" | "tenants" | "gpuModel" | "taints" | "rollout">,
  group: GpuNodeGroupPlan,
  specLabels: Readonly<Record<string, string>>,
): UnitLaunchPlan | null {
  const result = unitCapacity(pool, group);
  if ("problem" in result) return null;
  const capacity = result.capacity;
  const role = unitRole(pool.name, group.name);
  const key = launchTemplateKey(capacity, group.name);
  const own = key.startsWith("group:");
  const labels = (unitName?: string) => nodeLabels({ pool: pool.name, unit: unitName, tenants: pool.tenants, gpuModel: pool.gpuModel, extra: specLabels });
  const groupLabels = labels(group.units.length === 1 ? group.units[0] : undefined);
  return {
    role,
    capacity,
    launchTemplate: {
      key,
      role: own ? role : launchTemplateRole(capacity),
      // A template of a one-unit group's own carries the unit label at registration; a shared one leaves it to the node group.
      labels: own ? groupLabels : labels(),
      // The default version stays put while waves of the pool are still to come (rollout.ts).
      updateDefaultVersion: pool.rollout.currentWave === null,
    },
    nodeGroup: groupNodeGroup(group, capacity.capacityType, groupLabels, pool.taints, pool.rollout.maxUnavailable ?? undefined),
  };
}
