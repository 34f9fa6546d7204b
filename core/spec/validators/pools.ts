import { INSTANCE_TYPE_NAMES, instanceType } from "../../catalog/instances";
import { regionsOffering } from "../../catalog/regions";
import type { InstanceType, Region } from "../../catalog/types";
import { didYouMean, oxford } from "../did-you-mean";
import { error, warning } from "../findings";
import { specPath } from "../paths";
import type { Finding, PoolInput } from "../schema";
import { isAvailabilityZoneId, parseAvailabilityZoneId } from "../reservations";
import { poolPath, type SpecCheck } from "./context";

// Each pool: a type the catalog knows and can wire, offered in the region, sized once (nodes or gpus),
// in one availability zone of the region, with no more pods per node than the CNI and EKS allow.

/** Managed node groups cap max pods at 250 on types with >= 30 vCPUs, 110 below (docs/sources.md#eks-max-pods [P]). */
export const MNG_MAX_PODS = 250;
const MNG_MAX_PODS_SMALL = 110;
const MNG_SMALL_VCPUS = 30;

/**
 * Fewer pods than this leaves a GPU node no room beyond its system daemonsets: aws-node, kube-proxy,
 * pod identity agent, EFA and NVIDIA device plugins, GPU feature discovery, DCGM exporter, NFD worker,
 * FSx and EBS CSI nodes, node exporter, log agent, slurmd (~13), plus a training pod and its sidecar
 * [U: project estimate from the add-ons the factory installs].
 */
export const MIN_PODS_PER_GPU_NODE = 16;

/** Most pods a node of this type may run in this CNI mode: the MNG cap, and card 0's addresses in secondary-ip mode. */
export function maxPodsAllowed(type: InstanceType, podAddressing: "prefix-delegation" | "secondary-ip"): number {
  const mngCap = type.vcpus >= MNG_SMALL_VCPUS ? MNG_MAX_PODS : MNG_MAX_PODS_SMALL;
  // In secondary-ip mode each pod takes an address of network card 0 (CNI eni-max-pods, docs/sources.md#vpc-cni-max-pods [P]).
  return podAddressing === "secondary-ip" ? Math.min(mngCap, type.defaultMaxPods) : mngCap;
}

/** Newest first: the catalog lists types oldest first. */
function newestFirst(names: readonly string[]): string[] {
  return [...names].sort((a, b) => INSTANCE_TYPE_NAMES.indexOf(b) - INSTANCE_TYPE_NAMES.indexOf(a));
}

/** What to use instead of a type the region does not offer: offered types with at least its fabric, or regions that offer it. */
export function offeringHint(typeName: string, region: Region): string {
  const wanted = instanceType(typeName);
  const offered = newestFirst(region.offeredInstanceTypes);
  const comparable = offered.filter((o) => {
    const t = instanceType(o);
    return wanted && t && t.accelerator === wanted.accelerator && t.networkGbps >= wanted.networkGbps;
  });
  const alternatives = comparable.length > 0 ? comparable : offered;
  const elsewhere = regionsOffering(typeName).filter((r) => r !== region.name);
  const otherRegion = elsewhere.length > 0 ? `a region that offers ${typeName}: ${elsewhere.join(", ")}` : "another region";
  return alternatives.length > 0 ? `use ${oxford(alternatives)}, or choose ${otherRegion}` : `${region.name} offers no accelerated instance type; choose ${otherRegion}`;
}

function checkInstanceType(name: string, pool: PoolInput, region: Region | undefined): Finding[] {
  const path = poolPath(name, "instanceType");
  const type = instanceType(pool.instanceType);
  if (!type) {
    return [error(path, `unknown instance type ${pool.instanceType}`, `${didYouMean(pool.instanceType, INSTANCE_TYPE_NAMES)}known types: ${INSTANCE_TYPE_NAMES.join(", ")}`)];
  }
  const findings: Finding[] = [];
  if (region && !region.offeredInstanceTypes.includes(type.name)) {
    findings.push(error(path, `${type.name} is not offered in ${region.name}`, offeringHint(type.name, region)));
  }
  if (type.efaLayout === null || type.networkCards === null || type.interfacesPerCard === null) {
    const wireable = newestFirst(INSTANCE_TYPE_NAMES.filter((n) => instanceType(n)?.efaLayout));
    findings.push(
      error(
        path,
        `the catalog does not know how ${type.name} lays out its network cards for EFA, so its launch template cannot be wired`,
        `use a type whose EFA layout is known: ${wireable.join(", ")}`,
      ),
    );
  }
  return findings;
}

function checkSize(name: string, pool: PoolInput): Finding[] {
  const type = instanceType(pool.instanceType);
  if (pool.nodes !== undefined && pool.gpus !== undefined) {
    return [error(poolPath(name, "gpus"), `pool ${name} gives both nodes (${pool.nodes}) and gpus (${pool.gpus})`, "keep one of them: the other follows from the instance type")];
  }
  if (pool.nodes === undefined && pool.gpus === undefined) {
    const blocks = pool.capacity?.source === "capacity-block" ? pool.capacity.blocks.reduce((n, b) => n + b.instances, 0) : undefined;
    return [
      error(
        poolPath(name),
        `pool ${name} gives neither nodes nor gpus`,
        blocks !== undefined ? `add nodes: ${blocks} (the instances of its capacity blocks)` : `add nodes: N or gpus: N${type ? ` (a multiple of ${type.gpus})` : ""}`,
      ),
    ];
  }
  if (pool.gpus !== undefined && type && pool.gpus % type.gpus !== 0) {
    const below = Math.floor(pool.gpus / type.gpus) * type.gpus;
    const above = below + type.gpus;
    return [
      error(
        poolPath(name, "gpus"),
        `${pool.gpus} GPUs is not a whole number of ${type.name} nodes (${type.gpus} GPUs each)`,
        below > 0 ? `use ${below} or ${above} GPUs, or give nodes instead` : `use ${above} GPUs, or give nodes instead`,
      ),
    ];
  }
  return [];
}

function checkAvailabilityZone(name: string, pool: PoolInput, region: Region | undefined): Finding[] {
  if (pool.availabilityZone !== undefined && pool.availabilityZoneId !== undefined) {
    return [error(poolPath(name, "availabilityZoneId"), `pool ${name} gives both availabilityZone and availabilityZoneId`, "keep one: availabilityZoneId where the pool runs on reservations AWS has delivered, else either")];
  }
  if (pool.availabilityZoneId !== undefined) {
    const parsed = parseAvailabilityZoneId(pool.availabilityZoneId, region);
    return parsed.ok ? [] : [error(poolPath(name, "availabilityZoneId"), parsed.problem, parsed.hint)];
  }
  if (pool.availabilityZone === undefined) {
    return [error(poolPath(name), `pool ${name} names no zone`, `add availabilityZoneId: (the AZ ID its capacity is in)${region ? `, one of ${region.availabilityZoneIds.join(", ")}` : ""}, or availabilityZone: a zone's name`)];
  }
  if (!region || region.availabilityZones.includes(pool.availabilityZone)) return [];
  const looksLikeId = isAvailabilityZoneId(pool.availabilityZone);
  return [
    error(
      poolPath(name, "availabilityZone"),
      `${pool.availabilityZone} is not an availability zone of ${region.name}`,
      `${looksLikeId ? "an AZ ID goes under availabilityZoneId; " : ""}${didYouMean(pool.availabilityZone, region.availabilityZones)}zones of ${region.name}: ${region.availabilityZones.join(", ")}`,
    ),
  ];
}

function checkMaxPods(name: string, pool: PoolInput, check: SpecCheck): Finding[] {
  const type = instanceType(pool.instanceType);
  if (!type) return [];
  const mode = check.spec.network.podAddressing;
  const allowed = maxPodsAllowed(type, mode);
  const why = mode === "secondary-ip" && allowed < MNG_MAX_PODS ? `network card 0 of ${type.name} has addresses for ${allowed} pods in secondary-ip mode` : `EKS managed node groups allow at most ${allowed} pods per node`;
  if (pool.maxPodsPerNode !== undefined) {
    const path = poolPath(name, "maxPodsPerNode");
    if (pool.maxPodsPerNode > allowed) return [error(path, `${pool.maxPodsPerNode} pods per node is more than ${type.name} allows: ${why}`, `use ${allowed} or fewer${mode === "secondary-ip" ? ", or podAddressing: prefix-delegation" : ""}`)];
    if (pool.maxPodsPerNode < MIN_PODS_PER_GPU_NODE) return [lowPods(path, pool.maxPodsPerNode)];
    return [];
  }
  const inherited = check.spec.network.maxPodsPerNode;
  // Above the MNG cap the network-wide value is reported once, by the network validator.
  if (inherited > allowed && allowed < MNG_MAX_PODS) {
    return [
      error(
        specPath("network", "maxPodsPerNode"),
        `pool ${name} inherits ${inherited} pods per node, more than ${type.name} allows: ${why}`,
        `set pools.${name}.maxPodsPerNode to ${allowed} or fewer, or use podAddressing: prefix-delegation`,
      ),
    ];
  }
  return [];
}

export function lowPods(path: string, pods: number): Finding {
  return warning(
    path,
    `${pods} pods per node leaves little room beside the ~13 system daemonsets a GPU node runs`,
    `use at least ${MIN_PODS_PER_GPU_NODE}, or the training pod may not be scheduled`,
  );
}

export function validatePools(check: SpecCheck): Finding[] {
  const pools = Object.entries(check.input.pools ?? {});
  if (pools.length === 0 && check.declaredPools.size === 0) {
    return [error(specPath("pools"), "the factory has no GPU pool", "add pools: with at least one pool, e.g. train: { instanceType: p5en.48xlarge, nodes: 32, availabilityZone: eu-north-1a }")];
  }
  return pools.flatMap(([name, pool]) => [
    ...checkInstanceType(name, pool, check.region),
    ...checkSize(name, pool),
    ...checkAvailabilityZone(name, pool, check.region),
    ...checkMaxPods(name, pool, check),
  ]);
}
