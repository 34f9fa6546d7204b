import { INSTANCE_TYPES } from "./instances";
import { serviceQuota } from "./quotas";

// The largest factory a spec may ask for, and the largest document that can describe one. Each bound is the
// ceiling of a service the factory is built on, so a spec past it could never be deployed; checking them first
// keeps every answer as quick as a normal plan, however large the numbers or the file.

function ceilingOf(key: string): number {
  const q = serviceQuota(key);
  if (q.ceiling === null) throw new Error(`quota ${key} has no ceiling`);
  return q.ceiling;
}

/** Managed node groups per cluster: 100, a hard limit (docs/sources.md#eks-node-group-ceiling [S]). */
export const MAX_NODE_GROUPS = ceilingOf("eks.managed-node-groups-per-cluster");
/** Nodes per managed node group: 450, a hard limit (docs/sources.md#eks-service-quotas [S]). */
export const MAX_NODES_PER_NODE_GROUP = ceilingOf("eks.nodes-per-managed-node-group");
/** Every GPU node of a factory sits in one of its node groups, so no cluster holds more: 45,000 nodes [inference]. */
export const MAX_FACTORY_NODES = MAX_NODE_GROUPS * MAX_NODES_PER_NODE_GROUP;
/** The most GPUs one node of the catalog carries. */
export const MAX_GPUS_PER_NODE = Math.max(...Object.values(INSTANCE_TYPES).map((t) => t.gpus));
/** GPUs of a whole factory at most [inference: nodes × GPUs per node]. */
export const MAX_FACTORY_GPUS = MAX_FACTORY_NODES * MAX_GPUS_PER_NODE;
/** A pool has at least one node group of its own. */
export const MAX_POOLS = MAX_NODE_GROUPS;
/** Instances across all Capacity Blocks of an account: 256, a hard limit (docs/sources.md#ec2-capacity-blocks [P]). */
export const MAX_CAPACITY_BLOCK_INSTANCES = ceilingOf("ec2.capacity-block-instances");

/**
 * Pod Identity associations per cluster: 1,000, not adjustable (docs/sources.md#eks-service-quotas [P]); each
 * tenant's workloads take one. (Each tenant also has an IAM role: 5,000 per account at most, docs/sources.md#iam-quotas.)
 */
export const MAX_TENANTS = ceilingOf("eks.pod-identity-associations");
/** Priority classes the spec may name: one per tenant at most, and never more than tenants [U: project bound]. */
export const MAX_PRIORITIES = 100;

/** User tags per AWS resource: 50; a key up to 128 characters, a value up to 256 (docs/sources.md#aws-tagging-limits [P]). */
export const MAX_TAGS = 50;
export const MAX_TAG_KEY_CHARS = 128;
export const MAX_TAG_VALUE_CHARS = 256;
/** Kubernetes label: a value up to 63 characters, a key's name up to 63 after a DNS prefix of 253 (docs/sources.md#kubernetes-labels [P]). */
export const MAX_LABEL_KEY_CHARS = 253 + 1 + 63;
export const MAX_LABEL_VALUE_CHARS = 63;
/** Labels a pool may set on its nodes: as many as tags a resource takes [U: project bound]. */
export const MAX_LABELS = MAX_TAGS;

/** IPv4 CIDR blocks per VPC: 5 by default, at most 50 (docs/sources.md#vpc-quotas [P]). */
export const MAX_VPC_CIDRS = 50;
/** Rules per security group times groups per interface: at most 1,000 (docs/sources.md#vpc-quotas [P]). */
export const MAX_SECURITY_GROUP_RULES = 1_000;
/** Public endpoint access CIDR ranges per EKS cluster: 40, not adjustable (docs/sources.md#eks-service-quotas [P]). */
export const MAX_PUBLIC_ENDPOINT_CIDRS = 40;
/** Availability zones a region has at most (us-east-1 has six; the EU regions three) [U: widest region]. */
export const MAX_AVAILABILITY_ZONES = 6;

/** FSx for Lustre metadata IOPS: up to 192,000 per file system (docs/sources.md#fsx-lustre-performance [P]). */
export const MAX_LUSTRE_METADATA_IOPS = 192_000;
/** CloudWatch Logs retention: 3,653 days at most, besides "never expire" (docs/sources.md#cloudwatch-logs-retention [P]). */
export const MAX_LOG_RETENTION_DAYS = 3_653;

/** A checkpoint larger than the largest model trained so far by three orders of magnitude [U: project bound]. */
export const MAX_MODEL_PARAMETERS = 1e15;
export const MAX_BYTES_PER_PARAMETER = 64;
export const MAX_CHECKPOINT_SECONDS = 7 * 24 * 3600;
export const MAX_CHECKPOINTS_KEPT = 1_000;
/** 100 PB of dataset, past what one FSx for Lustre file system holds [U: project bound]. */
export const MAX_DATASET_TB = 100_000;
export const MAX_DATASET_FILES = 1e12;
export const MAX_READ_MBPS_PER_GPU = 100_000;

/**
 * The document: a file larger than this, text longer, lists or maps larger, or nesting deeper, can hold no
 * factory the bounds above allow. The longest text a spec carries is a user's OpenSSH public key (an RSA key of
 * 16,384 bits, the most OpenSSH makes, is about 2,800 characters); a tenant takes at most
 * a dozen fields, so 1,000 tenants with a hundred pools and their lists stay well below 100,000 entries [inference].
 */
export const MAX_TEXT_CHARS = 4_096;
export const MAX_DOCUMENT_ENTRIES = 100_000;
/** The deepest valid path is seven levels under config: (pools.*.capacity.blocks[*].instances) [inference]. */
export const MAX_NESTING = 16;
/** A stack or tenants file: 1,000 tenants of about 4 KiB each, a few users' SSH keys included [inference]. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
