import type { PolicyDocument } from "./iam";
import { boundedName } from "./tenant-access";

// A tenant's way into the factory's buckets: one S3 access point per bucket it may use, reachable from the factory's
// VPC only, whose policy lets the tenant's role read and write under its own prefix and nothing else, and refuses an
// object not encrypted with the tenant's own key. The role's identity policy allows the same, through its access
// points only, so neither policy alone opens anything.

/** The buckets tenants keep data in (the logs bucket is the factory's). */
export const TENANT_BUCKET_ROLES = ["datasets", "checkpoints"] as const;
export type TenantBucketRole = (typeof TENANT_BUCKET_ROLES)[number];

/** Access point names: 3 to 50 lowercase letters, digits and hyphens (S3 user guide, access point naming rules [P]). */
export const ACCESS_POINT_NAME_MAX = 50;

export const tenantPrefix = (tenant: string): string => `tenants/${tenant}/`;

/** `<factory>-<tenant>-<bucket role>`, or its head and a hash that keeps it unique when that is too long. */
export function tenantAccessPointName(factory: string, tenant: string, role: TenantBucketRole): string {
  return boundedName(`${factory}-${tenant}-${role}`.toLowerCase(), ACCESS_POINT_NAME_MAX);
}

export interface AccessPointContext {
  partition: string;
  region: string;
  accountId: string;
  accessPointName: string;
  tenant: string;
  /** The tenant's roles: its people's and its pods'. */
  roleArns: readonly string[];
  tenantKeyArn: string;
}

export const accessPointArn = (c: Pick<AccessPointContext, "partition" | "region" | "accountId" | "accessPointName">): string =>
  `arn:${c.partition}:s3:${c.region}:${c.accountId}:accesspoint/${c.accessPointName}`;

const OBJECT_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];

/** The access point's policy: the tenant's roles, the tenant's prefix, the tenant's key. */
export function tenantAccessPointPolicy(c: AccessPointContext): PolicyDocument {
  const arn = accessPointArn(c);
  const prefix = tenantPrefix(c.tenant);
  const tenantRoles = { AWS: c.roleArns.length === 1 ? c.roleArns[0] : [...c.roleArns] };
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "TenantObjects", Effect: "Allow", Principal: tenantRoles, Action: OBJECT_ACTIONS, Resource: `${arn}/object/${prefix}*` },
      {
        Sid: "TenantListing",
        Effect: "Allow",
        Principal: tenantRoles,
        Action: "s3:ListBucket",
        Resource: arn,
        Condition: { StringLike: { "s3:prefix": [prefix, `${prefix}*`] } },
      },
      {
        // A missing header is refused too: the bucket's default key is the factory's, not the tenant's.
        Sid: "TenantKeyOnly",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: `${arn}/object/*`,
        Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": c.tenantKeyArn } },
      },
    ],
  };
}

export interface TenantBucketAccess {
  bucketArn: string;
  accessPointArn: string;
}

/** The tenant role's own permissions: its prefix of each bucket, only when the request comes through its access point. */
export function tenantDataPolicy(tenant: string, access: readonly TenantBucketAccess[]): PolicyDocument {
  const prefix = tenantPrefix(tenant);
  return {
    Version: "2012-10-17",
    Statement: access.flatMap((a, i) => [
      {
        Sid: `Objects${i}`,
        Effect: "Allow",
        Action: OBJECT_ACTIONS,
        Resource: [`${a.accessPointArn}/object/${prefix}*`, `${a.bucketArn}/${prefix}*`],
        Condition: { StringEquals: { "s3:DataAccessPointArn": a.accessPointArn } },
      },
      {
        Sid: `Listing${i}`,
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: [a.accessPointArn, a.bucketArn],
        Condition: { StringEquals: { "s3:DataAccessPointArn": a.accessPointArn }, StringLike: { "s3:prefix": [prefix, `${prefix}*`] } },
      },
    ]),
  };
}
