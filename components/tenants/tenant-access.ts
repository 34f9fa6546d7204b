import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { TenantPlan } from "../../core/blueprint/types";
import { accessPolicyArn, tenantAccessScope, tenantKeyAlias, tenantKeyPolicy, tenantRoleName, TENANT_ROLE_PATH, tenantTags, tenantTrustPolicy } from "../../core/render/aws/tenant-access";
import { accessPointArn, TENANT_BUCKET_ROLES, tenantAccessPointName, tenantAccessPointPolicy, tenantDataPolicy, type TenantBucketRole } from "../../core/render/aws/tenant-s3-access";
import { tenantGroup, tenantWorkloadRoleName, tenantWorkloadTrustPolicy, WORKLOAD_SERVICE_ACCOUNT } from "../../core/render/aws/tenant-workload";

// A tenant's AWS side on EKS: an IAM role for its people, allowed into the cluster for its namespace only and put in
// the tenant's Kubernetes group (which its RoleBindings name); an IAM role for its pods, which EKS Pod Identity gives
// the tenant's workload ServiceAccount; a KMS key for its data, kept and rotated; and access points to its prefix of
// the factory's buckets, which admit both roles and no other tenant's. Declared under the tenant's Tenant (the
// in-cluster part, tenant.ts), which owns it: tag guardrails read tenancy from that parent.

export interface TenantAccessArgs {
  factory: string;
  clusterName: pulumi.Input<string>;
  partition: string;
  /** The region's DNS suffix, in the Pod Identity service principal. */
  dnsSuffix: string;
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
  /** The role the tenant's pods get through Pod Identity. */
  workloadRole: aws.iam.Role;
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
  const entry = new aws.eks.AccessEntry(
    `${name}-access`,
    { clusterName: a.clusterName, principalArn: role.arn, type: "STANDARD", kubernetesGroups: [tenantGroup(tenant.name)], tags },
    own,
  );
  new aws.eks.AccessPolicyAssociation(
    `${name}-access-policy`,
    { clusterName: a.clusterName, principalArn: role.arn, policyArn: accessPolicyArn(a.partition), accessScope: tenantAccessScope(tenant) },
    { ...own, dependsOn: [entry] },
  );
  const workloadRole = declareWorkloadIdentity(name, tenant, a, own);
  const key = new aws.kms.Key(
    `${name}-key`,
    {
      description: `gigafactory ${a.factory}: data of tenant ${tenant.name}`,
      enableKeyRotation: true,
      // The longest window AWS allows: a key scheduled for deletion by mistake can be recovered for 30 days.
      deletionWindowInDays: 30,
      multiRegion: false,
      policy: pulumi
        .all([a.accountId, role.arn, workloadRole.arn])
        .apply(([accountId, ...roleArns]) => JSON.stringify(tenantKeyPolicy({ partition: a.partition, accountId, roleArns }))),
      tags,
    },
    // A lost key is the tenant's data lost: never deleted by the engine, kept when the stack goes.
    { ...own, protect: true, retainOnDelete: true },
  );
  new aws.kms.Alias(`${name}-key-alias`, { name: tenantKeyAlias(a.factory, tenant.name), targetKeyId: key.keyId }, own);
  const access = { role, workloadRole, key };
  if (a.data) declareDataAccess(name, tenant, a, a.data, access, own);
  return access;
}

/** The pods' role, trusted by Pod Identity for the tenant's workload ServiceAccount, and its association. */
function declareWorkloadIdentity(name: string, tenant: TenantPlan, a: TenantAccessArgs, own: pulumi.CustomResourceOptions): aws.iam.Role {
  const role = new aws.iam.Role(
    `${name}-workload-role`,
    {
      name: tenantWorkloadRoleName(a.factory, tenant.name),
      path: TENANT_ROLE_PATH,
      description: `gigafactory ${a.factory}: pods of tenant ${tenant.name}, its workload service account only`,
      assumeRolePolicy: pulumi
        .output(a.clusterName)
        .apply((clusterName) => JSON.stringify(tenantWorkloadTrustPolicy({ dnsSuffix: a.dnsSuffix, clusterName, tenant: tenant.name }))),
      tags: tenantTags(tenant),
    },
    own,
  );
  new aws.eks.PodIdentityAssociation(
    `${name}-workload-identity`,
    { clusterName: a.clusterName, namespace: tenant.name, serviceAccount: WORKLOAD_SERVICE_ACCOUNT, roleArn: role.arn, tags: tenantTags(tenant) },
    own,
  );
  return role;
}

/** An access point per bucket, in the VPC only, and the role's right to use them for its prefix. */
function declareDataAccess(name: string, tenant: TenantPlan, a: TenantAccessArgs, data: TenantDataArgs, { role, workloadRole, key }: TenantAccess, own: pulumi.CustomResourceOptions): void {
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
          .all([a.accountId, role.arn, workloadRole.arn, key.arn])
          .apply(([accountId, roleArn, workloadRoleArn, tenantKeyArn]) =>
            JSON.stringify(
              tenantAccessPointPolicy({ partition: a.partition, region: data.region, accountId, accessPointName, tenant: tenant.name, roleArns: [roleArn, workloadRoleArn], tenantKeyArn }),
            ),
          ),
      },
      own,
    );
    return pulumi
      .all([a.accountId, bucket.arn])
      .apply(([accountId, bucketArn]) => ({ bucketArn, accessPointArn: accessPointArn({ partition: a.partition, region: data.region, accountId, accessPointName }) }));
  });
  const policy = pulumi.all(access).apply((list) => JSON.stringify(tenantDataPolicy(tenant.name, list)));
  new aws.iam.RolePolicy(`${name}-data`, { role: role.name, policy }, own);
  new aws.iam.RolePolicy(`${name}-workload-data`, { role: workloadRole.name, policy }, own);
}
