import type { InstanceType } from "../catalog/types";

// The network interfaces a GPU node's launch template declares (AWS "EFA on multi-card instances";
// EFA-MC, docs/sources.md#efa-multi-card [P]):
// - efa-only-per-card: card 0 device 0 the ENA primary (`interface`), card 0 device 1 `efa-only`, and
//   device 0 of every other card `efa-only`. An EFA-only interface takes no IP and cannot be primary.
// - efa-per-card: device 0 of every card an `efa` interface (EFA with ENA); card 0's is the primary.
// Every EFA interface sits on a card of its own, so the node has exactly the catalog's count.

export type InterfaceType = "interface" | "efa" | "efa-only";

export interface InterfaceSlot {
  networkCardIndex: number;
  deviceIndex: number;
  interfaceType: InterfaceType;
  /** The primary interface carries the node's address and the cluster's security group. */
  primary: boolean;
}

export type InterfaceLayoutResult = { slots: InterfaceSlot[] } | { problem: string };

/** The layout for an instance type, or why the catalog cannot give one (never a guess). */
export function interfaceLayout(type: InstanceType): InterfaceLayoutResult {
  // An unknown layout is unknown whatever EFA count the catalog carries (it may be a placeholder).
  if (type.efaLayout === null || type.networkCards === null || type.interfacesPerCard === null) {
    return { problem: `the catalog does not know how ${type.name} lays out its EFA interfaces over its network cards` };
  }
  if (type.efaInterfaces === 0) return { slots: [{ networkCardIndex: 0, deviceIndex: 0, interfaceType: "interface", primary: true }] };
  if (type.efaInterfaces > type.networkCards) {
    return { problem: `${type.name} has ${type.efaInterfaces} EFA interfaces but ${type.networkCards} network cards: one card would carry two` };
  }
  const slots: InterfaceSlot[] = [];
  if (type.efaLayout === "efa-per-card") {
    for (let card = 0; card < type.efaInterfaces; card++) {
      slots.push({ networkCardIndex: card, deviceIndex: 0, interfaceType: "efa", primary: card === 0 });
    }
    return { slots };
  }
  if (type.interfacesPerCard < 2) {
    return { problem: `${type.name} has one interface per network card: card 0 cannot hold both the primary and an EFA-only interface` };
  }
  slots.push({ networkCardIndex: 0, deviceIndex: 0, interfaceType: "interface", primary: true });
  slots.push({ networkCardIndex: 0, deviceIndex: 1, interfaceType: "efa-only", primary: false });
  for (let card = 1; card < type.efaInterfaces; card++) {
    slots.push({ networkCardIndex: card, deviceIndex: 0, interfaceType: "efa-only", primary: false });
  }
  return { slots };
}

/** EFA interfaces in a layout (efa and efa-only alike). */
export function efaCount(slots: readonly InterfaceSlot[]): number {
  return slots.filter((s) => s.interfaceType !== "interface").length;
}

/**
 * The launch template's `networkInterfaces`: no public address anywhere; the primary carries the groups
 * that reach the control plane (and, on GPU nodes, the EFA group), every EFA interface the EFA group only.
 */
export function launchTemplateInterfaces<Id>(
  slots: readonly InterfaceSlot[],
  groups: { primary: readonly Id[]; efa: readonly Id[] },
): {
  networkCardIndex: number;
  deviceIndex: number;
  interfaceType: InterfaceType;
  associatePublicIpAddress: "false";
  deleteOnTermination: "true";
  securityGroups: Id[];
  description: string;
}[] {
  return slots.map((s) => ({
    networkCardIndex: s.networkCardIndex,
    deviceIndex: s.deviceIndex,
    interfaceType: s.interfaceType,
    associatePublicIpAddress: "false",
    deleteOnTermination: "true",
    securityGroups: [...(s.primary ? groups.primary : groups.efa)],
    description: s.primary ? "primary (ENA): node and pod addresses" : `EFA on network card ${s.networkCardIndex}`,
  }));
}
