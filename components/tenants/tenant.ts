import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PoolPlan, TenantPlan } from "../../core/blueprint/types";
import { customResource } from "../platform/kueue";
import type { KubernetesObject } from "../../core/render/kubernetes/objects-types";
import { accessPolicyArn, tenantAccessScope, tenantKeyAlias, tenantKeyPolicy, tenantRoleName, TENANT_ROLE_PATH, tenantTags, tenantTrustPolicy } from "../../core/render/aws/tenant-access";
import { accessPointArn, TENANT_BUCKET_ROLES, tenantAccessPointName, tenantAccessPointPolicy, tenantDataPolicy, type TenantBucketRole } from "../../core/render/aws/tenant-s3-access";
import { tenantLustreObjects, tenantShareJob, type LustreShareSource } from "../../core/render/kubernetes/tenants/lustre-share";
import type { TenantObjects } from "../../core/render/kubernetes/tenants/objects";
import { declaredObject } from "../platform/declared";


/** The AWS side of a tenant; absent on a cluster that is not EKS. */
export interface TenantAwsArgs {
  factory: string;
  clusterName: pulumi.Input<string>;
  partition: string;
  accountId: pulumi.Input<string>;
  /** The factory's buckets the tenant keeps data in, reached through access points of its own in the VPC. */
  data?: TenantDataArgs;
}

export interface TenantDataArgs {
  region: string;
  vpcId: pulumi.Input<string>;
  /** The buckets by role (the factory's aws.s3.Bucket resources serve as they are). */
  buckets: Record<TenantBucketRole, { bucket: pulumi.Input<string>; arn: pulumi.Input<string> }>;
}

export interface TenantArgs {
  tenant: TenantPlan;
  /** The tenant's in-cluster objects (objects.ts tenantObjects), declared as they are. */
  objects: TenantObjects;
  /** Kueue's release: the queues need its CRDs and webhooks. */
  kueue: pulumi.Resource;
  aws?: TenantAwsArgs;
  /** The factory's Lustre file system: the tenant gets a share of it, mounted by its pods through one claim. */
  lustre?: TenantLustreArgs;
}

export interface TenantLustreArgs {
  source: pulumi.Output<LustreShareSource>;
  /** The factory's pools, for the nodes the share's Job may run on. */
  pools: readonly Pick<PoolPlan, "name" | "instanceType">[];
  /** The small image (from the factory's registry) the Job runs. */
  jobImage: pulumi.Input<string>;
}

/**
 * One tenant of the factory. In the cluster: its namespace, quota, defaults, network policy, ClusterQueue and
 * LocalQueue (the Kubernetes provider comes from the options). On AWS, when given: an IAM role for its people,
 * allowed into the cluster for its namespace only, and a KMS key for its data, kept and rotated.
 */
export class Tenant extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly role?: aws.iam.Role;
  readonly key?: aws.kms.Key;

  constructor(name: string, args: TenantArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:tenancy:Tenant", name, {}, opts);
    const { objects } = args;
    const asArgs = (o: KubernetesObject) => o as Record<string, unknown>;
    this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, asArgs(objects.namespace), { parent: this });
    const inNamespace = { parent: this, dependsOn: [this.namespace] };
    new k8s.core.v1.ResourceQuota(`${name}-quota`, asArgs(objects.resourceQuota), inNamespace);
    new k8s.core.v1.LimitRange(`${name}-limits`, asArgs(objects.limitRange), inNamespace);
    new k8s.networking.v1.NetworkPolicy(`${name}-network-policy`, asArgs(objects.networkPolicy), inNamespace);
    const queue = customResource(`${name}-cluster-queue`, objects.clusterQueue, { parent: this, dependsOn: [args.kueue] });
    customResource(`${name}-local-queue`, objects.localQueue, { parent: this, dependsOn: [this.namespace, queue] });

    if (args.lustre) this.lustreShare(name, args.tenant, args.lustre);

    if (args.aws) {
      const { role, key } = this.awsAccess(name, args.tenant, args.aws);
      this.role = role;
      this.key = key;
    }
    this.registerOutputs({ namespace: objects.namespace.metadata.name, roleArn: this.role?.arn, keyArn: this.key?.arn });
  }

  /** The share's directory, its volume bound to the tenant's one claim, and the claim. */
  private lustreShare(name: string, tenant: TenantPlan, lustre: TenantLustreArgs): void {
    const objects = lustre.source.apply((fs) => tenantLustreObjects(tenant, fs));
    const job = pulumi.output(lustre.jobImage).apply((image) => tenantShareJob(tenant, lustre.pools, image));
    new k8s.batch.v1.Job(`${name}-lustre-share`, declaredObject(job), { parent: this });
    // The tenant's data lives on the file system, not in these objects; still, losing the binding unmounts every pod.
    const volume = new k8s.core.v1.PersistentVolume(`${name}-lustre-volume`, declaredObject(objects.apply((o) => o.persistentVolume)), {
      parent: this,
      protect: true,
      retainOnDelete: true,
    });
    new k8s.core.v1.PersistentVolumeClaim(`${name}-lustre-claim`, declaredObject(objects.apply((o) => o.persistentVolumeClaim)), {
      parent: this,
      dependsOn: [this.namespace, volume],
      protect: true,
      retainOnDelete: true,
    });
  }

  private awsAccess(name: string, tenant: TenantPlan, a: TenantAwsArgs): { role: aws.iam.Role; key: aws.kms.Key } {
    const tags = tenantTags(tenant);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: tenantRoleName(a.factory, tenant.name),
        path: TENANT_ROLE_PATH,
        description: `gigafactory ${a.factory}: tenant ${tenant.name}, its namespace only`,
        assumeRolePolicy: pulumi.output(a.accountId).apply((accountId) => JSON.stringify(tenantTrustPolicy({ partition: a.partition, accountId, tenant: tenant.name }))),
        tags,
      },
      { parent: this },
    );
    const entry = new aws.eks.AccessEntry(`${name}-access`, { clusterName: a.clusterName, principalArn: role.arn, type: "STANDARD", tags }, { parent: this });
    new aws.eks.AccessPolicyAssociation(
      `${name}-access-policy`,
      { clusterName: a.clusterName, principalArn: role.arn, policyArn: accessPolicyArn(a.partition), accessScope: tenantAccessScope(tenant) },
      { parent: this, dependsOn: [entry] },
    );
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `gigafactory ${a.factory}: data of tenant ${tenant.name}`,
        enableKeyRotation: true,
        // The longest window AWS allows: a key scheduled for deletion by mistake can be recovered for 30 days.
        deletionWindowInDays: 30,
        multiRegion: false,
        policy: pulumi
          .all([a.accountId, role.arn])
          .apply(([accountId, roleArn]) => JSON.stringify(tenantKeyPolicy({ partition: a.partition, accountId, roleArn }))),
        tags,
      },
      // A lost key is the tenant's data lost: never deleted by the engine, kept when the stack goes.
      { parent: this, protect: true, retainOnDelete: true },
    );
    new aws.kms.Alias(`${name}-key-alias`, { name: tenantKeyAlias(a.factory, tenant.name), targetKeyId: key.keyId }, { parent: this });
    if (a.data) this.dataAccess(name, tenant, a, a.data, role, key);
    return { role, key };
  }

  /** An access point per bucket, in the VPC only, and the role's right to use them for its prefix. */
  private dataAccess(name: string, tenant: TenantPlan, a: TenantAwsArgs, data: TenantDataArgs, role: aws.iam.Role, key: aws.kms.Key): void {
    const access = TENANT_BUCKET_ROLES.map((bucketRole) => {
      const accessPointName = tenantAccessPointName(a.factory, tenant.name, bucketRole);
      const bucket = data.buckets[bucketRole];
      new aws.s3.AccessPoint(
        `${name}-${bucketRole}-access`,
        {
          bucket: bucket.bucket,
          name: accessPointName,
          vpcConfiguration: { vpcId: data.vpcId },
          tags: tenantTags(tenant),
          publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
          policy: pulumi
            .all([a.accountId, role.arn, key.arn])
            .apply(([accountId, roleArn, tenantKeyArn]) =>
              JSON.stringify(tenantAccessPointPolicy({ partition: a.partition, region: data.region, accountId, accessPointName, tenant: tenant.name, roleArn, tenantKeyArn })),
            ),
        },
        { parent: this },
      );
      return pulumi
        .all([a.accountId, bucket.arn])
        .apply(([accountId, bucketArn]) => ({ bucketArn, accessPointArn: accessPointArn({ partition: a.partition, region: data.region, accountId, accessPointName }) }));
    });
    new aws.iam.RolePolicy(
      `${name}-data`,
      { role: role.name, policy: pulumi.all(access).apply((list) => JSON.stringify(tenantDataPolicy(tenant.name, list))) },
      { parent: this },
    );
  }
}
