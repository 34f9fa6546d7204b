import { managedPolicyDataAccess } from "../../../core/catalog/managed-policies";
import { parsePolicy, PolicyDocumentError, type NamedPolicy, type PolicyDocument } from "./evaluate";

// The identities and data policies of a plan, read from its resources' inputs: IAM roles with their trust and
// inline policies, EKS Pod Identity associations, Kubernetes ServiceAccounts, S3 access points and bucket policies,
// KMS keys with their aliases. What a plan cannot say (an output unresolved offline) is left out, so a proof over
// this model fails rather than passes for want of it. A role's attached AWS managed policies count by what they
// grant on S3 and KMS (core/catalog/managed-policies.ts), a customer managed policy by its document in the plan; an
// attachment neither says is listed as unknown, and a document that does not parse as malformed, never thrown.

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
  /** The role's tags: `aws:PrincipalTag/...` of its sessions. */
  tags: Record<string, string>;
  /** Attached policies the model cannot read (an unknown managed policy, an ARN the plan does not make). */
  unknownPolicies: string[];
}

export interface MalformedDocument {
  urn: string;
  name: string;
  message: string;
}

export interface PodIdentity {
  name: string;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
}

export interface AccessPoint {
  urn: string;
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
  grants: { urn: string; name: string; keyArn: string; grantee: string }[];
  /** Roles the model cannot read (no name or trust it can resolve): a proof over every role cannot pass them by. */
  unknownRoles: { urn: string; message: string }[];
  malformed: MalformedDocument[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export function identityModel(resources: readonly PlannedResource[], place: { partition: string; region: string; account?: string }): IdentityModel {
  const byType = (t: string) => resources.filter((r) => r.type === t);
  const associations = byType("aws:eks/podIdentityAssociation:PodIdentityAssociation").flatMap((r): PodIdentity[] => {
    const [clusterName, namespace, serviceAccount, roleArn] = ["clusterName", "namespace", "serviceAccount", "roleArn"].map((k) => str(r.inputs[k]));
    return clusterName && namespace && serviceAccount && roleArn ? [{ name: r.name, clusterName, namespace, serviceAccount, roleArn }] : [];
  });
  // The account, as the plan's own role ARNs carry it.
  const account = place.account ?? associations.map((a) => /^arn:[^:]+:iam::(\d+):/.exec(a.roleArn)?.[1]).find(Boolean) ?? "";
  const malformed: MalformedDocument[] = [];
  const unknownRoles: IdentityModel["unknownRoles"] = [];
  const parsed = (r: PlannedResource, source: unknown): PolicyDocument | undefined => {
    try {
      return parsePolicy(source, r.name);
    } catch (e) {
      if (!(e instanceof PolicyDocumentError)) throw e;
      malformed.push({ urn: r.urn, name: r.name, message: e.message });
      return undefined;
    }
  };
  const inline = byType("aws:iam/rolePolicy:RolePolicy");
  const attachments = byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
  const customer = new Map(byType("aws:iam/policy:Policy").map((p) => [p.urn, p]));
  const roles = byType("aws:iam/role:Role").flatMap((r): PlannedRole[] => {
    const mine = (p: PlannedResource) => (p.dependencies ?? []).includes(r.urn);
    // An auto-named role's name is what its policies' `role` input carries.
    // An auto-named role without policies can reach nothing: its logical name stands in for its ARN's.
    const name = str(r.inputs.name) ?? [...inline, ...attachments].filter(mine).map((p) => str(p.inputs.role)).find(Boolean) ?? r.name;
    const trustText = str(r.inputs.assumeRolePolicy);
    if (!name || !trustText) {
      unknownRoles.push({ urn: r.urn, message: `the role ${r.name} has no ${name ? "trust policy" : "name"} the plan resolves — name it, or give it policies the plan holds` });
      return [];
    }
    const trust = parsed(r, trustText);
    if (!trust) return [];
    const path = str(r.inputs.path) ?? "/";
    const owned = (p: PlannedResource) => p.inputs.role === name || mine(p);
    const policies = inline.filter(owned).flatMap((p) => {
      const doc = str(p.inputs.policy) ? parsed(p, p.inputs.policy) : undefined;
      return doc ? [{ name: p.name, document: doc }] : [];
    });
    const unknownPolicies: string[] = [];
    for (const a of attachments.filter(owned)) {
      const arn = str(a.inputs.policyArn) ?? "";
      const managed = managedPolicyDataAccess(arn);
      const made = (a.dependencies ?? []).map((d) => customer.get(d)).find((p) => p !== undefined);
      const doc = managed ? { Statement: managed.map((m) => ({ ...m, Action: [...m.Action] })) } : made && str(made.inputs.policy) ? parsed(made, made.inputs.policy) : undefined;
      if (doc) policies.push({ name: a.name, document: doc });
      else unknownPolicies.push(arn || a.name);
    }
    const tags = Object.fromEntries(Object.entries((r.inputs.tags ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === "string")) as Record<string, string>;
    return [{ urn: r.urn, name, arn: `arn:${place.partition}:iam::${account}:role${path}${name}`, trust, policies, tags, unknownPolicies }];
  });
  const bucketPolicies = new Map(
    byType("aws:s3/bucketPolicy:BucketPolicy").flatMap((r): [string, NamedPolicy][] => {
      const doc = str(r.inputs.bucket) && str(r.inputs.policy) ? parsed(r, r.inputs.policy) : undefined;
      return doc ? [[str(r.inputs.bucket)!, { name: r.name, document: doc }]] : [];
    }),
  );
  const accessPoints = byType("aws:s3/accessPoint:AccessPoint").flatMap((r): AccessPoint[] => {
    const [name, bucket, policy] = [str(r.inputs.name), str(r.inputs.bucket), r.inputs.policy];
    const doc = name && bucket && policy !== undefined ? parsed(r, policy) : undefined;
    if (!name || !bucket || !doc) return [];
    return [
      {
        urn: r.urn,
        name,
        arn: `arn:${place.partition}:s3:${place.region}:${account}:accesspoint/${name}`,
        bucket,
        bucketArn: `arn:${place.partition}:s3:::${bucket}`,
        policy: { name: r.name, document: doc },
      },
    ];
  });
  const aliases = byType("aws:kms/alias:Alias");
  const keys = byType("aws:kms/key:Key").flatMap((r): PlannedKey[] => {
    if (r.inputs.policy === undefined) return [];
    const own = aliases.filter((a) => (a.dependencies ?? []).includes(r.urn));
    const keyId = own.map((a) => str(a.inputs.targetKeyId)).find(Boolean);
    const doc = keyId ? parsed(r, r.inputs.policy) : undefined;
    if (!keyId || !doc) return [];
    return [
      {
        urn: r.urn,
        arn: `arn:${place.partition}:kms:${place.region}:${account}:key/${keyId}`,
        aliases: own.map((a) => str(a.inputs.name) ?? ""),
        policy: { name: r.name, document: doc },
      },
    ];
  });
  const grants = byType("aws:kms/grant:Grant").flatMap((g) => {
    const [keyArn, grantee] = [str(g.inputs.keyId), str(g.inputs.granteePrincipal)];
    return keyArn && grantee ? [{ urn: g.urn, name: g.name, keyArn, grantee }] : [];
  });
  const serviceAccounts = byType("kubernetes:core/v1:ServiceAccount").flatMap((r) => {
    const meta = (r.inputs.metadata ?? {}) as Record<string, unknown>;
    return str(meta.name) && str(meta.namespace) ? [{ namespace: str(meta.namespace)!, name: str(meta.name)! }] : [];
  });
  return { partition: place.partition, region: place.region, account, roles, podIdentities: associations, serviceAccounts, accessPoints, bucketPolicies, keys, malformed, unknownRoles, grants };
}
