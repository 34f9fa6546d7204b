import type { InstanceType } from "../catalog";

// How many IPv4 addresses and interfaces one node takes for its pods under the VPC CNI
// (docs/sources.md#vpc-cni, #karpenter-vpc-limits [P]).

export type PodAddressing = "prefix-delegation" | "secondary-ip";

// Prefix delegation hands out /28 prefixes: 16 addresses, whole, even if one pod uses it (docs/sources.md#vpc-cni [P]).
export const PREFIX_ADDRESSES = 16;
// IPv4 addresses per network interface on the accelerated types (K-VPC, docs/sources.md#karpenter-vpc-limits [P]);
// one is the interface's own primary, the other 49 slots hold pod addresses or /28 prefixes.
export const IPV4_ADDRESSES_PER_INTERFACE = 50;
// The CNI settings the factory deploys: one warm /28 beyond the pods' prefixes (WARM_PREFIX_TARGET=1), or
// a small warm pool of single addresses (WARM_IP_TARGET=5) [U: our setting, docs/sources.md#vpc-cni names the knobs].
export const CNI_WARM_PREFIX_TARGET = 1;
export const CNI_WARM_IP_TARGET = 5;

/** Address slots (prefixes or single addresses) the CNI holds on a node at full pods. */
function podSlots(mode: PodAddressing, maxPods: number): number {
  return mode === "prefix-delegation" ? Math.ceil(maxPods / PREFIX_ADDRESSES) + CNI_WARM_PREFIX_TARGET : maxPods + CNI_WARM_IP_TARGET;
}

/** ENA interfaces on network card 0 the CNI uses for pods (the primary included). */
export function podInterfaces(mode: PodAddressing, maxPods: number): number {
  return Math.max(1, Math.ceil(podSlots(mode, maxPods) / (IPV4_ADDRESSES_PER_INTERFACE - 1)));
}

/**
 * Addresses one node takes from its subnet at full pods: its primary, every extra pod interface's
 * primary, and the pod addresses (whole /28s under prefix delegation). EFA-only interfaces take no
 * address (docs/sources.md#efa-basics [P]).
 */
export function addressesPerNode(mode: PodAddressing, maxPods: number): number {
  const pods = mode === "prefix-delegation" ? podSlots(mode, maxPods) * PREFIX_ADDRESSES : podSlots(mode, maxPods);
  return pods + podInterfaces(mode, maxPods);
}

/**
 * Interfaces card 0 leaves for pods: its interface limit less the efa-only interface AWS's layout puts at
 * device 1 (docs/sources.md#efa-multi-card [P]). Undefined where the card layout is unconfirmed.
 */
export function card0PodInterfaces(type: InstanceType): number | undefined {
  if (type.interfacesPerCard === null) return undefined;
  const efaOnCard0 = type.efaLayout === "efa-only-per-card" && type.efaInterfaces > 0 ? 1 : 0;
  return type.interfacesPerCard - efaOnCard0;
}

/** Network interfaces one GPU node holds: the ENA primary, every EFA interface and extra pod interfaces. */
export function interfacesPerNode(type: InstanceType, mode: PodAddressing, maxPods: number): number {
  // efa-per-card: the primary is itself an EFA (with ENA) interface, so it is not counted twice.
  const fabric = type.efaLayout === "efa-per-card" ? Math.max(type.efaInterfaces, 1) : 1 + type.efaInterfaces;
  return fabric + podInterfaces(mode, maxPods) - 1;
}
