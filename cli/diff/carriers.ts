// Which resource inputs carry which sized values of the blueprint (core/blueprint/provenance.ts names the values):
// the join from "this input of this resource changed" back to "this value was sized anew", and from there to the spec
// fields it comes from. A carrier without an input is the resource itself, created or deleted with its value. Named
// groups of an input pattern (`(?<pool>…)`) bind the value's template; the rest bind from the resource (its tenant,
// its pool, the node group in its name). Several values for one input: the first that moved explains it.

export interface Carrier {
  /** The resource type, or "*" for any type (a tenant's resources, created with the tenant). */
  type: string;
  /** The changed input's path; absent: the resource is created or deleted. */
  input?: RegExp;
  values: string[];
  /** Applies only to resources of a tenant (its tag or label). */
  tenant?: boolean;
}

const LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const CLUSTER_QUEUE = /^kubernetes:kueue\.x-k8s\.io\/v1beta\d+:ClusterQueue$/;
const FACTORY_GPUS = ["totalGpus", "nodes"];
const K8S_VERSION = "spec.kubernetes.version";

const CARRIERS: readonly (Carrier & { typePattern?: RegExp })[] = [
  { type: LUSTRE, input: /^perUnitStorageThroughput$/, values: ["storage.perUnitStorageThroughputMBpsPerTiB"] },
  { type: LUSTRE, input: /^storageCapacity$/, values: ["storage.storageCapacityGiB"] },
  { type: LUSTRE, input: /^efaConfiguration|^efaEnabled$/, values: ["storage.efaEnabled"] },
  { type: LUSTRE, input: /^metadataConfiguration/, values: ["storage.metadata.iops"] },
  { type: LUSTRE, input: /^subnetIds/, values: ["storage.subnet"] },
  { type: LUSTRE, values: ["storage.storageCapacityGiB", "storage.subnet"] },
  { type: NODE_GROUP, input: /^scalingConfig\./, values: ["nodeGroups.{group}.nodes"] },
  { type: NODE_GROUP, input: /^(version|releaseVersion)$/, values: [K8S_VERSION] },
  { type: NODE_GROUP, values: ["nodeGroups.{group}"] },
  { type: LAUNCH_TEMPLATE, values: ["pools.{pool}.nodes"] },
  { type: LAUNCH_TEMPLATE, input: /^(imageId|userData)$/, values: ["pools.{pool}.amiParameter", K8S_VERSION] },
  { type: "aws:eks/cluster:Cluster", input: /^version$/, values: [K8S_VERSION] },
  { type: "aws:eks/addon:Addon", input: /^addonVersion$/, values: [K8S_VERSION] },
  { type: "aws:eks/addon:Addon", input: /^configurationValues$/, values: FACTORY_GPUS },
  { type: "*", typePattern: CLUSTER_QUEUE, input: /nominalQuota$/, values: ["tenants.{tenant}.gpuQuota", ...FACTORY_GPUS] },
  { type: "*", typePattern: CLUSTER_QUEUE, input: /lendingLimit$/, values: ["tenants.{tenant}.lendingLimitGpus", "tenants.{tenant}.gpuQuota", ...FACTORY_GPUS] },
  { type: "*", typePattern: CLUSTER_QUEUE, input: /borrowingLimit$/, values: ["tenants.{tenant}.borrowingLimitGpus", ...FACTORY_GPUS] },
  { type: "*", typePattern: /:Cohort$/, input: /nominalQuota$/, values: FACTORY_GPUS },
  { type: "kubernetes:core/v1:ResourceQuota", input: /^spec\.hard/, values: ["tenants.{tenant}.gpuQuota", ...FACTORY_GPUS] },
  { type: "*", typePattern: /:PersistentVolume(Claim)?$/, input: /lustre-share/, values: ["storage.storageCapacityGiB", "tenants.{tenant}.share"] },
  { type: "kubernetes:batch/v1:CronJob", input: /command/, values: ["storage.storageCapacityGiB", "tenants.{tenant}.share"] },
  { type: "kubernetes:batch/v1:CronJob", input: /env/, values: ["tenants.{tenant}.share", "tenants.{tenant}.gpuQuota"] },
  { type: "kubernetes:helm.sh/v3:Release", input: /^values\.nodesets\.(?<pool>[^.[]+)\./, values: ["pools.{pool}.nodes"] },
  { type: "kubernetes:helm.sh/v3:Release", input: /^values\./, values: FACTORY_GPUS },
  { type: "*", tenant: true, values: ["tenants.{tenant}"] },
];

const CARRIED: ReadonlySet<string> = new Set(CARRIERS.map((c) => c.type));

/** The carriers of a resource type for one changed input (or, with none, for the resource itself). */
export function carriersOf(type: string, input: string | undefined): (Carrier & { match?: RegExpExecArray })[] {
  // Most inputs are carried by nothing: the types no carrier names are passed over at once.
  if (!CARRIED.has(type) && !CARRIERS.some((c) => c.type === "*" && (!c.typePattern || c.typePattern.test(type)))) return [];
  const out: (Carrier & { match?: RegExpExecArray })[] = [];
  for (const c of CARRIERS) {
    const typeMatches = c.type === type || (c.type === "*" && (c.typePattern ? c.typePattern.test(type) : true));
    if (!typeMatches) continue;
    if (input === undefined) {
      if (c.input === undefined) out.push(c);
      continue;
    }
    if (c.input === undefined) continue;
    const match = c.input.exec(input);
    if (match) out.push({ ...c, match });
  }
  return out;
}
