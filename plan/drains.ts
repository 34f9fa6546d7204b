import { MINUTES_PER_BATCH } from "../core/catalog/node-updates";
import { DEFAULT_PARTITION } from "../core/render/slurm/names";
import { error } from "../core/spec/findings";
import { specPath } from "../core/spec/paths";
import type { Finding } from "../core/spec/schema";
import { stableStringify, type PlanSnapshot, type SnapshotResource } from "./snapshot";

// What a change does to running jobs: which GPU node groups replace their nodes, in which of their pool's waves,
// which tenants' queues lose the capacity meanwhile, and about how long it takes. Read from two plans of one stack.
//
// A node group replaces its nodes when the launch template version it runs changes: its template got a new version
// and the group follows the newest, or the group moves from the default version to the newest (its wave came), or
// its own release or version moved, or it is replaced outright.

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
// Inputs of a launch template that make no new version, or none a node runs (terraform-provider-aws ec2_launch_template.go).
const TEMPLATE_INPUTS_WITHOUT_NODES = new Set(["updateDefaultVersion", "defaultVersion", "description", "tags", "tagsAll"]);
const NODE_GROUP_INPUTS_REPLACING_NODES = ["launchTemplate", "releaseVersion", "version", "amiType", "instanceTypes", "subnetIds", "nodeGroupName", "capacityType", "diskSize"];

export interface DrainedGroup {
  name: string;
  pool: string;
  wave: number;
  nodes: number;
  units: number;
  gpus: number;
  maxUnavailable: number;
  /** About how long the group takes: its batches of maxUnavailable nodes, each drained then booted. */
  minutes: number;
  why: string;
}

export interface PoolDrain {
  pool: string;
  nodeGroups: DrainedGroup[];
  nodes: number;
  gpus: number;
  units: number;
  /** The pool's waves this change drains, and how many waves the pool has. */
  waves: number[];
  wavesInPool: number;
  /** The most units the spec lets one wave drain. */
  waveUnits: number;
  soakMinutes: number;
  /** Kueue ClusterQueues (one per tenant) whose nominal capacity sits on the pool. */
  clusterQueues: string[];
  /** Slurm partitions over the pool's nodes. */
  partitions: string[];
  minutes: number;
}

export interface DrainAnalysis {
  pools: PoolDrain[];
  nodes: number;
  gpus: number;
  units: number;
  nodeGroups: number;
  /** Waves across pools: the most waves any one pool drains in this change. */
  waves: number;
  /** Node groups update side by side within one `pulumi up`: the longest group's time. */
  minutes: number;
  /** A pool that drains more units in this change than a wave may: exit 2 at the pool's rollout. */
  findings: Finding[];
}

interface BlueprintGroup { name: string; pool: string; units: string[]; nodes: number; wave?: number; launchTemplateVersion?: string }
interface BlueprintPool { name: string; gpusPerNode: number; rollout?: { waveUnits: number; soakMinutes: number; waves: unknown[]; currentWave: number | null } }
interface BlueprintTenant { name: string; pools: string[] }

function blueprintOf(s: PlanSnapshot): { groups: BlueprintGroup[]; pools: BlueprintPool[]; tenants: BlueprintTenant[] } {
  const b = s.blueprint as { nodeGroups?: BlueprintGroup[]; pools?: BlueprintPool[]; tenants?: BlueprintTenant[] };
  return { groups: b.nodeGroups ?? [], pools: b.pools ?? [], tenants: b.tenants ?? [] };
}

const withoutFields = (inputs: Record<string, unknown>, skip: ReadonlySet<string>) =>
  stableStringify(Object.fromEntries(Object.entries(inputs).filter(([k]) => !skip.has(k))));

/** Why the group replaces its nodes in this change, or null when it does not. */
function drainReason(
  group: BlueprintGroup,
  beforeGroup: BlueprintGroup | undefined,
  resource: SnapshotResource,
  old: SnapshotResource | undefined,
  templates: { before: Map<string, SnapshotResource>; after: Map<string, SnapshotResource> },
): string | null {
  if (!old) return null;
  if (old.urn !== resource.urn) return "node group replaced";
  for (const field of NODE_GROUP_INPUTS_REPLACING_NODES) {
    if (field === "launchTemplate") continue;
    if (stableStringify(old.inputs[field] ?? null) !== stableStringify(resource.inputs[field] ?? null)) return `${field} changed`;
  }
  const follows = group.launchTemplateVersion ?? "latest";
  if (follows === "latest" && (beforeGroup?.launchTemplateVersion ?? "latest") === "default") return "its wave came: the newest launch template version";
  if (stableStringify(old.inputs.launchTemplate ?? null) !== stableStringify(resource.inputs.launchTemplate ?? null)) return "launch template version changed";
  if (follows !== "latest") return null;
  const templateUrn = resource.dependencies.find((d) => templates.after.has(d));
  if (!templateUrn) return null;
  const before = templates.before.get(templateUrn);
  const after = templates.after.get(templateUrn)!;
  if (!before) return "new launch template";
  return withoutFields(before.inputs, TEMPLATE_INPUTS_WITHOUT_NODES) === withoutFields(after.inputs, TEMPLATE_INPUTS_WITHOUT_NODES) ? null : "new launch template version";
}

export function analyseDrains(before: PlanSnapshot, after: PlanSnapshot): DrainAnalysis {
  const b = blueprintOf(before);
  const a = blueprintOf(after);
  const templatesOf = (s: PlanSnapshot) => new Map(s.resources.filter((r) => r.type === LAUNCH_TEMPLATE).map((r) => [r.urn, r]));
  const templates = { before: templatesOf(before), after: templatesOf(after) };
  const groupResource = (s: PlanSnapshot) => new Map(s.resources.filter((r) => r.type === NODE_GROUP).map((r) => [String(r.inputs.nodeGroupName), r]));
  const oldResources = groupResource(before);
  const newResources = groupResource(after);
  const oldGroups = new Map(b.groups.map((g) => [g.name, g]));
  const pools = new Map(a.pools.map((p) => [p.name, p]));

  const drained: DrainedGroup[] = [];
  for (const g of a.groups) {
    const resource = newResources.get(g.name);
    if (!resource) continue;
    const why = drainReason(g, oldGroups.get(g.name), resource, oldResources.get(g.name), templates);
    if (why === null) continue;
    const update = resource.inputs.updateConfig as { maxUnavailable?: number } | undefined;
    const maxUnavailable = Math.max(1, Number(update?.maxUnavailable ?? 1));
    drained.push({
      name: g.name,
      pool: g.pool,
      wave: g.wave ?? 1,
      nodes: g.nodes,
      units: g.units.length,
      gpus: g.nodes * (pools.get(g.pool)?.gpusPerNode ?? 0),
      maxUnavailable,
      minutes: Math.ceil(g.nodes / maxUnavailable) * MINUTES_PER_BATCH,
      why,
    });
  }

  const byPool = new Map<string, DrainedGroup[]>();
  for (const d of drained) byPool.set(d.pool, [...(byPool.get(d.pool) ?? []), d]);
  const findings: Finding[] = [];
  const poolDrains: PoolDrain[] = [...byPool.entries()].map(([pool, groups]) => {
    const plan = pools.get(pool)?.rollout;
    const units = groups.reduce((s, g) => s + g.units, 0);
    const waveUnits = plan?.waveUnits ?? units;
    if (units > waveUnits) findings.push(tooLargeFinding(after, pool, units, waveUnits, plan?.currentWave ?? null));
    return {
      pool,
      nodeGroups: groups,
      nodes: groups.reduce((s, g) => s + g.nodes, 0),
      gpus: groups.reduce((s, g) => s + g.gpus, 0),
      units,
      waves: [...new Set(groups.map((g) => g.wave))].sort((x, y) => x - y),
      wavesInPool: plan?.waves.length ?? 1,
      waveUnits,
      soakMinutes: plan?.soakMinutes ?? 0,
      clusterQueues: a.tenants.filter((t) => t.pools.includes(pool)).map((t) => t.name).sort(),
      partitions: [pool, DEFAULT_PARTITION],
      minutes: groups.reduce((m, g) => Math.max(m, g.minutes), 0),
    };
  });
  poolDrains.sort((x, y) => (x.pool < y.pool ? -1 : 1));
  return {
    pools: poolDrains,
    nodes: poolDrains.reduce((s, p) => s + p.nodes, 0),
    gpus: poolDrains.reduce((s, p) => s + p.gpus, 0),
    units: poolDrains.reduce((s, p) => s + p.units, 0),
    nodeGroups: drained.length,
    waves: poolDrains.reduce((m, p) => Math.max(m, p.waves.length), 0),
    minutes: poolDrains.reduce((m, p) => Math.max(m, p.minutes), 0),
    findings,
  };
}

function tooLargeFinding(after: PlanSnapshot, pool: string, units: number, waveUnits: number, currentWave: number | null): Finding {
  const rollout = ((after.spec as { pools?: Record<string, { rollout?: { wave?: number } }> }).pools ?? {})[pool]?.rollout;
  const underWay = rollout?.wave !== undefined;
  return error(
    underWay ? specPath("pools", pool, "rollout", "wave") : specPath("pools", pool, "rollout"),
    `the change drains ${units} units of pool ${pool} in one \`pulumi up\`; its rollout lets a wave drain at most ${waveUnits}`,
    underWay
      ? `raise rollout.wave by one per change (it is ${rollout?.wave}${currentWave === null ? ", past the last wave" : ""})`
      : "start a rollout with it: set the pool's rollout.wave to 1, then raise it by one per `pulumi up`",
  );
}
