import type { FactorySpec } from "../spec/schema";

// Which spec fields each sized value of the blueprint comes from, so that a review can say why a resource changes in
// the spec's words ("storage.checkpoint.seconds 120 → 60 ⇒ Lustre tier 125 → 250 MB/s/TiB"). The rules follow the
// sizing they describe (storage.ts, node-groups.ts, tenants.ts, pool sizing): a sizer that reads a new field adds
// it here. Paths are templates: `{pool}`, `{group}` and `{tenant}` stand for one pool, node group or tenant, bound by
// the resource a value reaches; `*` matches any one key.

/** A sized value and the spec fields it was sized from, the one a change most often comes from first. */
export interface SizedValue {
  /**
   * The value's place: in the blueprint, with named lists keyed by name (`storage.storageCapacityGiB`,
   * `nodeGroups.{group}.nodes`, `tenants.{tenant}.gpuQuota`); or in the spec, after `spec.` (`spec.kubernetes.version`).
   */
  value: string;
  /** What a platform engineer calls it. */
  label: string;
  unit?: string;
  /** Spec paths (dotted, under gigafactory:factory) the value is sized from. */
  from: string[];
}

/** What makes the factory's GPUs, and so every figure sized per GPU. */
const POOL_SIZES = ["pools.*.nodes", "pools.*.gpus", "pools.*.instanceType"];
const CHECKPOINT = ["storage.checkpoint.seconds", "storage.checkpoint.modelParameters", "storage.checkpoint.bytesPerParameter", "storage.checkpoint.keep"];
const DATA = ["storage.datasetTB", "storage.readMBpsPerGpu"];

export function sizingProvenance(spec: { storage?: Pick<FactorySpec["storage"], "lustre"> }): SizedValue[] {
  const lustre = spec.storage?.lustre ?? {};
  // A pinned tier is the spec's word alone; otherwise the cheapest tier that meets the objectives (storage.ts).
  const tierFrom =
    lustre.tierMBpsPerTiB !== undefined
      ? ["storage.lustre.tierMBpsPerTiB"]
      : [...CHECKPOINT, ...DATA, "storage.lustre.tierMBpsPerTiB", "storage.lustre.efa", ...POOL_SIZES];
  const efaFrom = lustre.efa !== undefined ? ["storage.lustre.efa"] : ["storage.lustre.efa", ...CHECKPOINT, ...DATA, ...POOL_SIZES];
  return [
    { value: "storage.perUnitStorageThroughputMBpsPerTiB", label: "Lustre throughput tier", unit: "MB/s/TiB", from: tierFrom },
    {
      value: "storage.storageCapacityGiB",
      label: "Lustre capacity",
      unit: "GiB",
      from: [...CHECKPOINT, ...DATA, "storage.lustre.tierMBpsPerTiB", "storage.lustre.efa", ...POOL_SIZES],
    },
    { value: "storage.efaEnabled", label: "Lustre EFA", from: efaFrom },
    {
      value: "storage.metadata.iops",
      label: "Lustre metadata IOPS",
      from: ["storage.lustre.metadataIops", "storage.datasetFiles", ...CHECKPOINT, ...DATA, ...POOL_SIZES],
    },
    { value: "storage.subnet", label: "Lustre subnet", from: ["storage.lustre.nextToPool", "pools.*.availabilityZoneId", "pools.*.availabilityZone", ...POOL_SIZES] },
    { value: "totalGpus", label: "GPUs of the factory", unit: "GPUs", from: POOL_SIZES },
    { value: "nodes", label: "GPU nodes of the factory", unit: "nodes", from: POOL_SIZES },
    { value: "pools.{pool}.nodes", label: "nodes of pool {pool}", unit: "nodes", from: ["pools.{pool}.nodes", "pools.{pool}.gpus", "pools.{pool}.instanceType"] },
    { value: "pools.{pool}.amiParameter", label: "node image of pool {pool}", from: ["kubernetes.version", "pools.{pool}.instanceType"] },
    {
      value: "nodeGroups.{group}",
      label: "node group {group}",
      from: ["pools.{pool}.nodes", "pools.{pool}.gpus", "pools.{pool}.capacity", "scalableUnit.nodes", "scalableUnit.unitsPerNodeGroup"],
    },
    {
      value: "nodeGroups.{group}.nodes",
      label: "nodes of node group {group}",
      unit: "nodes",
      from: ["pools.{pool}.nodes", "pools.{pool}.gpus", "pools.{pool}.capacity", "scalableUnit.nodes", "scalableUnit.unitsPerNodeGroup"],
    },
    { value: "tenants.{tenant}", label: "tenant {tenant}", from: ["tenants.{tenant}"] },
    { value: "tenants.{tenant}.gpuQuota", label: "GPU quota of {tenant}", unit: "GPUs", from: ["tenants.{tenant}.gpuQuota"] },
    {
      value: "tenants.{tenant}.lendingLimitGpus",
      label: "GPUs {tenant} lends",
      unit: "GPUs",
      from: ["tenants.{tenant}.lendingLimitGpus", "tenants.{tenant}.gpuQuota"],
    },
    {
      // Unset, a tenant may borrow all the factory's GPUs but its own (tenants.ts).
      value: "tenants.{tenant}.borrowingLimitGpus",
      label: "GPUs {tenant} may borrow",
      unit: "GPUs",
      from: ["tenants.{tenant}.borrowingLimitGpus", "tenants.{tenant}.gpuQuota", ...POOL_SIZES],
    },
    { value: "tenants.{tenant}.share", label: "fair share of {tenant}", from: ["tenants.*.gpuQuota", "tenants.*"] },
    { value: "spec.kubernetes.version", label: "Kubernetes version", from: ["kubernetes.version"] },
  ];
}
