import { instanceType as catalogInstanceType } from "../catalog/instances";
import type { Blueprint, PoolPlan } from "../blueprint/types";
import { hostName } from "../lib/hostlist";
import { error, info, warning } from "../spec/findings";
import { joinPath, specPath } from "../spec/paths";
import type { Finding } from "../spec/schema";
import {
  ACCOUNT_NAME_KEY_CHARS,
  CLUSTER_NAME_MAX_CHARS,
  HOSTNAME_LABEL,
  HOSTNAME_MAX_CHARS,
  RESERVED_ACCOUNTS,
  RESERVED_PARTITION_NAMES,
  SLURM_ACCOUNT_NAME,
  SWITCH_NAME_MAX_CHARS,
  foldSlurmName,
  slurmAccountName,
  slurmClusterName,
  slurmQosName,
} from "../render/slurm/names";
import { VM_MEMORY_OVERHEAD_FRACTION, memoryMiB, systemMemoryMiB, type InstanceTypeLookup } from "../render/slurm/node";
import { BLOCK_TOPOLOGY_MIN_SLURM } from "../render/slurm/topology-conf";
import { slurmdImageFindings } from "./slurmd-image";

// What Slurm would do with the factory that the spec does not show: drop a node, refuse a name, merge two
// tenants into one account. Pure checks of the blueprint, each returning findings with the YAML path to fix.

export interface SlurmValidationOptions {
  lookup?: InstanceTypeLookup;
  /** YAML path of a tenant; tenants from a tenants file live under that file's path. */
  tenantPath?: (tenant: string) => string;
}

const defaultTenantPath = (tenant: string): string => specPath("tenants", tenant);

/** Pools whose nodes Slurm would not take as configured: a CPU layout that does not add up, no memory left for jobs. */
export function slurmNodeFindings(blueprint: Blueprint, lookup: InstanceTypeLookup = catalogInstanceType): Finding[] {
  const findings: Finding[] = [];
  for (const pool of blueprint.pools) {
    const type = lookup(pool.instanceType);
    if (!type) continue;
    const layout = type.sockets * type.coresPerSocket * type.threadsPerCore;
    if (type.vcpus <= 0 || layout !== type.vcpus) {
      findings.push(
        error(
          specPath("pools", pool.name, "instanceType"),
          `pool ${pool.name}: ${pool.instanceType} has ${type.vcpus} vCPUs but ${type.sockets} sockets x ${type.coresPerSocket} cores x ${type.threadsPerCore} threads = ${layout}; ` +
            "slurmctld resets CPUs and drains every node whose slurmd reports a different layout",
          `correct the catalog entry of ${pool.instanceType} so sockets x coresPerSocket x threadsPerCore equals vcpus (EC2 DescribeInstanceTypes VCpuInfo)`,
        ),
      );
    }
    const total = memoryMiB(type);
    const system = systemMemoryMiB(type, pool.maxPodsPerNode);
    if (total - system <= 0) {
      findings.push(
        error(
          specPath("pools", pool.name, "maxPodsPerNode"),
          `pool ${pool.name}: a ${pool.instanceType} node has ${total} MiB and keeps ${system} MiB for the VM and Kubernetes at ${pool.maxPodsPerNode} pods, ` +
            "leaving Slurm no RealMemory: every node would be refused",
          "lower maxPodsPerNode (each pod reserves 11 MiB on the node) or use an instance type with more memory",
        ),
      );
    }
    findings.push(...slurmFigureFindings(pool, total, system, type.sockets * type.coresPerSocket, type.threadsPerCore));
    if (pool.gpusPerNode <= 0) {
      findings.push(
        error(
          specPath("pools", pool.name, "instanceType"),
          `pool ${pool.name}: ${pool.instanceType} has no accelerators, so its nodes cannot carry Gres=gpu`,
          "use an accelerated instance type from the catalog",
        ),
      );
    }
  }
  return findings;
}

/**
 * The spec's own Slurm figures for a pool: a RealMemory above what slurmd finds makes slurmctld drain every node
 * ("Low RealMemory"); above what Kubernetes leaves, jobs are promised memory the kubelet keeps; a CoreSpecCount of
 * every core is reset by slurmctld ("CoreSpecCount=N is invalid, reset to 1", seen on Slurm 22.05).
 */
function slurmFigureFindings(pool: PoolPlan, totalMiB: number, systemMiB: number, cores: number, threadsPerCore: number): Finding[] {
  const findings: Finding[] = [];
  const real = pool.slurm.realMemoryMiB;
  if (real !== undefined) {
    // What the guest's /proc/meminfo shows, which slurmd reports when it registers.
    const guestMiB = totalMiB - Math.ceil(totalMiB * VM_MEMORY_OVERHEAD_FRACTION);
    const available = totalMiB - systemMiB;
    if (real > guestMiB) {
      findings.push(
        error(
          specPath("pools", pool.name, "slurm", "realMemoryMiB"),
          `pool ${pool.name}: RealMemory=${real} MiB is more than the about ${guestMiB} MiB a ${pool.instanceType} guest sees; ` +
            'slurmctld drains every node whose slurmd reports less memory than slurm.conf promises ("Low RealMemory")',
          `set realMemoryMiB to at most ${available}, or leave it out to use that figure`,
        ),
      );
    } else if (real > available) {
      findings.push(
        error(
          specPath("pools", pool.name, "slurm", "realMemoryMiB"),
          `pool ${pool.name}: RealMemory=${real} MiB promises jobs ${real - available} MiB that the VM and Kubernetes keep ` +
            `(${systemMiB} MiB at ${pool.maxPodsPerNode} pods): a job using it is killed by the kernel or makes the kubelet evict pods`,
          `set realMemoryMiB to at most ${available}, or leave it out to use that figure`,
        ),
      );
    }
  }
  const spec = pool.slurm.coreSpecCount;
  if (spec >= cores) {
    findings.push(
      error(
        specPath("pools", pool.name, "slurm", "coreSpecCount"),
        `pool ${pool.name}: CoreSpecCount=${spec} keeps every one of a ${pool.instanceType} node's ${cores} cores from jobs; slurmctld refuses it and resets it to 1`,
        `keep fewer than ${cores} cores, a few per socket at most`,
      ),
    );
  } else if ((cores - spec) * threadsPerCore < pool.gpusPerNode) {
    findings.push(
      warning(
        specPath("pools", pool.name, "slurm", "coreSpecCount"),
        `pool ${pool.name}: CoreSpecCount=${spec} leaves ${(cores - spec) * threadsPerCore} CPUs for ${pool.gpusPerNode} GPUs, less than one CPU a GPU`,
        "keep fewer cores for the system",
      ),
    );
  }
  return findings;
}

function poolHost(pool: PoolPlan, ordinal: number): string {
  return hostName(pool.hostnamePrefix, ordinal, pool.hostnameDigits);
}

/** Host, partition, cluster and switch names Slurm would refuse or read as something else. */
export function slurmNameFindings(blueprint: Blueprint): Finding[] {
  const findings: Finding[] = [];
  const cluster = slurmClusterName(blueprint.factory);
  if (cluster.length > CLUSTER_NAME_MAX_CHARS || !HOSTNAME_LABEL.test(cluster)) {
    findings.push(
      error(
        specPath("name"),
        `factory name ${blueprint.factory} cannot be Slurm's ClusterName: it names the accounting database's tables, ` +
          `so it must be lower-case letters, digits and '-' and at most ${CLUSTER_NAME_MAX_CHARS} characters`,
        `choose a name such as ${cluster.replace(/[^a-z0-9-]+/g, "-").slice(0, CLUSTER_NAME_MAX_CHARS).replace(/^-+|-+$/g, "") || "gf-factory"}`,
      ),
    );
  }
  for (const pool of blueprint.pools) {
    const last = Math.max(pool.nodes, 1);
    const bad = [poolHost(pool, 1), poolHost(pool, last)].find((h) => h.length > HOSTNAME_MAX_CHARS || !HOSTNAME_LABEL.test(h));
    if (bad !== undefined) {
      findings.push(
        error(
          specPath("pools", pool.name),
          `pool ${pool.name}: its nodes would be named like ${bad}, which is not a valid Slurm host name ` +
            `(one DNS label: lower-case letters, digits and '-', at most ${HOSTNAME_MAX_CHARS} characters, no '[', ']' or ',' that Slurm's hostlists read)`,
          "rename the pool with lower-case letters, digits and '-'",
        ),
      );
    }
    if (RESERVED_PARTITION_NAMES.includes(foldSlurmName(pool.name))) {
      findings.push(
        error(
          specPath("pools", pool.name),
          `pool ${pool.name} would be the Slurm partition ${pool.name}, a name Slurm or the factory already uses ` +
            `(${RESERVED_PARTITION_NAMES.join(", ")}: PartitionName=DEFAULT sets defaults, the other is the default partition)`,
          "rename the pool",
        ),
      );
    }
  }
  const tooLong = new Map<string, string>();
  for (const s of blueprint.topology.switches) {
    if (s.name.length <= SWITCH_NAME_MAX_CHARS) continue;
    // A unit's leaf and a pool's spine are named after the pool; the core after the factory.
    const pool = blueprint.units.find((u) => u.name === s.name)?.pool ?? blueprint.pools.find((p) => s.name.startsWith(`${p.name}-`))?.name;
    const path = pool ? specPath("pools", pool) : specPath("name");
    if (!tooLong.has(path)) tooLong.set(path, s.name);
  }
  for (const [path, name] of tooLong) {
    findings.push(
      error(
        path,
        `the topology switch ${name} has ${name.length} characters; topology.conf takes at most ${SWITCH_NAME_MAX_CHARS}`,
        path.endsWith(".name") ? "shorten the factory's name" : "shorten the pool's name",
      ),
    );
  }
  return findings;
}

/** Tenants that would not become Slurm accounts of their own, and priority classes that would not become QOS. */
export function slurmAccountFindings(blueprint: Blueprint, options: SlurmValidationOptions = {}): Finding[] {
  const tenantPath = options.tenantPath ?? defaultTenantPath;
  const findings: Finding[] = [];
  const seen = new Map<string, string>();
  for (const t of blueprint.tenants) {
    const account = slurmAccountName(t.name);
    const path = tenantPath(t.name);
    if (!SLURM_ACCOUNT_NAME.test(account)) {
      findings.push(
        error(
          path,
          `tenant ${t.name} cannot be a Slurm account: sacctmgr splits names on ',', expands '[...]', rewrites quotes and reads '=' as a setting`,
          "name the tenant with lower-case letters, digits, '-', '_' and '.', starting with a letter or digit",
        ),
      );
      continue;
    }
    if (RESERVED_ACCOUNTS.includes(account)) {
      findings.push(error(path, `tenant ${t.name} would be Slurm's account ${account}, the root of every cluster's accounts`, "rename the tenant"));
      continue;
    }
    const key = account.slice(0, ACCOUNT_NAME_KEY_CHARS);
    const other = seen.get(key);
    if (other !== undefined) {
      const why =
        slurmAccountName(other) === account
          ? `sacctmgr folds account names to lower case, so ${other} and ${t.name} are both ${account}`
          : `slurmdbd keys accounts on their first ${ACCOUNT_NAME_KEY_CHARS} characters, which ${other} and ${t.name} share (${key})`;
      findings.push(error(path, `tenant ${t.name} would be the same Slurm account as tenant ${other}: ${why}`, "rename one of the two tenants so their names differ within the first 42 characters, ignoring case"));
      continue;
    }
    seen.set(key, t.name);
  }

  const qos = new Map<string, { priority: string; tenant: string }>();
  for (const t of blueprint.tenants) {
    const name = slurmQosName(t.priority);
    const known = qos.get(name.slice(0, ACCOUNT_NAME_KEY_CHARS));
    if (known && known.priority === t.priority) continue;
    const path = joinPath(tenantPath(t.name), "priority");
    if (!SLURM_ACCOUNT_NAME.test(name)) {
      findings.push(error(path, `priority class ${t.priority} cannot be a Slurm QOS name`, "name priority classes with lower-case letters, digits, '-', '_' and '.'"));
    } else if (known) {
      findings.push(
        error(
          path,
          `priority classes ${known.priority} and ${t.priority} would be one Slurm QOS: sacctmgr folds names to lower case and slurmdbd keys QOS on their first ${ACCOUNT_NAME_KEY_CHARS} characters`,
          "rename one of the priority classes",
        ),
      );
    } else {
      qos.set(name.slice(0, ACCOUNT_NAME_KEY_CHARS), { priority: t.priority, tenant: t.name });
    }
  }
  return findings;
}

/** NVLink domains the rendered topology cannot describe as they are. */
export function slurmTopologyFindings(blueprint: Blueprint, lookup: InstanceTypeLookup = catalogInstanceType): Finding[] {
  const findings: Finding[] = [];
  const pools = blueprint.pools.filter((p) => p.nodes > 0 && lookup(p.instanceType));
  const domainOf = (p: PoolPlan): number => lookup(p.instanceType)!.nvlinkDomainNodes;
  const nvlink = pools.filter((p) => domainOf(p) > 1);
  if (nvlink.length === 0) return findings;
  if (nvlink.length < pools.length) {
    for (const p of nvlink) {
      findings.push(
        warning(
          specPath("pools", p.name, "instanceType"),
          `pool ${p.name}: ${p.instanceType} shares NVLink across ${domainOf(p)} nodes, but other pools do not; ` +
            "topology.conf takes one plugin, so Slurm gets the network tree and not the NVLink blocks",
          "put NVLink-domain types in a factory of their own, or describe both in a topology.yaml (Slurm >= 25.05)",
        ),
      );
    }
  } else {
    for (const p of nvlink) {
      findings.push(
        info(
          specPath("pools", p.name, "instanceType"),
          `pool ${p.name}: Slurm gets NVLink blocks of ${domainOf(p)} nodes (topology/block), which needs Slurm >= ${BLOCK_TOPOLOGY_MIN_SLURM}`,
          "run Slurm 24.05 or later (Debian 13 ships 24.11)",
        ),
      );
    }
  }
  for (const p of nvlink) {
    if (p.unitNodes % domainOf(p) !== 0) {
      findings.push(
        warning(
          specPath("scalableUnit", "nodes"),
          `pool ${p.name}: scalable units of ${p.unitNodes} nodes do not hold whole NVLink domains of ${domainOf(p)}, ` +
            "so each unit ends in a partial block that Slurm before 25.05 refuses and jobs cannot fill",
          `make scalableUnit.nodes a multiple of ${domainOf(p)}`,
        ),
      );
    }
  }
  return findings;
}

/** Every Slurm check of the blueprint. */
export function validateSlurm(blueprint: Blueprint, options: SlurmValidationOptions = {}): Finding[] {
  const lookup = options.lookup ?? catalogInstanceType;
  return [
    ...slurmNodeFindings(blueprint, lookup),
    ...slurmNameFindings(blueprint),
    ...slurmAccountFindings(blueprint, options),
    ...slurmTopologyFindings(blueprint, lookup),
    ...slurmdImageFindings(blueprint, lookup),
  ];
}
