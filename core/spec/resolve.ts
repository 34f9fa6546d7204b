import { instanceType } from "../catalog/instances";
import { serviceQuota } from "../catalog/quotas";
import { PRESET_DEFAULTS, defaultSystemAvailabilityZones } from "./presets";
import { DNS_LABEL } from "./schema";
import type { CapacitySpec, FactoryInput, FactorySpec, PoolInput, PoolSpec, TenantInput, TenantSpec } from "./schema";

// Apply the preset to a parsed document: every field of FactorySpec present, nothing decided twice.
// Total on any FactoryInput (a pool without a size resolves to 0 nodes), so validators can read the result
// even while they report what is wrong with it.

export interface ResolveContext {
  region: string;
  stack: string;
  /** Tenants read from the spec's tenantsFile; the spec's own tenants win on a name both define. */
  fileTenants?: Record<string, TenantInput>;
}

// The schema allows a factory name of at most 24 characters (it prefixes AWS names that have their own limits).
const FACTORY_NAME_MAX = 24;

/** The factory's name when the spec gives none: the stack's, made a DNS label. */
export function defaultFactoryName(stack: string): string {
  const label = stack
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, FACTORY_NAME_MAX)
    .replace(/-+$/, "");
  return DNS_LABEL.test(label) ? label : "gigafactory";
}

/** Nodes of a pool: as given, from its GPUs, or from its capacity blocks; 0 when none says. */
export function poolNodes(pool: PoolInput): number {
  if (pool.nodes !== undefined) return pool.nodes;
  const perNode = instanceType(pool.instanceType)?.gpus;
  if (pool.gpus !== undefined) return perNode ? Math.ceil(pool.gpus / perNode) : 0;
  if (pool.capacity?.source === "capacity-block") return pool.capacity.blocks.reduce((n, b) => n + b.instances, 0);
  return 0;
}

/**
 * Capacity Blocks and delivered reservations come placed by AWS (a placement group made afterwards holds none of their
 * capacity: docs/sources.md#ec2-capacity-reservations-in-placement-groups [P]); spot capacity is too scattered for one.
 * Reservations the stack creates are made inside the group's.
 */
export function defaultPlacement(capacity: CapacitySpec): PoolSpec["placement"] {
  if (capacity.source === "odcr") return capacity.reservations === undefined ? "cluster" : "none";
  return capacity.source === "on-demand" ? "cluster" : "none";
}

/** The nodes a managed node group holds at most (L-BD136A63, a hard limit: core/catalog/quotas.ts). */
export function nodesPerNodeGroupLimit(): number {
  const q = serviceQuota("eks.nodes-per-managed-node-group");
  return q.ceiling ?? q.defaultValue;
}

/** Units per node group when the spec names none: the preset's most, fewer where units are large (a fixed rule of the unit size). */
export function defaultUnitsPerNodeGroup(presetMost: number, unitNodes: number): number {
  return Math.max(1, Math.min(presetMost, Math.floor(nodesPerNodeGroupLimit() / Math.max(1, unitNodes))));
}

/** A tenant may run on a pool when the pool admits it and the tenant asks for the pool (either unset = all). */
export function tenantMayUse(pool: PoolInput, poolName: string, tenant: TenantInput, tenantName: string): boolean {
  return (pool.tenants === undefined || pool.tenants.includes(tenantName)) && (tenant.pools === undefined || tenant.pools.includes(poolName));
}

/** The spec's tenants, then the file's that the spec does not also define (that clash is an error elsewhere). */
export function mergedTenants(input: FactoryInput, fileTenants: Record<string, TenantInput> | undefined): Record<string, TenantInput> {
  const out: Record<string, TenantInput> = { ...(input.tenants ?? {}) };
  for (const [name, t] of Object.entries(fileTenants ?? {})) if (!Object.hasOwn(out, name)) out[name] = t;
  return out;
}

export function resolveSpec(input: FactoryInput, ctx: ResolveContext): FactorySpec {
  const d = PRESET_DEFAULTS[input.preset];
  const costCenter = input.costCenter ?? d.costCenter;
  const dataClassification = input.dataClassification ?? d.dataClassification;
  const network = input.network ?? {};
  const maxPodsPerNode = network.maxPodsPerNode ?? d.network.maxPodsPerNode;
  const poolInputs = input.pools ?? {};
  const unitNodes = input.scalableUnit?.nodes ?? d.scalableUnit.nodes;
  const tenantInputs = mergedTenants(input, ctx.fileTenants);

  const pools: Record<string, PoolSpec> = {};
  for (const [name, p] of Object.entries(poolInputs)) {
    const capacity: CapacitySpec = p.capacity ?? { source: d.capacitySource };
    pools[name] = {
      instanceType: p.instanceType,
      nodes: poolNodes(p),
      availabilityZone: p.availabilityZoneId ?? p.availabilityZone ?? "",
      capacity,
      placement: p.placement ?? defaultPlacement(capacity),
      maxPodsPerNode: p.maxPodsPerNode ?? maxPodsPerNode,
      tenants: Object.entries(tenantInputs)
        .filter(([t, ti]) => tenantMayUse(p, name, ti, t))
        .map(([t]) => t),
      labels: p.labels ?? {},
      slurm: { ...(p.slurm?.realMemoryMiB !== undefined ? { realMemoryMiB: p.slurm.realMemoryMiB } : {}), coreSpecCount: p.slurm?.coreSpecCount ?? 0 },
      image: { release: p.image?.release ?? input.kubernetes?.image?.release ?? d.kubernetes.image.release },
      rollout: {
        ...(p.rollout?.waveUnits !== undefined ? { waveUnits: p.rollout.waveUnits } : {}),
        ...(p.rollout?.wavePercent !== undefined ? { wavePercent: p.rollout.wavePercent } : {}),
        soakMinutes: p.rollout?.soakMinutes ?? d.rollout.soakMinutes,
        ...(p.rollout?.maxUnavailable !== undefined ? { maxUnavailable: p.rollout.maxUnavailable } : {}),
        ...(p.rollout?.wave !== undefined ? { wave: p.rollout.wave } : {}),
      },
    };
  }

  const gpusOf = (poolName: string) => pools[poolName].nodes * (instanceType(pools[poolName].instanceType)?.gpus ?? 0);
  const tenants: Record<string, TenantSpec> = {};
  for (const [name, t] of Object.entries(tenantInputs)) {
    const usable = Object.keys(pools).filter((p) => tenantMayUse(poolInputs[p], p, t, name));
    const usableGpus = usable.reduce((n, p) => n + gpusOf(p), 0);
    tenants[name] = {
      gpuQuota: t.gpuQuota,
      priority: t.priority ?? d.tenantPriority,
      costCenter: t.costCenter ?? costCenter,
      dataClassification: t.dataClassification ?? dataClassification,
      pools: usable,
      // By default a tenant borrows whatever is idle in its pools and lends all of its quota while idle:
      // the fair share of the whole machine that small tenants rely on.
      borrowingLimitGpus: t.borrowingLimitGpus ?? Math.max(0, usableGpus - t.gpuQuota),
      lendingLimitGpus: t.lendingLimitGpus ?? t.gpuQuota,
      ...(t.contact !== undefined ? { contact: t.contact } : {}),
      users: (t.users ?? []).map((u) => ({ name: u.name, uid: u.uid, sshKeys: u.sshKeys ?? [] })),
    };
  }

  const checkpoint = input.storage?.checkpoint ?? {};
  return {
    preset: input.preset,
    name: input.name ?? defaultFactoryName(ctx.stack),
    region: ctx.region,
    costCenter,
    dataClassification,
    scalableUnit: {
      nodes: unitNodes,
      unitsPerNodeGroup: input.scalableUnit?.unitsPerNodeGroup ?? defaultUnitsPerNodeGroup(d.scalableUnit.maxUnitsPerNodeGroup, unitNodes),
    },
    pools,
    network: {
      vpcCidrs: network.vpcCidrs ?? [...d.network.vpcCidrs],
      podAddressing: network.podAddressing ?? d.network.podAddressing,
      maxPodsPerNode,
      systemAvailabilityZones: network.systemAvailabilityZones ?? defaultSystemAvailabilityZones(ctx.region, d.network.systemAvailabilityZoneCount),
      natGateway: network.natGateway ?? d.network.natGateway,
      flowLogRetentionDays: network.flowLogRetentionDays ?? d.network.flowLogRetentionDays,
    },
    access: {
      runner: {
        enabled: input.access?.runner?.enabled ?? d.access.runner.enabled,
        timeoutMinutes: input.access?.runner?.timeoutMinutes ?? d.access.runner.timeoutMinutes,
        ...(input.access?.runner?.state ? { state: { ...input.access.runner.state } } : {}),
      },
      operatorCidrs: [...(input.access?.operatorCidrs ?? d.access.operatorCidrs)],
      operatorSecurityGroupIds: [...(input.access?.operatorSecurityGroupIds ?? d.access.operatorSecurityGroupIds)],
      publicEndpointCidrs: [...(input.access?.publicEndpointCidrs ?? d.access.publicEndpointCidrs)],
    },
    storage: {
      checkpoint: {
        modelParameters: checkpoint.modelParameters ?? d.storage.checkpoint.modelParameters,
        bytesPerParameter: checkpoint.bytesPerParameter ?? d.storage.checkpoint.bytesPerParameter,
        seconds: checkpoint.seconds ?? d.storage.checkpoint.seconds,
        keep: checkpoint.keep ?? d.storage.checkpoint.keep,
      },
      datasetTB: input.storage?.datasetTB ?? d.storage.datasetTB,
      readMBpsPerGpu: input.storage?.readMBpsPerGpu ?? d.storage.readMBpsPerGpu,
      ...(input.storage?.datasetFiles !== undefined ? { datasetFiles: Math.ceil(input.storage.datasetFiles) } : {}),
      lustre: { ...(input.storage?.lustre ?? {}) },
    },
    priorities: { ...d.priorities, ...(input.priorities ?? {}) },
    tenants,
    kubernetes: {
      version: input.kubernetes?.version ?? d.kubernetes.version,
      image: { release: input.kubernetes?.image?.release ?? d.kubernetes.image.release },
    },
    // No directory unless the spec names one: the tenants' users alone are the identity source.
    slurm: { identity: input.slurm?.identity?.sssd ? { sssd: { secretArn: input.slurm.identity.sssd.secretArn.trim() } } : {} },
    quotas: { requestIncreases: input.quotas?.requestIncreases ?? false },
    tags: { ...(input.tags ?? {}) },
  };
}
