import type { FactorySpec, Finding } from "../spec/schema";
import { instanceType, partitionOf, type InstanceType } from "../catalog";
import type { Blueprint, GpuNodeGroupPlan, PoolPlan, ScalableUnitPlan } from "./types";
import { planAccess } from "./access";
import { planAddressing } from "./addressing";
import { planCharts } from "./charts";
import { planCluster } from "./cluster";
import { planDirectory } from "./directory";
import { perMonth, poolCost } from "./cost";
import { planFabric } from "./fabric";
import { error, warning } from "../spec/findings";
import { specPath } from "../spec/paths";
import { formatCount, round } from "./figures";
import { sizingProvenance } from "./provenance";
import { poolTenancy } from "./labels";
import { groupLaunch, poolNodeSettings } from "./launch";
import { lustreAnchor, planLustreSubnet } from "./lustre-subnet";
import { planNodeGroups } from "./node-groups";
import { planPoolRollout } from "./rollout";
import { addressesPerNode, card0PodInterfaces, IPV4_ADDRESSES_PER_INTERFACE, podInterfaces } from "./pods";
import { poolPowerKW, totalPowerKW } from "./power";
import { planProtection } from "./protection";
import { planQuotas } from "./quotas";
import { dnsSuffixOf } from "./region";
import { planStorage } from "./storage";
import { planSystem } from "./system";
import { planTenants } from "./tenants";
import { planTopology } from "./topology";
import { planPoolUnits } from "./units";

export type * from "./types";

interface ResolvedPool {
  name: string;
  spec: FactorySpec["pools"][string];
  type: InstanceType;
}

/**
 * The sizing of a factory, a pure function of its spec: scalable units, subnets, fabric, topology,
 * storage, tenants, service quotas, power and cost. Errors in `findings` mean the blueprint must not be
 * provisioned (it still carries every figure that could be computed, for the report).
 */
export function buildBlueprint(spec: FactorySpec): { blueprint: Blueprint; findings: Finding[] } {
  const findings: Finding[] = [];
  const pools: ResolvedPool[] = [];
  for (const [name, pool] of Object.entries(spec.pools)) {
    const type = instanceType(pool.instanceType);
    if (type) pools.push({ name, spec: pool, type });
    else findings.push(error(specPath("pools", name, "instanceType"), `${pool.instanceType} is not in the catalog`, "use a type the catalog knows, such as p5en.48xlarge"));
  }

  const unitNodes = spec.scalableUnit.nodes;
  const mode = spec.network.podAddressing;
  const planned = pools.map((p) => {
    const units = planPoolUnits(spec.name, p.name, p.spec, unitNodes);
    findings.push(...units.findings);
    return { ...p, ...units, addressesPerNode: addressesPerNode(mode, p.spec.maxPodsPerNode) };
  });
  for (const p of planned) findings.push(...podCapacityFindings(p.name, p.type, mode, p.spec.maxPodsPerNode));

  const system = planSystem(spec, planned.reduce((s, p) => s + p.spec.nodes, 0));
  const allUnits: ScalableUnitPlan[] = planned.flatMap((p) => p.units);
  const addressing = planAddressing({
    vpcCidrs: spec.network.vpcCidrs,
    podAddressing: mode,
    natGateway: spec.network.natGateway,
    system,
    units: allUnits,
    pools: new Map(
      planned.map((p) => [
        p.name,
        { addressesPerNode: p.addressesPerNode, maxPodsPerNode: p.spec.maxPodsPerNode, largestUnitNodes: p.units.reduce((m, u) => Math.max(m, u.nodes), 0) },
      ]),
    ),
  });
  findings.push(...addressing.findings);
  for (const u of allUnits) u.subnet = addressing.unitSubnets.get(u.name) ?? "";
  const grouping = planNodeGroups(spec.name, allUnits, system.nodeGroups, unitNodes, spec.scalableUnit.unitsPerNodeGroup);
  findings.push(...grouping.findings);

  const poolGpus = new Map(planned.map((p) => [p.name, p.spec.nodes * p.type.gpus]));
  const totalGpus = [...poolGpus.values()].reduce((s, g) => s + g, 0);
  const tenancy = planTenants(spec, poolGpus, totalGpus);
  findings.push(...tenancy.findings);

  const groupsOfPool = new Map<string, GpuNodeGroupPlan[]>();
  for (const g of grouping.groups) groupsOfPool.set(g.pool, [...(groupsOfPool.get(g.pool) ?? []), g]);
  const estimates: string[] = [];
  const poolPlans: PoolPlan[] = planned.map((p) => {
    const rollout = planPoolRollout(p.name, p.spec.rollout, groupsOfPool.get(p.name) ?? [], p.units.length, spec.scalableUnit.unitsPerNodeGroup);
    findings.push(...rollout.findings);
    const cost = poolCost(p.name, p.type.name, spec.region, p.spec.nodes, p.spec.capacity);
    estimates.push(...cost.estimates);
    return {
      name: p.name,
      instanceType: p.type.name,
      gpuModel: p.type.gpuModel,
      availabilityZone: p.spec.availabilityZone,
      nodes: p.spec.nodes,
      gpusPerNode: p.type.gpus,
      gpus: p.spec.nodes * p.type.gpus,
      capacity: p.spec.capacity,
      placement: p.placement,
      unitNodes,
      units: p.units.map((u) => u.name),
      maxPodsPerNode: p.spec.maxPodsPerNode,
      addressesPerNode: p.addressesPerNode,
      efaInterfacesPerNode: p.type.efaInterfaces,
      networkGbpsPerNode: p.type.networkGbps,
      powerKW: poolPowerKW(p.spec.nodes, p.type.powerKW),
      costPerHourEUR: cost.costPerHourEUR,
      tenants: tenancy.poolTenants.get(p.name) ?? [],
      tenancy: poolTenancy(tenancy.poolTenants.get(p.name) ?? []),
      ...poolNodeSettings(p.type, { imageRelease: p.spec.image.release, podAddressing: mode, maxPodsPerNode: p.spec.maxPodsPerNode }),
      rollout: rollout.plan,
      hostnamePrefix: p.name,
      hostnameDigits: p.hostnameDigits,
      slurm: p.spec.slurm,
    };
  });

  const poolByName = new Map(poolPlans.map((p) => [p.name, p]));
  // Each group's units looked up once: a factory of thousands of groups stays linear.
  const unitsOfGroup = new Map<string, ScalableUnitPlan[]>();
  for (const u of allUnits) {
    if (!u.nodeGroup) continue;
    const units = unitsOfGroup.get(u.nodeGroup);
    if (units) units.push(u);
    else unitsOfGroup.set(u.nodeGroup, [u]);
  }
  for (const g of grouping.groups) {
    const pool = poolByName.get(g.pool);
    const launch = pool ? groupLaunch(pool, g, spec.pools[g.pool].labels) : null;
    for (const u of unitsOfGroup.get(g.name) ?? []) u.launch = launch;
  }

  // The file system sits with a pool, the one pinned or the one with the most GPUs: clients in other AZs pay cross-AZ latency.
  const anchor = lustreAnchor(poolPlans, spec.storage.lustre?.nextToPool);
  findings.push(...anchor.findings);
  const largest = anchor.pool;
  const storageZone = largest?.availabilityZone ?? spec.network.systemAvailabilityZones[0] ?? "";
  const lustreSubnet = planLustreSubnet(addressing.network.subnets, storageZone, largest?.name);
  findings.push(...lustreSubnet.findings);
  const storage = planStorage({ storage: spec.storage, totalGpus, availabilityZone: storageZone, subnet: lustreSubnet.subnet });
  findings.push(...storage.findings);

  const quotas = planQuotas({
    pools: planned.map((p) => ({ name: p.name, type: p.type, nodes: p.spec.nodes, capacity: p.spec.capacity, maxPodsPerNode: p.spec.maxPodsPerNode })),
    units: allUnits,
    nodeGroups: grouping.groups,
    system,
    podAddressing: mode,
    vpcCidrBlocks: spec.network.vpcCidrs.length,
    subnets: addressing.network.subnets.length,
    tenants: Object.keys(spec.tenants).length,
    directory: spec.slurm.identity.sssd !== undefined,
    lustreCapacityGiB: storage.storage.storageCapacityGiB,
  });
  findings.push(...quotas.findings);

  const costPerHourEUR = round(poolPlans.reduce((s, p) => s + p.costPerHourEUR, 0), 2);
  estimates.push(
    "power: the catalog's maximum draw per node (DGX H100 ~10.2 kW [S]; other types [S]/[U]), IT load before cooling",
    "storage: FSx for Lustre PERSISTENT_2 list prices per TiB-month [U]",
    "cost per month: 730 hours of every GPU node plus the Lustre file system",
  );

  const charts = planCharts(spec.kubernetes.version, poolPlans);
  findings.push(...charts.findings);

  const nodes = poolPlans.reduce((s, p) => s + p.nodes, 0);
  const blueprint: Blueprint = {
    factory: spec.name,
    region: spec.region,
    partition: partitionOf(spec.region),
    dnsSuffix: dnsSuffixOf(spec.region),
    totalGpus,
    nodes,
    scalableUnits: allUnits.length,
    pools: poolPlans,
    units: allUnits,
    nodeGroups: grouping.groups,
    network: addressing.network,
    fabric: planFabric(planned.map((p) => ({ pool: p.name, nodes: p.spec.nodes, unitNodes, efaInterfacesPerNode: p.type.efaInterfaces, networkGbpsPerNode: p.type.networkGbps }))),
    topology: planTopology(spec.name, planned.map((p) => ({ name: p.name, availabilityZone: p.spec.availabilityZone, networkNodeLayers: p.type.networkNodeLayers, units: p.units }))),
    storage: storage.storage,
    tenants: tenancy.tenants,
    ...(planDirectory(spec) ? { directory: planDirectory(spec) } : {}),
    provenance: sizingProvenance(spec),
    quotas: quotas.quotas,
    system,
    cluster: planCluster(spec.network.vpcCidrs, nodes + system.maxNodes),
    charts: charts.charts,
    access: planAccess(spec, addressing.network),
    protection: planProtection(spec.preset),
    powerKW: totalPowerKW(poolPlans),
    costPerHourEUR,
    costPerMonthEUR: round(perMonth(costPerHourEUR) + storage.storage.costPerMonthEUR, 2),
    estimates,
  };
  return { blueprint, findings };
}

/** Secondary-ip mode: the pods' addresses must fit on the interfaces network card 0 leaves (docs/sources.md#vpc-cni [P]). */
function podCapacityFindings(pool: string, type: InstanceType, mode: FactorySpec["network"]["podAddressing"], maxPods: number): Finding[] {
  const available = card0PodInterfaces(type);
  if (available === undefined || podInterfaces(mode, maxPods) <= available) return [];
  const fit = available * (IPV4_ADDRESSES_PER_INTERFACE - 1);
  return [
    warning(
      specPath("pools", pool, "maxPodsPerNode"),
      `${maxPods} pods per ${type.name} node need ${podInterfaces(mode, maxPods)} interfaces on network card 0 in ${mode} mode; the card leaves ${available} (about ${formatCount(fit)} addresses)`,
      mode === "secondary-ip" ? "set network.podAddressing to prefix-delegation, or lower maxPodsPerNode" : "lower maxPodsPerNode",
    ),
  ];
}
