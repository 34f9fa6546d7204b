import { PLUGSTACK_CONF } from "../../catalog/slurmd-image";
import type { Blueprint, PoolPlan } from "../../blueprint/types";
import { renderCgroupConf } from "./cgroup-conf";
import { renderGresConf } from "./gres-conf";
import { formatHostlist } from "../../lib/hostlist";
import { DEFAULT_PARTITION } from "./names";
import { poolInstanceType, slurmNodeShape, type InstanceTypeLookup } from "./node";
import { defaultSlurmSite, renderSlurmConf } from "./slurm-conf";
import { slinkyGatePath } from "../health/slinky-gate";
import { renderTopologyYaml } from "../kubernetes/slinky-topology";

// The Slurm configuration the Slinky charts take. The operator writes slurm.conf itself (hosts, ports,
// authentication, state, the accounting host, the NodeSets) and refuses a slurm.conf of ours
// (internal/webhook/controller_webhook.go [P]); the factory's scheduling settings and partitions are appended as
// the controller's extra configuration. They are read from the rendered slurm.conf, so Slurm schedules alike on the
// nodes' own slurmd and on Kubernetes.

/** slurm.conf settings of the factory that hold on Kubernetes too (hosts, power saving and the topology file are the operator's or do not apply). */
export const SHARED_SETTINGS: readonly string[] = [
  "ProctrackType",
  "TaskPlugin",
  "JobAcctGatherType",
  "JobRequeue",
  "LaunchParameters",
  // Node health, through the gate scripts that read the node-health agent's report (health/slinky-gate.ts).
  "HealthCheckProgram",
  "HealthCheckInterval",
  "HealthCheckNodeState",
  "Prolog",
  "Epilog",
  "PrologFlags",
  "SchedulerType",
  "SchedulerParameters",
  "SelectType",
  "SelectTypeParameters",
  "GresTypes",
  "PriorityType",
  "PriorityDecayHalfLife",
  "PriorityMaxAge",
  "PriorityFavorSmall",
  "PriorityWeightFairshare",
  "PriorityWeightAge",
  "PriorityWeightJobSize",
  "PriorityWeightQOS",
  "PreemptType",
  "PreemptMode",
  "AccountingStorageEnforce",
  "AccountingStorageTRES",
  "TreeWidth",
  "MaxJobCount",
  "MessageTimeout",
  "ReturnToService",
  "SwitchType",
];

/** The pools Slurm runs on: those with nodes, as slurm.conf has them. */
export function slurmPools(blueprint: Pick<Blueprint, "pools">): PoolPlan[] {
  return blueprint.pools.filter((p) => p.nodes > 0);
}

/** A pool's NodeSet: named by its host prefix, so its Slurm nodes are `<prefix>-<ordinal>` like the pool's hosts. */
export const slinkyNodeSetName = (pool: Pick<PoolPlan, "hostnamePrefix">): string => pool.hostnamePrefix;

/** The Slurm node names of a pool's NodeSet: pod ordinals from 0, padded to the pool's host-number width. */
export function slinkyHostlist(pool: Pick<PoolPlan, "hostnamePrefix" | "hostnameDigits" | "nodes">): string {
  return formatHostlist(pool.hostnamePrefix, pool.hostnameDigits, [{ first: 0, count: pool.nodes }]);
}

/**
 * What each slurmd of a NodeSet registers with (slurmd -Z --conf): the GPUs slurm.conf promises and the memory left
 * once the VM and Kubernetes have theirs (node.ts), so a node never offers a job memory the kubelet would reclaim.
 * The operator adds the NodeSet's name as a feature.
 */
export function slinkyNodeConf(pool: PoolPlan, lookup?: InstanceTypeLookup): string {
  const shape = slurmNodeShape(pool, poolInstanceType(pool, lookup));
  return [
    `Features=${pool.instanceType}`,
    `Gres=gpu:${shape.gresType}:${shape.gpus}`,
    `RealMemory=${shape.realMemoryMiB}`,
    ...(shape.coreSpecCount > 0 ? [`CoreSpecCount=${shape.coreSpecCount}`] : []),
  ].join(" ");
}

const SETTING = /^([A-Za-z]+)=(.*)$/;

/**
 * The controller's extra slurm.conf lines: the shared settings as the rendered slurm.conf has them, and room for
 * every node of the factory. The operator writes MaxNodeCount=1024 (controller_config.go [P]); Slurm takes the last
 * value of a setting given twice ("specified more than once, latest value used", parse_config.c [P]).
 */
export function slinkyControllerConf(blueprint: Blueprint, lookup?: InstanceTypeLookup): string {
  // On Kubernetes the health programs are the gates mounted into every slurmd pod, not the host's scripts.
  const site = { ...defaultSlurmSite(blueprint), healthCheckProgram: slinkyGatePath("healthcheck"), prolog: slinkyGatePath("prolog"), epilog: slinkyGatePath("epilog") };
  const rendered = renderSlurmConf(blueprint, site, lookup).split("\n");
  const settings = rendered.filter((line) => {
    const m = SETTING.exec(line);
    return m !== null && SHARED_SETTINGS.includes(m[1]);
  });
  const nodes = slurmPools(blueprint).reduce((s, p) => s + p.nodes, 0);
  return [
    `# ${blueprint.factory}: scheduling, fair share and limits as in the factory's slurm.conf (gigafactory render).`,
    ...settings,
    `MaxNodeCount=${Math.max(nodes, 1)}`,
  ].join("\n");
}

export interface SlinkyPartition {
  enabled: true;
  /** NodeSet names, or ALL. */
  nodesets: string[];
  /** The partition's settings after its nodes, as one slurm.conf fragment. */
  config: string;
}

/**
 * The partitions of the rendered slurm.conf (one per pool, and the default over every node), their nodes given as
 * NodeSets: the pool's NodeSet, or ALL.
 */
export function slinkyPartitions(blueprint: Blueprint, lookup?: InstanceTypeLookup): Record<string, SlinkyPartition> {
  const nodesets = new Map(slurmPools(blueprint).map((p) => [p.name, slinkyNodeSetName(p)]));
  const partitions: Record<string, SlinkyPartition> = {};
  for (const line of renderSlurmConf(blueprint, undefined, lookup).split("\n")) {
    if (!line.startsWith("PartitionName=")) continue;
    const words = line.split(" ");
    const name = words[0].slice("PartitionName=".length);
    const set = name === DEFAULT_PARTITION ? "ALL" : nodesets.get(name);
    if (set === undefined) throw new Error(`slurm.conf has a partition ${name} that is neither a pool nor the default`);
    partitions[name] = { enabled: true, nodesets: [set], config: words.filter((w) => !/^(PartitionName|Nodes)=/.test(w)).join(" ") };
  }
  return partitions;
}

/** The files Slurm reads beside slurm.conf, mounted by the chart into /etc/slurm: gres.conf for the NodeSets' node names, the topology, cgroup.conf. */
export function slinkyConfigFiles(blueprint: Blueprint, lookup?: InstanceTypeLookup): Record<string, string> {
  return {
    "cgroup.conf": renderCgroupConf(blueprint),
    "gres.conf": renderGresConf(blueprint, lookup, slinkyHostlist),
    "topology.yaml": renderTopologyYaml(blueprint),
    // Pyxis, in the factory's slurmd image (core/catalog/slurmd-image.ts): srun --container-image in batch jobs.
    "plugstack.conf": PLUGSTACK_CONF,
  };
}
