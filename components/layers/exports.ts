import type * as pulumi from "@pulumi/pulumi";
import type { LayerName } from "../../core/blueprint/layers";
import type { BucketRole } from "../../core/blueprint/buckets";

// What each layer's stack exports for the layers above it: plain values (ids, names, addresses), read through stack
// references. Secrets stay secret outputs of the stack that made them.

export interface FoundationExports {
  accountId: string;
  vpcId: string;
  /** Subnet id by the blueprint's subnet name. */
  subnetIds: Record<string, string>;
  efaSecurityGroupId: string;
  keyArn: string;
  apiServerSecurityGroupId: string;
  /** The deploy runner's role, when the spec asks for a runner: the cluster grants it an access entry. */
  runnerRoleArn: string | null;
  /** `<account>.dkr.ecr.<region>.<dns suffix>`: every chart and image comes from here. */
  registry: string;
  /** The factory's slurmd image in the registry, by its immutable tag, and the project that builds it. */
  slurmdImage: { repository: string; tag: string; buildProject: string };
  /** The factory's login image, alike. */
  loginImage: { repository: string; tag: string; buildProject: string };
}

export interface DataExports {
  fileSystemId: string;
  lustreDnsName: string;
  lustreMountName: string;
  buckets: Record<BucketRole, { bucket: string; arn: string }>;
  databaseAddress: string;
  databasePort: number;
  databaseSecurityGroupId: string;
  /** Base64 of Slurm's shared key and JWT key, and slurmdbd's password: secret outputs. */
  slurmKey: string;
  jwtKey: string;
  databasePassword: string;
}

export interface ComputeExports {
  clusterName: string;
  clusterArn: string;
  endpoint: string;
  certificateAuthority: string;
  clusterSecurityGroupId: string;
  nodeRoleArn: string;
}

export interface PlatformExports {
  /** The Kueue release's name: the tenants' queues need its CRDs and webhooks. */
  kueueRelease: string;
}

export interface LayerExports {
  foundation: FoundationExports;
  data: DataExports;
  compute: ComputeExports;
  platform: PlatformExports;
  tenants: { tenants: string[] };
}

/** A value, or an object whose every leaf may be an output: a stack output keeps where each leaf came from. */
export type DeepInput<T> = pulumi.Input<T> | (T extends readonly unknown[] ? never : T extends object ? { [P in keyof T]: DeepInput<T[P]> } : never);

/** The stack outputs a layer returns to the program: each a value the layers above read. */
export type LayerOutputs<L extends LayerName> = { [K in keyof LayerExports[L]]: DeepInput<LayerExports[L][K]> };

/** How a layer reads the layers below it: a stack reference under `pulumi up`, the plans below under `gigafactory plan`. */
export interface Below {
  get<L extends LayerName, K extends keyof LayerExports[L] & string>(layer: L, key: K): pulumi.Output<LayerExports[L][K]>;
}
