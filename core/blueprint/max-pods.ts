import type { InstanceType } from "../catalog/types";
import type { PodAddressing } from "./pods";

// How many pods a node's kubelet admits, from the catalog and the CNI mode (docs/sources.md#eks-max-pods, #vpc-cni [P]):
// EKS recommends at most 110 pods below 30 vCPUs and 250 from 30; in secondary-ip mode the pods also
// need addresses of network card 0, the catalog's eni-max-pods figure. The spec's validator applies the
// same rule (maxPodsAllowed) and reports a pool that asks for more; a test keeps the two equal.

export const MAX_PODS_SMALL_NODE = 110;
export const MAX_PODS_LARGE_NODE = 250;
export const LARGE_NODE_VCPUS = 30;

export function maxPodsLimit(type: Pick<InstanceType, "vcpus" | "defaultMaxPods">, mode: PodAddressing): number {
  const cap = type.vcpus >= LARGE_NODE_VCPUS ? MAX_PODS_LARGE_NODE : MAX_PODS_SMALL_NODE;
  return mode === "secondary-ip" ? Math.min(cap, type.defaultMaxPods) : cap;
}

/** The kubelet's maxPods: what the pool asks for (its addresses were sized for it), within the limit. */
export function kubeletMaxPods(type: Pick<InstanceType, "vcpus" | "defaultMaxPods">, mode: PodAddressing, requested: number): number {
  return Math.min(requested, maxPodsLimit(type, mode));
}
