import type { Blueprint, TenantPlan } from "../../blueprint/types";
import { slurmAccountName, slurmClusterName, slurmQosName } from "./names";
import { shellWord } from "../../lib/shell";

// The tenants in Slurm, from the same TenantPlan Kueue's queues read:
// - a QOS per priority class: its Priority the class's value, and it preempts (requeues) the jobs of every class
//   below it, as Kueue's workloads of a higher class preempt lower ones (PreemptType=preempt/qos, slurm.conf.ts);
// - an account per tenant: Fairshare = its GPU quota, so shares follow quotas; GrpTRES caps the GPUs its
//   running jobs hold at its quota plus what it may borrow, never more than its pools have (Kueue's
//   nominalQuota + borrowingLimit); its priority class as its only and default QOS;
// - the tenant's declared users in its account (accounts-cfg.ts).
// The cluster and the QOS are the factory's (the platform converges them); an account and its users are the
// tenant's (its own Job loads them), so adding a tenant touches nothing of the others.

export interface SlurmQos {
  name: string;
  priority: number;
  /** The QOS whose jobs this one's may requeue: every class of a lower priority. */
  preempts: string[];
}

export interface SlurmAccount {
  name: string;
  organization: string;
  description: string;
  fairshare: number;
  grpGpus: number;
  qos: string;
  users: string[];
}

export function slurmQosList(blueprint: Pick<Blueprint, "tenants">): SlurmQos[] {
  const byName = new Map<string, number>();
  for (const t of blueprint.tenants) {
    const name = slurmQosName(t.priority);
    if (!byName.has(name)) byName.set(name, t.priorityValue);
  }
  const sorted = [...byName.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return sorted.map(([name, priority]) => ({
    name,
    priority,
    preempts: sorted.filter(([, p]) => p < priority).map(([n]) => n),
  }));
}

export function tenantGpuLimit(blueprint: Pick<Blueprint, "pools">, tenant: TenantPlan): number {
  const poolGpus = blueprint.pools.filter((p) => tenant.pools.includes(p.name)).reduce((s, p) => s + p.gpus, 0);
  return Math.min(tenant.gpuQuota + tenant.borrowingLimitGpus, poolGpus);
}

export function slurmAccount(blueprint: Pick<Blueprint, "pools">, t: TenantPlan): SlurmAccount {
  return {
    name: slurmAccountName(t.name),
    organization: t.costCenter,
    description: `tenant ${t.name}, ${t.dataClassification} data`,
    fairshare: t.gpuQuota,
    grpGpus: tenantGpuLimit(blueprint, t),
    qos: slurmQosName(t.priority),
    users: t.users.map((u) => u.name),
  };
}

export function slurmAccounts(blueprint: Blueprint): SlurmAccount[] {
  return blueprint.tenants.map((t) => slurmAccount(blueprint, t));
}

const setting = (key: string, value: string | number): string => shellWord(`${key}=${value}`);

/** What a tenant's account needs of the factory first: its cluster, and its QOS with their priorities and preemption. */
export function renderQosScript(blueprint: Pick<Blueprint, "factory" | "tenants">): string {
  const cluster = slurmClusterName(blueprint.factory);
  const lines = [
    "#!/bin/sh",
    `# The Slurm cluster and QOS of ${blueprint.factory}: rendered by gigafactory from the blueprint; change the spec, not this file.`,
    "# Run as a Slurm administrator where sacctmgr reaches the factory's slurmdbd. It converges: what is missing is",
    "# added, then every value is set, so running it again changes nothing.",
    "set -eu",
    `cluster=${shellWord(cluster)}`,
    "",
    "# sacctmgr refuses to add what exists (\"Nothing new added\", exit 1): look first, then add, then set.",
    'has_cluster() { [ -n "$(sacctmgr --noheader --parsable2 show cluster where name="$cluster" format=cluster)" ]; }',
    'has_qos() { [ -n "$(sacctmgr --noheader --parsable2 show qos where name="$1" format=name)" ]; }',
    'qos() { q=$1; shift; has_qos "$q" || sacctmgr --immediate add qos "$q"; }',
    // Set only what differs: sacctmgr fails a modify that changes nothing, and re-setting a QOS's Preempt list
    // can fail on 22.05 ("QOS Preemption loop detected").
    'set_qos() {',
    '  q=$1 want=$2; shift 2',
    '  have=$(sacctmgr --noheader --parsable2 show qos where name="$q" format=priority,preempt,preemptmode,description)',
    '  [ "$have" = "$want" ] || sacctmgr --immediate modify qos where name="$q" set "$@"',
    "}",
    'clear_preempt() { p=$(sacctmgr --noheader --parsable2 show qos where name="$1" format=preempt); [ -z "$p" ] || sacctmgr --immediate modify qos where name="$1" set Preempt-="$p"; }',
    "",
    'has_cluster || sacctmgr --immediate add cluster "$cluster"',
    "",
    "# Priority classes: every QOS first, then their settings, as a QOS may preempt only QOS that exist.",
  ];
  const qos = slurmQosList(blueprint);
  for (const q of qos) lines.push(`qos ${shellWord(q.name)}`);
  for (const q of qos) {
    const description = `priority class ${q.name}`;
    const want = [q.priority, q.preempts.join(","), "requeue", description].join("|");
    // A class that preempts nothing gets no Preempt= (22.05 reads an empty one as QOS id 0, and every later change that
    // reaches it fails as "QOS Preemption loop detected"); what it preempted before is taken off with Preempt-=.
    if (q.preempts.length === 0) lines.push(`clear_preempt ${shellWord(q.name)}`);
    const preempt = q.preempts.length > 0 ? [setting("Preempt", q.preempts.join(","))] : [];
    lines.push(
      [`set_qos ${shellWord(q.name)} ${shellWord(want)}`, setting("Priority", q.priority), ...preempt, setting("PreemptMode", "requeue"), setting("Description", description)].join(" "),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The script `render` writes beside accounts.cfg: the cluster and QOS, then every tenant's account and users. */
export function renderAccountsScript(blueprint: Blueprint): string {
  return [
    renderQosScript(blueprint).trimEnd(),
    "",
    "# Tenants: their accounts and users, in sacctmgr's dump format; `load` adds what is missing and sets what changed.",
    'sacctmgr --immediate load file="${1:-$(dirname "$0")/accounts.cfg}"',
    "",
  ].join("\n");
}
