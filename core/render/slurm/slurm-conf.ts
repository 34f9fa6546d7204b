import type { Blueprint, PoolPlan } from "../../blueprint/types";
import { count } from "../../lib/numbers";
import { DEFAULT_PARTITION, slurmAccountName, slurmClusterName } from "./names";
import { poolInstanceType, slurmNodeShape, type InstanceTypeLookup, type SlurmNodeShape } from "./node";
import { poolHostlist, poolUnits } from "../../blueprint/pool-hosts";
import { POWER_DIR } from "./power";
import { BLOCK_TOPOLOGY_MIN_SLURM, topologyPlugin } from "./topology-conf";
import { healthScriptPath } from "../health/script";

// slurm.conf from the blueprint. Every GPU node is a CLOUD node: it exists in the configuration from the
// start and counts as powered down until its slurmd registers, so capacity can come and go without a
// reconfiguration (slurm.conf State=CLOUD, docs/sources.md#slurm-conf [P]).

/** Where the daemons and programs live on the factory's controller and nodes. */
export interface SlurmSite {
  controllerHost: string;
  accountingHost: string;
  resumeProgram: string;
  suspendProgram: string;
  /** The node checks rendered under health/ (core/render/health), installed on every node. */
  healthCheckProgram: string;
  prolog: string;
  epilog: string;
}

export function defaultSlurmSite(blueprint: Blueprint): SlurmSite {
  const cluster = slurmClusterName(blueprint.factory);
  return {
    controllerHost: `${cluster}-slurmctld`,
    accountingHost: `${cluster}-slurmdbd`,
    // The substrate's programs that bring nodes up and release them (the node groups on AWS).
    resumeProgram: `/etc/slurm/${POWER_DIR}/resume`,
    suspendProgram: `/etc/slurm/${POWER_DIR}/suspend`,
    healthCheckProgram: healthScriptPath("healthcheck"),
    prolog: healthScriptPath("prolog"),
    epilog: healthScriptPath("epilog"),
  };
}

// Power saving for nodes whose instance comes and goes (power.ts): a booting node has 30 minutes to register, as
// AWS runs Slurm on EC2 (aws-parallelcluster-cookbook ComputeNodeBootstrapTimeout default 1800 s [P]); an
// administrator's power-down takes up to 120 s; no cap on how many nodes resume at once. Slurm never suspends an
// idle node itself: the unit's node group keeps the instance, and Kubernetes may use it.
export const RESUME_TIMEOUT_S = 1800;
export const SUSPEND_TIMEOUT_S = 120;

// Every node runs the health check once in five minutes, the nodes in turn rather than all at once (slurm.conf.5
// HealthCheckInterval, HealthCheckNodeState=CYCLE [P]): at 12,500 nodes about 42 checks a second.
export const HEALTH_CHECK_INTERVAL_S = 300;

// Multifactor priority, after Slurm's own example (priority_multifactor.shtml "Configuration Example" [P]): fair
// share and the tenant's priority class (its QOS) weigh alike, so a critical tenant's job goes before a standard
// one's with the same share, and a tenant far over its share still yields to one under it; age and size order the rest.
export const PRIORITY = {
  decayHalfLife: "14-0",
  maxAge: "14-0",
  weightFairshare: 10_000,
  weightAge: 1000,
  weightJobSize: 1000,
  weightQOS: 10_000,
} as const;

// The controller at the factory's scale (big_sys.html "Large Cluster Administration Guide", high_throughput.html
// [P]; docs/sources.md#slurm-scale): room for ten queued or running jobs per node (default 10,000, too few for 128
// tenants on 12,500 nodes), messages that survive a busy controller (MessageTimeout default 10 s), backfill that
// resumes where it stopped and plans in 5-minute steps, and a scheduler that yields when RPCs queue up.
export const MIN_MAX_JOB_COUNT = 10_000;
export const JOBS_PER_NODE = 10;
export const MESSAGE_TIMEOUT_S = 60;
export const SCHEDULER_PARAMETERS = [
  // A job whose Prolog fails on a bad node goes back to the queue to run elsewhere, not held (slurm.conf.5 [P]).
  "nohold_on_prolog_fail",
  "bf_continue",
  "bf_max_job_test=2000",
  "bf_resolution=300",
  "max_rpc_cnt=150",
] as const;

export const maxJobCount = (nodes: number): number => Math.max(MIN_MAX_JOB_COUNT, nodes * JOBS_PER_NODE);

/**
 * Fan-out of slurmd's message tree: the square root of the node count up to 2,500 nodes, the cube root above
 * (slurm.conf.5 TreeWidth, 22.05 [P]).
 */
export function treeWidth(nodes: number): number {
  const n = Math.max(nodes, 1);
  return Math.max(2, Math.ceil(n <= 2500 ? Math.sqrt(n) : Math.cbrt(n)));
}

interface PoolNodes {
  pool: PoolPlan;
  shape: SlurmNodeShape;
}

export function renderSlurmConf(blueprint: Blueprint, site: SlurmSite = defaultSlurmSite(blueprint), lookup?: InstanceTypeLookup): string {
  const cluster = slurmClusterName(blueprint.factory);
  const pools: PoolNodes[] = blueprint.pools
    .filter((p) => p.nodes > 0)
    .map((pool) => ({ pool, shape: slurmNodeShape(pool, poolInstanceType(pool, lookup)) }));
  const plugin = topologyPlugin(blueprint, lookup);

  const out: string[] = [
    `# slurm.conf of ${blueprint.factory}: rendered by gigafactory from the blueprint; change the spec, not this file.`,
    `# ${count(blueprint.nodes)} GPU nodes in ${blueprint.units.length} scalable units, ${count(blueprint.totalGpus)} GPUs.`,
    `ClusterName=${cluster}`,
    `SlurmctldHost=${site.controllerHost}`,
    "SlurmctldPort=6817",
    "SlurmdPort=6818",
    "SlurmUser=slurm",
    "SlurmdUser=root",
    "AuthType=auth/munge",
    "StateSaveLocation=/var/spool/slurmctld",
    "SlurmdSpoolDir=/var/spool/slurmd",
    "SlurmctldPidFile=/run/slurmctld.pid",
    "SlurmdPidFile=/run/slurmd.pid",
    "SlurmctldLogFile=/var/log/slurm/slurmctld.log",
    "SlurmdLogFile=/var/log/slurm/slurmd.log",
    // Nodes fetch this configuration from the controller; cloud nodes register from whatever address they get;
    // a suspended node returns idle, not down (as AWS ParallelCluster sets it, slurm.conf.erb [P]).
    "SlurmctldParameters=enable_configless,cloud_reg_addrs,idle_on_node_suspend",
    // Powered-down cloud nodes stay visible to sinfo and scontrol: tenants see the capacity they may get.
    "PrivateData=cloud",
    `TreeWidth=${treeWidth(blueprint.nodes)}`,
    `MaxJobCount=${maxJobCount(blueprint.nodes)}`,
    `MessageTimeout=${MESSAGE_TIMEOUT_S}`,
    // A node that went DOWN only for not answering returns when its slurmd registers again (a restarted pod);
    // one an administrator or a health check took out stays out (slurm.conf.5 ReturnToService=1 [P]).
    "ReturnToService=1",
    "",
    "# Jobs run in cgroups that hold their cores, memory and devices (cgroup.conf).",
    "ProctrackType=proctrack/cgroup",
    "TaskPlugin=task/cgroup,task/affinity",
    "JobAcctGatherType=jobacct_gather/cgroup",
    // A job that loses a node to a failed or reclaimed instance goes back to the queue.
    "JobRequeue=1",
    // A job's processes resolve its user and groups through slurmstepd (nss_slurm), not a directory every node
    // must reach: 12,500 nodes starting one job never ask the identity source at once (nss_slurm.html [P]).
    "LaunchParameters=enable_nss_slurm",
    "",
    "# Node health (health/): every node in turn each interval and before slurmd registers, and on a job's nodes",
    "# before it starts and after it ends. A failing node drains with the reason; a failed Prolog requeues the job.",
    `HealthCheckProgram=${site.healthCheckProgram}`,
    `HealthCheckInterval=${HEALTH_CHECK_INTERVAL_S}`,
    "HealthCheckNodeState=ANY,CYCLE",
    `Prolog=${site.prolog}`,
    `Epilog=${site.epilog}`,
    // The Prolog runs on every allocated node when the job is allocated, not at its first step, and every process of
    // the job, ssh sessions adopted by pam_slurm_adopt included, lives in the job's cgroup (Contain implies Alloc).
    "PrologFlags=Alloc,Contain",
    "",
    "# Scheduling: cores, memory and GPUs are allocated one by one.",
    "SchedulerType=sched/backfill",
    `SchedulerParameters=${SCHEDULER_PARAMETERS.join(",")}`,
    "SelectType=select/cons_tres",
    "SelectTypeParameters=CR_Core_Memory",
    "GresTypes=gpu",
    "",
    "# Fair share between tenants (accounts), then the tenant's priority class (QOS).",
    "PriorityType=priority/multifactor",
    `PriorityDecayHalfLife=${PRIORITY.decayHalfLife}`,
    `PriorityMaxAge=${PRIORITY.maxAge}`,
    "PriorityFavorSmall=NO",
    `PriorityWeightFairshare=${PRIORITY.weightFairshare}`,
    `PriorityWeightAge=${PRIORITY.weightAge}`,
    `PriorityWeightJobSize=${PRIORITY.weightJobSize}`,
    `PriorityWeightQOS=${PRIORITY.weightQOS}`,
    // A tenant's priority class preempts lower ones', as in Kueue: the QOS say whom (accounts.ts); a preempted job
    // goes back to the queue (slurm.conf.5 PreemptType, PreemptMode, docs/sources.md#slurm-preemption [P]).
    "PreemptType=preempt/qos",
    "PreemptMode=REQUEUE",
    "",
    "# Accounting: tenants are accounts with GPU limits and a QOS, kept by slurmdbd (accounts.sh).",
    "AccountingStorageType=accounting_storage/slurmdbd",
    `AccountingStorageHost=${site.accountingHost}`,
    "AccountingStoragePort=6819",
    "AccountingStorageEnforce=associations,limits,qos,safe",
    "AccountingStorageTRES=gres/gpu",
    "",
    "# Power saving: a node counts as powered down until its instance boots and slurmd registers (a capacity block's",
    "# window, a reclaimed spot instance, a replaced node); ResumeProgram asks the unit's node group to be whole. Idle",
    "# nodes are never suspended: the node group holds every unit whole, and Kubernetes uses what Slurm leaves idle.",
    `ResumeProgram=${site.resumeProgram}`,
    `SuspendProgram=${site.suspendProgram}`,
    "SuspendTime=INFINITE",
    `SuspendTimeout=${SUSPEND_TIMEOUT_S}`,
    `ResumeTimeout=${RESUME_TIMEOUT_S}`,
    "ResumeRate=0",
    "SuspendRate=0",
    "",
    plugin === "topology/block" ? `# Topology (topology.conf): NVLink blocks, needs Slurm >= ${BLOCK_TOPOLOGY_MIN_SLURM}.` : "# Topology (topology.conf).",
    `TopologyPlugin=${plugin}`,
    // NVLink across nodes needs an IMEX channel per job (docs/sources.md#pcs-ultraserver-imex, #slurm-conf [P]).
    ...(plugin === "topology/block" ? ["SwitchType=switch/nvidia_imex"] : []),
  ];

  out.push("", "# Nodes: the hardware once per pool, then each scalable unit with its features (pool, instance type, unit).");
  for (const { pool, shape } of pools) {
    out.push(
      "",
      `# pool ${pool.name}: ${count(pool.nodes)} x ${pool.instanceType}; RealMemory leaves ${shape.keptMemoryMiB} MiB to the VM and Kubernetes` +
        (shape.keptMemoryMiB > shape.systemMemoryMiB ? ` (${shape.keptMemoryMiB - shape.systemMemoryMiB} MiB held back by the spec)` : "") +
        (shape.coreSpecCount > 0 ? `; ${shape.coreSpecCount} cores kept for the system.` : "."),
      [
        "NodeName=DEFAULT",
        `CPUs=${shape.cpus}`,
        `Sockets=${shape.sockets}`,
        `CoresPerSocket=${shape.coresPerSocket}`,
        `ThreadsPerCore=${shape.threadsPerCore}`,
        `RealMemory=${shape.realMemoryMiB}`,
        ...(shape.coreSpecCount > 0 ? [`CoreSpecCount=${shape.coreSpecCount}`] : []),
        `Gres=gpu:${shape.gresType}:${shape.gpus}`,
        "State=CLOUD",
      ].join(" "),
    );
    for (const unit of poolUnits(blueprint, pool)) {
      out.push(`NodeName=${unit.hostnames} Features=${[pool.name, pool.instanceType, unit.name].join(",")}`);
    }
  }

  out.push("", "# Partitions: one per pool, and the default over every node.");
  const accountsOf = (allowed: (t: Blueprint["tenants"][number]) => boolean): string | undefined => {
    if (blueprint.tenants.length === 0 || blueprint.tenants.every(allowed)) return undefined;
    const names = blueprint.tenants.filter(allowed).map((t) => slurmAccountName(t.name));
    // No tenant may use it: only the cluster's administrators (the root account) can.
    return names.length > 0 ? names.join(",") : "root";
  };
  for (const { pool, shape } of pools) {
    out.push(
      partitionLine(pool.name, poolHostlist(blueprint, pool), [shape], accountsOf((t) => t.pools.includes(pool.name)), false),
    );
  }
  out.push(
    partitionLine(
      DEFAULT_PARTITION,
      "ALL",
      pools.map((p) => p.shape),
      accountsOf((t) => pools.every((p) => t.pools.includes(p.pool.name))),
      true,
    ),
  );
  return `${out.join("\n")}\n`;
}

/**
 * A job that names GPUs but not CPUs or memory gets each GPU's share of the node (the smallest share where
 * the partition spans pools): without it, one GPU job would hold the whole node's memory.
 */
function partitionLine(name: string, nodes: string, shapes: SlurmNodeShape[], allowAccounts: string | undefined, isDefault: boolean): string {
  const cpuPerGpu = Math.max(1, Math.min(...shapes.map((s) => Math.floor(s.jobCpus / s.gpus))));
  const memPerGpu = Math.min(...shapes.map((s) => Math.floor(s.realMemoryMiB / s.gpus)));
  return [
    `PartitionName=${name}`,
    `Nodes=${nodes}`,
    ...(isDefault ? ["Default=YES"] : []),
    "State=UP",
    "MaxTime=INFINITE",
    `DefCpuPerGPU=${cpuPerGpu}`,
    `DefMemPerGPU=${memPerGpu}`,
    ...(allowAccounts ? [`AllowAccounts=${allowAccounts}`] : []),
  ].join(" ");
}
