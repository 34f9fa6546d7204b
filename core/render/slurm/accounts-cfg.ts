import type { Blueprint, TenantPlan } from "../../blueprint/types";
import { slurmAccount, type SlurmAccount } from "./accounts";
import { slurmClusterName } from "./names";

// The tenants' accounts and users in sacctmgr's dump format, which `sacctmgr -i load file=...` reads (sacctmgr.1
// "FLAT FILE DUMP AND LOAD", src/sacctmgr/file_functions.c, docs/sources.md#slurm-dump-format [P]). A load adds the
// associations that are missing and modifies those whose values differ, and removes nothing without `clean`: so a
// tenant's own file converges its account and users and leaves every other tenant's alone. The cluster and the QOS
// the accounts name must exist first (accounts.ts renderQosScript).

// load splits a line on ':' and a value on '=' and strips one pair of single quotes: a value holding either quote
// or a colon would be cut (file_functions.c _parse_options [P]).
const UNSAFE = /['":\n]/;

function quoted(key: string, value: string): string {
  if (UNSAFE.test(value)) throw new Error(`${key} '${value}' cannot be written to a sacctmgr file: it holds a quote, a colon or a newline`);
  return `${key}='${value}'`;
}

/** A line's record: `Account - 'name'`. */
function record(kind: "Parent" | "Account" | "User", name: string): string {
  return quoted(`${kind} - `, name).replace(" - =", " - ");
}

function accountLines(account: SlurmAccount): string[] {
  const lines = [
    record("Parent", "root"),
    [
      record("Account", account.name),
      quoted("Description", account.description),
      quoted("Organization", account.organization),
      `Fairshare=${account.fairshare}`,
      `GrpTRES=gres/gpu=${account.grpGpus}`,
      quoted("QOS", account.qos),
      quoted("DefaultQOS", account.qos),
    ].join(":"),
  ];
  if (account.users.length > 0) {
    lines.push(record("Parent", account.name));
    // A user's jobs share the account's fair share with its other users (Fairshare=parent, sacctmgr.1 [P]).
    for (const user of account.users) {
      lines.push([record("User", user), quoted("DefaultAccount", account.name), "Fairshare=parent"].join(":"));
    }
  }
  return lines;
}

function header(blueprint: Pick<Blueprint, "factory">, what: string): string[] {
  return [
    `# ${what} of ${blueprint.factory} for sacctmgr: rendered by gigafactory from the blueprint; change the spec, not this file.`,
    "# Load with: sacctmgr -i load file=<this file> (after the cluster and QOS exist: accounts.sh).",
    // The cluster line only names the cluster: its defaults stay what slurmdbd has.
    `Cluster - '${slurmClusterName(blueprint.factory)}'`,
  ];
}

/** Every tenant's account and users: `render`'s slurm/accounts.cfg. */
export function renderAccountsCfg(blueprint: Blueprint): string {
  const lines = header(blueprint, `The ${blueprint.tenants.length} tenants' accounts and users`);
  for (const t of blueprint.tenants) lines.push(...accountLines(slurmAccount(blueprint, t)));
  return `${lines.join("\n")}\n`;
}

/** One tenant's account and users: what the tenant's own Job loads. */
export function renderTenantAccountsCfg(blueprint: Pick<Blueprint, "factory" | "pools">, tenant: TenantPlan): string {
  return `${[...header(blueprint, `Tenant ${tenant.name}'s account and users`), ...accountLines(slurmAccount(blueprint, tenant))].join("\n")}\n`;
}
