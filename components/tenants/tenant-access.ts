import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { TenantPlan } from "../../core/blueprint/types";
import { accessPolicyArn, tenantAccessScope, tenantKeyAlias, tenantKeyPolicy, tenantRoleName, TENANT_ROLE_PATH, tenantTags, tenantTrustPolicy } from "../../core/render/aws/tenant-access";
import { accessPointArn, TENANT_BUCKET_ROLES, tenantAccessPointName, tenantAccessPointPolicy, tenantDataPolicy, type TenantBucketRole } from "../../core/render/aws/tenant-s3-access";

// A tenant's AWS side on EKS: an IAM role for its people, allowed into the cluster for its namespace only, a KMS key
// for its data, kept and rotated, and access points to its prefix of the factory's buckets. Declared under the
// tenant's Tenant (the in-cluster part, tenant.ts), which owns it: tag guardrails read tenancy from that parent.

export interface TenantAccessArgs {
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

export interface TenantAccess {
  role: aws.iam.Role;
  key: aws.kms.Key;
}

/** Where the access goes: the tenant's Tenant as parent, and the factory's AWS provider (the Tenant has none). */
export interface TenantAccessPlacement {
  parent: pulumi.Resource;
  provider: aws.Provider;
}

/** The tenant's role, its access entry scoped to its namespace, its key, and its access to the factory's buckets. */
export function declareTenantAccess(name: string, tenant: TenantPlan, a: TenantAccessArgs, placement: TenantAccessPlacement): TenantAccess {
  const own: pulumi.CustomResourceOptions = { parent: placement.parent, provider: placement.provider };
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
    own,
  );
  const entry = new aws.eks.AccessEntry(`${name}-access`, { clusterName: a.clusterName, principalArn: role.arn, type: "STANDARD", tags }, own);
  new aws.eks.AccessPolicyAssociation(
    `${name}-access-policy`,
    { clusterName: a.clusterName, principalArn: role.arn, policyArn: accessPolicyArn(a.partition), accessScope: tenantAccessScope(tenant) },
    { ...own, dependsOn: [entry] },
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
    { ...own, protect: true, retainOnDelete: true },
  );
  new aws.kms.Alias(`${name}-key-alias`, { name: tenantKeyAlias(a.factory, tenant.name), targetKeyId: key.keyId }, own);
  if (a.data) declareDataAccess(name, tenant, a, a.data, { role, key }, own);
  return { role, key };
}

/** An access point per bucket, in the VPC only, and the role's right to use them for its prefix. */
function declareDataAccess(name: string, tenant: TenantPlan, a: TenantAccessArgs, data: TenantDataArgs, { role, key }: TenantAccess, own: pulumi.CustomResourceOptions): void {
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
      own,
    );
    return pulumi
      .all([a.accountId, bucket.arn])
      .apply(([accountId, bucketArn]) => ({ bucketArn, accessPointArn: accessPointArn({ partition: a.partition, region: data.region, accountId, accessPointName }) }));
  });
  new aws.iam.RolePolicy(`${name}-data`, { role: role.name, policy: pulumi.all(access).apply((list) => JSON.stringify(tenantDataPolicy(tenant.name, list))) }, own);
}
