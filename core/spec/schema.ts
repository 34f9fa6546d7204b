import { z } from "zod";
import { slurmSchema, type SlurmSpec } from "./schema-slurm";

// The factory document under the stack config key `gigafactory:factory`.
// Every object is strict: an unknown key is an error (with a did-you-mean), never ignored.
// Fields a preset can fill are optional here; `resolveSpec` applies the preset and yields a FactorySpec.

export const PRESETS = ["dev", "ai-factory", "gigafactory"] as const;
export type PresetName = (typeof PRESETS)[number];

// DNS-1123 label: names become Kubernetes namespaces, Slurm host prefixes and AWS name parts.
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const dnsLabel = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .regex(DNS_LABEL, "lower-case letters, digits and '-', starting with a letter and not ending with '-'");

export const poolNameSchema = dnsLabel(20);
export const tenantNameSchema = dnsLabel(40);

// "1T", "70B", "405e9" or a plain number of parameters.
const PARAM_SUFFIX: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, G: 1e9, T: 1e12 };
export const parameterCountSchema = z.union([
  z.number().positive().finite(),
  z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*[KMBGT]\s*$/i, "a number, or a number with K, M, B or T (e.g. 70B, 1T)")
    .transform((s) => {
      const t = s.trim();
      return Number.parseFloat(t) * PARAM_SUFFIX[t.slice(-1).toUpperCase()];
    }),
]);

export const CAPACITY_SOURCES = ["on-demand", "spot", "odcr", "capacity-block"] as const;
export type CapacitySourceName = (typeof CAPACITY_SOURCES)[number];

// Ids, ARNs and AZ IDs are plain strings here: the capacity validator parses them (core/spec/reservations.ts) and names
// the YAML path of each bad one.
const capacityBlockSchema = z
  .object({
    reservationId: z.string(),
    // The block's AZ ID; a pool placed by AZ ID takes blocks of its zone only.
    availabilityZoneId: z.string().optional(),
    instances: z.number().int().positive(),
  })
  .strict();

// A reservation AWS has delivered: by id, or a capacity-reservation resource group by ARN, in an AZ ID, holding
// `instances` instances for the pool (a shared or future-dated reservation is named the same way).
const deliveredReservationSchema = z
  .object({
    reservationId: z.string().optional(),
    resourceGroupArn: z.string().optional(),
    availabilityZoneId: z.string(),
    instances: z.number().int().positive(),
  })
  .strict();
export type DeliveredReservationInput = z.infer<typeof deliveredReservationSchema>;

export const capacitySchema = z.discriminatedUnion("source", [
  z.object({ source: z.literal("on-demand") }).strict(),
  z.object({ source: z.literal("spot") }).strict(),
  // On-Demand Capacity Reservations: the ones AWS has delivered, named (`reservations`), or, as an explicit choice for
  // small stacks, created by the stack (`create: true`: one per node group inside its placement group). Exactly one.
  z
    .object({
      source: z.literal("odcr"),
      reservations: z.array(deliveredReservationSchema).min(1).optional(),
      create: z.boolean().optional(),
    })
    .strict(),
  // Capacity Blocks bought beforehand; AWS places them, so no placement group.
  z.object({ source: z.literal("capacity-block"), blocks: z.array(capacityBlockSchema).min(1) }).strict(),
]);
export type CapacitySpec = z.infer<typeof capacitySchema>;

export const PLACEMENTS = ["cluster", "none"] as const;

// What Slurm is told about a pool's nodes where the derived figures do not fit the site: memory kept back for a
// Lustre client cache or agents (RealMemory below the derived figure), cores kept for the system (CoreSpecCount).
export const poolSlurmSchema = z
  .object({
    realMemoryMiB: z.number().int().positive().optional(),
    coreSpecCount: z.number().int().nonnegative().optional(),
  })
  .strict();

// The EKS-optimized AMI release a pool's nodes run, pinned: `1.33-v20251016` (core/catalog/ami.ts parses it, the
// rollout validator names a bad one). A plan never changes a node image unless this does.
export const nodeImageSchema = z.object({ release: z.string() }).strict();

// How a change of a pool's launch template (a new image, new user data) reaches its units: in waves of whole node
// groups, each wave one `pulumi up`, a soak between them (core/blueprint/rollout.ts).
export const rolloutSchema = z
  .object({
    // The most units one wave drains: a number of units, or a share of the pool's. At most one of the two.
    waveUnits: z.number().int().positive().optional(),
    wavePercent: z.number().positive().max(100).optional(),
    // How long a wave runs before the next one starts (the next `pulumi up`).
    soakMinutes: z.number().int().nonnegative().optional(),
    // Nodes of one node group drained at a time (EKS updateConfig.maxUnavailable); a unit's worth by default.
    maxUnavailable: z.number().int().positive().optional(),
    // A rollout under way: the waves 1..wave run the launch template's newest version, the others keep the version
    // they run. Raised by one per `pulumi up`; removed when every wave has run.
    wave: z.number().int().positive().optional(),
  })
  .strict();

export const poolSchema = z
  .object({
    instanceType: z.string().min(1),
    nodes: z.number().int().positive().optional(),
    gpus: z.number().int().positive().optional(),
    // Where the pool runs: a zone's name, or its AZ ID (the same zone in every account), which a pool on
    // reservations AWS has delivered must use. Exactly one of the two.
    availabilityZone: z.string().min(1).optional(),
    availabilityZoneId: z.string().min(1).optional(),
    capacity: capacitySchema.optional(),
    // Explicit: `cluster` is one cluster placement group per node group; capacity blocks and delivered reservations need `none`.
    placement: z.enum(PLACEMENTS).optional(),
    maxPodsPerNode: z.number().int().positive().optional(),
    // Tenants allowed on this pool; all tenants when omitted.
    tenants: z.array(z.string()).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    slurm: poolSlurmSchema.optional(),
    image: nodeImageSchema.optional(),
    rollout: rolloutSchema.optional(),
  })
  .strict();
export type PoolInput = z.infer<typeof poolSchema>;

export const POD_ADDRESSING = ["prefix-delegation", "secondary-ip"] as const;

export const networkSchema = z
  .object({
    // One or more VPC CIDR blocks (each /16 to /28, AWS's limits); GPU subnets are carved from them.
    vpcCidrs: z.array(z.string()).min(1).optional(),
    podAddressing: z.enum(POD_ADDRESSING).optional(),
    maxPodsPerNode: z.number().int().positive().optional(),
    // AZs for the system pool and endpoints; GPU pools name their own.
    systemAvailabilityZones: z.array(z.string()).min(1).optional(),
    // Private factory by default: VPC endpoints and no route to the internet.
    natGateway: z.boolean().optional(),
    flowLogRetentionDays: z.number().int().positive().optional(),
  })
  .strict();

// How the in-cluster layers reach the private API server: the foundation layer's deploy runner inside the VPC,
// an operator network the spec names, and (only with an explicit list) the public endpoint. Element values are
// plain strings here: the access validator parses them and names the YAML path of each bad one.
export const accessSchema = z
  .object({
    runner: z
      .object({
        enabled: z.boolean().optional(),
        // CodeBuild's build timeout, 5 to 2160 minutes (CodeBuild API, CreateProject timeoutInMinutes).
        timeoutMinutes: z.number().int().optional(),
        // Where Pulumi keeps the layers' state: the runner reads the layers below and writes its own.
        state: z.object({ bucketArn: z.string(), kmsKeyArn: z.string().optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    operatorCidrs: z.array(z.string()).optional(),
    operatorSecurityGroupIds: z.array(z.string()).optional(),
    publicEndpointCidrs: z.array(z.string()).optional(),
  })
  .strict();

export const storageSchema = z
  .object({
    checkpoint: z
      .object({
        modelParameters: parameterCountSchema.optional(),
        bytesPerParameter: z.number().positive().optional(),
        seconds: z.number().positive().optional(),
        keep: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    datasetTB: z.number().nonnegative().optional(),
    readMBpsPerGpu: z.number().nonnegative().optional(),
    // Files in the dataset (e.g. 4M): sizes the Lustre metadata servers; absent, 256 MB shards are assumed.
    datasetFiles: parameterCountSchema.optional(),
    // What the Lustre file system is made with and cannot change afterwards without a new file system.
    lustre: z
      .object({
        efa: z.boolean().optional(),
        metadataIops: z.number().int().positive().optional(),
        // The pool whose AZ the file system sits in (a single-AZ file system cannot move: another AZ is a new one).
        nextToPool: z.string().min(1).optional(),
        // The throughput tier, MB/s per TiB: an EFA-enabled file system keeps the one it was created with.
        tierMBpsPerTiB: z.number().int().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const DATA_CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;

// A person of a tenant who logs in and submits Slurm jobs (validators/tenant-users.ts checks the name, uid and keys).
export const tenantUserSchema = z
  .object({
    name: z.string(),
    uid: z.number().int(),
    // OpenSSH public keys (authorized_keys lines) the user logs in with.
    sshKeys: z.array(z.string()).optional(),
  })
  .strict();
export type TenantUserInput = z.infer<typeof tenantUserSchema>;

export const tenantSchema = z
  .object({
    gpuQuota: z.number().int().nonnegative(),
    priority: z.string().optional(),
    costCenter: z.string().min(1).optional(),
    dataClassification: z.enum(DATA_CLASSIFICATIONS).optional(),
    pools: z.array(z.string()).optional(),
    // GPUs the tenant may borrow above its quota from idle capacity of the cohort.
    borrowingLimitGpus: z.number().int().nonnegative().optional(),
    // GPUs of its quota the tenant lends to others while idle.
    lendingLimitGpus: z.number().int().nonnegative().optional(),
    contact: z.string().optional(),
    // Its users: a POSIX account on Slurm's login and slurmd pods and a Slurm user of the tenant's account.
    users: z.array(tenantUserSchema).optional(),
  })
  .strict();
export type TenantInput = z.infer<typeof tenantSchema>;

export const kubernetesSchema = z
  .object({
    version: z.string().regex(/^1\.\d{2}$/, "a Kubernetes minor version such as 1.33").optional(),
    // The node image release of every pool that pins none, and of the system pool.
    image: nodeImageSchema.optional(),
  })
  .strict();

export const factoryInputSchema = z
  .object({
    preset: z.enum(PRESETS),
    name: dnsLabel(24).optional(),
    costCenter: z.string().min(1).optional(),
    dataClassification: z.enum(DATA_CLASSIFICATIONS).optional(),
    scalableUnit: z
      .object({
        nodes: z.number().int().positive().optional(),
        // Units per managed node group: fixed, so a growing pool adds groups and never reshapes one (node-groups.ts).
        unitsPerNodeGroup: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    pools: z.record(poolNameSchema, poolSchema).optional(),
    network: networkSchema.optional(),
    access: accessSchema.optional(),
    storage: storageSchema.optional(),
    priorities: z.record(dnsLabel(40), z.number().int().min(0).max(1_000_000_000)).optional(),
    tenants: z.record(tenantNameSchema, tenantSchema).optional(),
    // A YAML file next to the stack holding `tenants:` (for factories with hundreds of tenants).
    tenantsFile: z.string().min(1).optional(),
    kubernetes: kubernetesSchema.optional(),
    slurm: slurmSchema.optional(),
    // Declare Service Quotas increase requests for what the factory needs beyond AWS's defaults, so they go
    // through review like every other change. Off by default: a request is a conversation with AWS.
    quotas: z.object({ requestIncreases: z.boolean().optional() }).strict().optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type FactoryInput = z.infer<typeof factoryInputSchema>;
export { slurmSchema, type SlurmSpec };

/** A tenants file next to the stack (the spec's tenantsFile): `tenants:` as a map of name to tenant. */
export const tenantsFileSchema = z.object({ tenants: z.record(tenantNameSchema, tenantSchema) }).strict();
export type TenantsFileInput = z.infer<typeof tenantsFileSchema>;

/** The validated spec with the preset applied: every field the rest of the system reads is present. */
export interface FactorySpec {
  preset: PresetName;
  name: string;
  region: string;
  costCenter: string;
  dataClassification: (typeof DATA_CLASSIFICATIONS)[number];
  scalableUnit: { nodes: number; unitsPerNodeGroup: number };
  pools: Record<string, PoolSpec>;
  network: {
    vpcCidrs: string[];
    podAddressing: (typeof POD_ADDRESSING)[number];
    maxPodsPerNode: number;
    systemAvailabilityZones: string[];
    natGateway: boolean;
    flowLogRetentionDays: number;
  };
  access: AccessSpec;
  storage: {
    checkpoint: { modelParameters: number; bytesPerParameter: number; seconds: number; keep: number };
    datasetTB: number;
    readMBpsPerGpu: number;
    /** The dataset's file count; absent, the blueprint assumes 256 MB shards (and says so in the report). */
    datasetFiles?: number;
    /** Pinned by the platform engineer; absent fields are chosen by the blueprint (and warned about). */
    lustre?: { efa?: boolean; metadataIops?: number; nextToPool?: string; tierMBpsPerTiB?: number };
  };
  priorities: Record<string, number>;
  tenants: Record<string, TenantSpec>;
  kubernetes: { version: string; image: NodeImageSpec };
  slurm: SlurmSpec;
  quotas: { requestIncreases: boolean };
  tags: Record<string, string>;
}

/** Pulumi's state backend the runner deploys with: an S3 bucket, and the KMS key of its secrets provider. */
export interface RunnerStateSpec {
  bucketArn: string;
  kmsKeyArn?: string;
}

/** How the in-cluster layers are deployed into the private cluster, and who else reaches its API server. */
export interface AccessSpec {
  /** A CodeBuild project inside the VPC that deploys the in-cluster layers. */
  runner: { enabled: boolean; timeoutMinutes: number; state?: RunnerStateSpec };
  /** Networks connected to the VPC (VPN, Direct Connect, peering) admitted to the API server on 443. */
  operatorCidrs: string[];
  /** Security groups (e.g. a bastion's, in this VPC or a peered one) admitted to the API server on 443. */
  operatorSecurityGroupIds: string[];
  /** Public source ranges for the public endpoint; empty keeps the endpoint private only. */
  publicEndpointCidrs: string[];
}

export interface PoolSpec {
  instanceType: string;
  nodes: number;
  /** Where the pool runs: the zone's name (`eu-north-1a`), or its AZ ID (`eun1-az1`) for a pool placed by AZ ID. */
  availabilityZone: string;
  capacity: CapacitySpec;
  placement: (typeof PLACEMENTS)[number];
  maxPodsPerNode: number;
  tenants: string[];
  labels: Record<string, string>;
  /** Slurm's figures for the pool's nodes; absent ones are derived from the catalog (core/render/slurm/node.ts). */
  slurm: PoolSlurmSpec;
  /** The node image release the pool's nodes run. */
  image: NodeImageSpec;
  rollout: RolloutSpec;
}

export interface NodeImageSpec {
  /** `1.33-v20251016`. */
  release: string;
}

/** How a launch-template change reaches a pool's units (core/blueprint/rollout.ts). */
export interface RolloutSpec {
  /** The most units a wave drains; absent with wavePercent, and both absent means one node group a wave. */
  waveUnits?: number;
  wavePercent?: number;
  soakMinutes: number;
  /** Nodes of a node group drained at a time; absent means a unit's worth. */
  maxUnavailable?: number;
  /** Waves 1..wave on the launch template's newest version; absent when no rollout is under way. */
  wave?: number;
}

export interface PoolSlurmSpec {
  /** RealMemory in MiB; derived when absent. */
  realMemoryMiB?: number;
  /** Cores per node kept for the system (CoreSpecCount). */
  coreSpecCount: number;
}

export interface TenantSpec {
  gpuQuota: number;
  priority: string;
  costCenter: string;
  dataClassification: (typeof DATA_CLASSIFICATIONS)[number];
  pools: string[];
  borrowingLimitGpus: number;
  lendingLimitGpus: number;
  contact?: string;
  users: TenantUser[];
}

export interface TenantUser {
  name: string;
  uid: number;
  sshKeys: string[];
}

export type FindingLevel = "error" | "warning" | "info";
/** One thing validation has to say, with the YAML path it is about and what to do. */
export interface Finding {
  path: string;
  level: FindingLevel;
  message: string;
  hint: string;
}

export const CONFIG_KEY = "gigafactory:factory";
