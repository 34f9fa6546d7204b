// The names Slurm gives the factory's things, and the rules Slurm holds them to.
// A tenant is a Slurm account of the same name; a priority class is a QOS of the same name;
// a pool is a partition of the same name, beside one default partition over every node.

/** The partition every job lands in that names none. */
export const DEFAULT_PARTITION = "all";

// sacctmgr folds account and QOS names to lower case (slurm_addto_char_list, src/common/slurm_protocol_defs.c [P]),
// and slurmctld folds ClusterName the same way (src/common/read_config.c [P]).
export const foldSlurmName = (name: string): string => name.toLowerCase();

export const slurmAccountName = (tenant: string): string => foldSlurmName(tenant);
export const slurmQosName = (priority: string): string => foldSlurmName(priority);
export const slurmClusterName = (factory: string): string => foldSlurmName(factory);

// slurmdbd keys accounts and QOS on the first 42 characters of the name (acct_table `primary key (name(42))`,
// qos_table `unique index (name(42))`, src/plugins/accounting_storage/mysql/accounting_storage_mysql.c [P]):
// two names alike in those characters are one record.
export const ACCOUNT_NAME_KEY_CHARS = 42;

// Characters that survive sacctmgr's parsing unchanged: it splits on commas, expands brackets as hostlists,
// turns quotes into backticks and reads `=` as an assignment (slurm_addto_char_list [P]).
export const SLURM_ACCOUNT_NAME = /^[a-z0-9][a-z0-9_.-]*$/;

// Every cluster's association tree starts at the account `root` (sacctmgr.1 [P]).
export const RESERVED_ACCOUNTS: readonly string[] = ["root"];

// `ClusterName` names MySQL tables: 40 characters at most (slurm.conf.5 [P]).
export const CLUSTER_NAME_MAX_CHARS = 40;

// A host name Slurm, DNS and Kubernetes all take: one DNS label (RFC 1123), which also keeps the
// hostlist metacharacters `[ ] ,` out of it.
export const HOSTNAME_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
export const HOSTNAME_MAX_CHARS = 63;

// `PartitionName=DEFAULT` sets defaults instead of defining a partition (slurm.conf.5 [P]; compared without case).
export const RESERVED_PARTITION_NAMES: readonly string[] = ["default", DEFAULT_PARTITION];

// topology.conf: a switch name cannot be longer than 64 characters (topology.conf.5 [P]).
export const SWITCH_NAME_MAX_CHARS = 64;
