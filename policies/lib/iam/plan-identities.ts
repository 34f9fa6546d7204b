import { parsePolicy, type NamedPolicy, type PolicyDocument } from "./evaluate";

// The identities and data policies of a plan, read from its resources' inputs: IAM roles with their trust and
// inline policies, EKS Pod Identity associations, Kubernetes ServiceAccounts, S3 access points and bucket policies,
// KMS keys with their aliases. What a plan cannot say (an output unresolved offline) is left out, so a proof over
// this model fails rather than passes for want of it.

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  dependencies?: string[];
}

export interface PlannedRole {
  urn: string;
  name: string;
  arn: string;
  trust: PolicyDocument;
  policies: NamedPolicy[];
}

export interface PodIdentity {
  name: string;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
}

export interface AccessPoint {
  name: string;
  arn: string;
  bucket: string;
  bucketArn: string;
  policy: NamedPolicy;
}

export interface PlannedKey {
  urn: string;
  arn: string;
  aliases: string[];
  policy: NamedPolicy;
}

export interface IdentityModel {
  partition: string;
  region: string;
  account: string;
  roles: PlannedRole[];
  podIdentities: PodIdentity[];
  serviceAccounts: { namespace: string; name: string }[];
  accessPoints: AccessPoint[];
  bucketPolicies: Map<string, NamedPolicy>;
  keys: PlannedKey[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export function identityModel(resources: readonly PlannedResource[], place: { partition: string; region: string }): IdentityModel {
  const byType = (t: string) => resources.filter((r) => r.type === t);
  const associations = byType("aws:eks/podIdentityAssociation:PodIdentityAssociation").flatMap((r): PodIdentity[] => {
    const [clusterName, namespace, serviceAccount, roleArn] = ["clusterName", "namespace", "serviceAccount", "roleArn"].map((k) => str(r.inputs[k]));
    return clusterName && namespace && serviceAccount && roleArn ? [{ name: r.name, clusterName, namespace, serviceAccount, roleArn }] : [];
  });
  // The account, as the plan's own role ARNs carry it.
  const account = associations.map((a) => /^arn:[^:]+:iam::(\d+):/.exec(a.roleArn)?.[1]).find(Boolean) ?? "";
  const inline = byType("aws:iam/rolePolicy:RolePolicy");
  const roles = byType("aws:iam/role:Role").flatMap((r): PlannedRole[] => {
    const name = str(r.inputs.name);
    const trust = str(r.inputs.assumeRolePolicy);
    if (!name || !trust) return [];
    const path = str(r.inputs.path) ?? "/";
    const policies = inline
      .filter((p) => p.inputs.role === name || (p.dependencies ?? []).includes(r.urn))
      .flatMap((p) => (str(p.inputs.policy) ? [{ name: p.name, document: parsePolicy(p.inputs.policy, p.name) }] : []));
    return [{ urn: r.urn, name, arn: `arn:${place.partition}:iam::${account}:role${path}${name}`, trust: parsePolicy(trust, r.name), policies }];
  });
  const bucketPolicies = new Map(
    byType("aws:s3/bucketPolicy:BucketPolicy").flatMap((r) => (str(r.inputs.bucket) && str(r.inputs.policy) ? [[str(r.inputs.bucket)!, { name: r.name, document: parsePolicy(r.inputs.policy, r.name) }]] : [])),
  );
  const accessPoints = byType("aws:s3/accessPoint:AccessPoint").flatMap((r): AccessPoint[] => {
    const [name, bucket, policy] = [str(r.inputs.name), str(r.inputs.bucket), r.inputs.policy];
    if (!name || !bucket || policy === undefined) return [];
    return [
      {
        name,
        arn: `arn:${place.partition}:s3:${place.region}:${account}:accesspoint/${name}`,
        bucket,
        bucketArn: `arn:${place.partition}:s3:::${bucket}`,
        policy: { name: r.name, document: parsePolicy(policy, r.name) },
      },
    ];
  });
  const aliases = byType("aws:kms/alias:Alias");
  const keys = byType("aws:kms/key:Key").flatMap((r): PlannedKey[] => {
    if (r.inputs.policy === undefined) return [];
    const own = aliases.filter((a) => (a.dependencies ?? []).includes(r.urn));
    const keyId = own.map((a) => str(a.inputs.targetKeyId)).find(Boolean);
    if (!keyId) return [];
    return [
      {
        urn: r.urn,
        arn: `arn:${place.partition}:kms:${place.region}:${account}:key/${keyId}`,
        aliases: own.map((a) => str(a.inputs.name) ?? ""),
        policy: { name: r.name, document: parsePolicy(r.inputs.policy, r.name) },
      },
    ];
  });
  const serviceAccounts = byType("kubernetes:core/v1:ServiceAccount").flatMap((r) => {
    const meta = (r.inputs.metadata ?? {}) as Record<string, unknown>;
    return str(meta.name) && str(meta.namespace) ? [{ namespace: str(meta.namespace)!, name: str(meta.name)! }] : [];
  });
  return { ...place, account, roles, podIdentities: associations, serviceAccounts, accessPoints, bucketPolicies, keys };
}
