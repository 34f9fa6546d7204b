import { createHash } from "node:crypto";
import type { TenantPlan } from "../../blueprint/types";
import type { PolicyDocument } from "./iam";
import { TAG_COST_CENTER, TAG_DATA_CLASSIFICATION, TAG_TENANT } from "../../spec/tags";

// What AWS gives a tenant, as plain data: an IAM role its people assume, scoped in the cluster to the tenant's
// namespace through an EKS access entry, and a KMS key for the tenant's data. Tested without Pulumi.

// EKS access policy for a namespace's editors: workloads, services, config, but no RBAC and nothing cluster-wide
// (EKS access policies, AmazonEKSEditPolicy [P]).
export const TENANT_ACCESS_POLICY = "AmazonEKSEditPolicy";
export const TENANT_ROLE_PATH = "/gigafactory/tenants/";
// IAM role names are at most 64 characters (IAM quotas [P]).
export const ROLE_NAME_MAX = 64;

export function accessPolicyArn(partition: string, policy = TENANT_ACCESS_POLICY): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${policy}`;
}

/** The access entry's scope: the tenant's namespace, and nothing else. */
export function tenantAccessScope(tenant: Pick<TenantPlan, "name">): { type: "namespace"; namespaces: string[] } {
  return { type: "namespace", namespaces: [tenant.name] };
}

/** `name` as it is when it fits `max` characters, else its head and a hash of the whole that keeps it unique. */
export function boundedName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, max - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/** `<factory>-<tenant>`, bounded to what IAM allows. */
export function tenantRoleName(factory: string, tenant: string): string {
  return boundedName(`${factory}-${tenant}`, ROLE_NAME_MAX);
}

export function tenantKeyAlias(factory: string, tenant: string): string {
  return `alias/${factory}/tenants/${tenant}`;
}

/**
 * Who may assume the tenant's role: principals of the factory's account that carry the tenant's tag (an
 * identity-center permission set or a federated session tags its users with their tenant).
 */
export function tenantTrustPolicy(args: { partition: string; accountId: string; tenant: string }): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TenantMembersOnly",
        Effect: "Allow",
        Principal: { AWS: `arn:${args.partition}:iam::${args.accountId}:root` },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { [`aws:PrincipalTag/${TAG_TENANT}`]: args.tenant } },
      },
    ],
  };
}

/**
 * The tenant's key: the account administers it through IAM (AWS's default key policy); the tenant's roles (its
 * people's and its pods') use it for data and for grants to the AWS services that store the tenant's data.
 */
export function tenantKeyPolicy(args: { partition: string; accountId: string; roleArns: readonly string[] }): PolicyDocument {
  const tenantRoles = { AWS: args.roleArns.length === 1 ? args.roleArns[0] : [...args.roleArns] };
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:${args.partition}:iam::${args.accountId}:root` }, Action: "kms:*", Resource: "*" },
      {
        Sid: "TenantUsesKey",
        Effect: "Allow",
        Principal: tenantRoles,
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
      },
      {
        Sid: "TenantGrantsToAwsServices",
        Effect: "Allow",
        Principal: tenantRoles,
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ],
  };
}

/** Showback: the tenant's own tags on every AWS resource it owns, over the factory's. */
export function tenantTags(tenant: Pick<TenantPlan, "name" | "costCenter" | "dataClassification">): Record<string, string> {
  return { [TAG_TENANT]: tenant.name, [TAG_COST_CENTER]: tenant.costCenter, [TAG_DATA_CLASSIFICATION]: tenant.dataClassification };
}
