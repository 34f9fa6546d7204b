import type { InstanceType } from "../catalog/types";

// Node labels and taints every GPU node carries, the same in the node group and in the kubelet's
// registration (with an AMI of our own, EKS applies node-group labels and taints only after the node
// has joined: launch-templates.adoc, "Limits and conditions when specifying an AMI ID" [P]).

export const LABEL_POOL = "gigafactory.io/pool";
export const LABEL_SCALABLE_UNIT = "gigafactory.io/scalable-unit";
export const LABEL_TENANT = "gigafactory.io/tenant";
export const LABEL_ACCELERATOR = "gigafactory.io/accelerator";
/** The value of LABEL_TENANT on a pool that several tenants share (their quotas decide who runs where). */
export const SHARED_TENANCY = "shared";
export const SYSTEM_POOL = "system";

export interface Taint {
  key: string;
  value: string;
  effect: "NoSchedule" | "NoExecute" | "PreferNoSchedule";
}

/**
 * Keeps every pod without its toleration off the system pool: the controllers (Kueue, Slurm's control plane and
 * login, the operators, CoreDNS, CSI controllers) tolerate it, a tenant's pod never does, so no tenant workload
 * shares a node, its network identity or its subnets with the platform.
 */
export const SYSTEM_TAINT: Taint = { key: "gigafactory.io/system", value: "true", effect: "NoSchedule" };

/** Keeps every pod without a GPU toleration off accelerator nodes (NVIDIA device plugin convention [P]). */
export function acceleratorTaint(type: Pick<InstanceType, "accelerator">): Taint {
  return type.accelerator === "trainium"
    ? { key: "aws.amazon.com/neuron", value: "true", effect: "NoSchedule" }
    : { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" };
}

/** A pool's tenant label and tag: its one tenant, or shared where several tenants' quotas decide who runs there. */
export function poolTenancy(tenants: readonly string[]): string {
  return tenants.length === 1 ? tenants[0] : SHARED_TENANCY;
}

/** Pool, unit and tenant labels, then the spec's own labels (which never override the factory's). */
export function nodeLabels(args: {
  pool: string;
  unit?: string;
  tenants: readonly string[];
  gpuModel: string;
  extra?: Readonly<Record<string, string>>;
}): Record<string, string> {
  const labels: Record<string, string> = { ...(args.extra ?? {}) };
  labels[LABEL_POOL] = args.pool;
  if (args.unit !== undefined) labels[LABEL_SCALABLE_UNIT] = args.unit;
  labels[LABEL_TENANT] = poolTenancy(args.tenants);
  labels[LABEL_ACCELERATOR] = args.gpuModel;
  return labels;
}

/** kubelet `--node-labels` value, keys sorted so the same labels give the same user data. */
export function nodeLabelsFlag(labels: Readonly<Record<string, string>>): string {
  return `--node-labels=${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(",")}`;
}

/** kubelet `--register-with-taints` value: the taint is there before any pod can be scheduled. */
export function taintsFlag(taints: readonly Taint[]): string {
  return `--register-with-taints=${taints.map((t) => `${t.key}=${t.value}:${t.effect}`).join(",")}`;
}

/** The EKS API spells effects NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE. */
export function nodeGroupTaint(t: Taint): { key: string; value: string; effect: string } {
  const effect = { NoSchedule: "NO_SCHEDULE", NoExecute: "NO_EXECUTE", PreferNoSchedule: "PREFER_NO_SCHEDULE" }[t.effect];
  return { key: t.key, value: t.value, effect };
}
