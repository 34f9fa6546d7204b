import { shellQuote } from "../../lib/shell";
import type { Blueprint, TenantPlan } from "../../blueprint/types";
import { slurmAccountName, slurmClusterName, slurmQosName } from "./names";

// The tenants in Slurm, from the same TenantPlan Kueue's queues read:
// - a QOS per priority class, its Priority the class's value (ordering jobs within a fair share);
// - an account per tenant: Fairshare = its GPU quota, so shares follow quotas; GrpTRES caps the GPUs its
//   running jobs hold at its quota plus what it may borrow, never more than its pools have (Kueue's
//   nominalQuota + borrowingLimit); its priority class as its only and default QOS.
// Users are added by the tenants' admins (sacctmgr add user ... account=<tenant>).

export interface SlurmQos {
  name: string;
  priority: number;
}

export interface SlurmAccount {
  name: string;
  organization: string;
  description: string;
  fairshare: number;
  grpGpus: number;
  qos: string;
}

export function slurmQosList(blueprint: Blueprint): SlurmQos[] {
  const byName = new Map<string, SlurmQos>();
  for (const t of blueprint.tenants) {
    const name = slurmQosName(t.priority);
    if (!byName.has(name)) byName.set(name, { name, priority: t.priorityValue });
  }
  return [...byName.values()].sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name));
}

export function tenantGpuLimit(blueprint: Blueprint, tenant: TenantPlan): number {
  const poolGpus = blueprint.pools.filter((p) => tenant.pools.includes(p.name)).reduce((s, p) => s + p.gpus, 0);
  return Math.min(tenant.gpuQuota + tenant.borrowingLimitGpus, poolGpus);
}

export function slurmAccounts(blueprint: Blueprint): SlurmAccount[] {
  return blueprint.tenants.map((t) => ({
    name: slurmAccountName(t.name),
    organization: t.costCenter,
    description: `tenant ${t.name}, ${t.dataClassification} data`,
    fairshare: t.gpuQuota,
    grpGpus: tenantGpuLimit(blueprint, t),
    qos: slurmQosName(t.priority),
  }));
}

/** A word for sh: as it is when it is plain, in single quotes otherwise. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(value) ? value : shellQuote(value);
}

const setting = (key: string, value: string | number): string => shellWord(`${key}=${value}`);

/** A POSIX sh script of sacctmgr commands that brings slurmdbd to the blueprint's tenants; re-running it converges. */
export function renderAccountsScript(blueprint: Blueprint): string {
  const cluster = slurmClusterName(blueprint.factory);
  const lines = [
    "#!/bin/sh",
    `# Slurm accounts and QOS of ${blueprint.factory}'s ${blueprint.tenants.length} tenants: rendered by gigafactory from the blueprint;`,
    "# change the spec, not this file. Run it as a Slurm administrator where sacctmgr reaches the factory's slurmdbd.",
    "# It converges: what is missing is added, then every value is set, so running it again changes nothing.",
    "set -eu",
    `cluster=${shellWord(cluster)}`,
    "",
    "# sacctmgr refuses to add what exists (\"Nothing new added\", exit 1): look first, then add, then set.",
    'has_cluster() { [ -n "$(sacctmgr --noheader --parsable2 show cluster where name="$cluster" format=cluster)" ]; }',
    'has_qos() { [ -n "$(sacctmgr --noheader --parsable2 show qos where name="$1" format=name)" ]; }',
    'has_account() { [ -n "$(sacctmgr --noheader --parsable2 show association where cluster="$cluster" account="$1" format=account)" ]; }',
    'qos() { q=$1; shift; has_qos "$q" || sacctmgr --immediate add qos "$q"; sacctmgr --immediate modify qos where name="$q" set "$@"; }',
    'account() { a=$1; shift; has_account "$a" || sacctmgr --immediate add account "$a" cluster="$cluster"; sacctmgr --immediate modify account where name="$a" cluster="$cluster" set "$@"; }',
    "",
    'has_cluster || sacctmgr --immediate add cluster "$cluster"',
    "",
    "# Priority classes",
  ];
  for (const q of slurmQosList(blueprint)) {
    lines.push(`qos ${shellWord(q.name)} ${setting("Priority", q.priority)} ${setting("Description", `priority class ${q.name}`)}`);
  }
  lines.push("", "# Tenants");
  for (const a of slurmAccounts(blueprint)) {
    lines.push(
      [
        "account",
        shellWord(a.name),
        setting("Description", a.description),
        setting("Organization", a.organization),
        setting("Fairshare", a.fairshare),
        setting("GrpTRES", `gres/gpu=${a.grpGpus}`),
        setting("QOS", a.qos),
        setting("DefaultQOS", a.qos),
      ].join(" "),
    );
  }
  return `${lines.join("\n")}\n`;
}
