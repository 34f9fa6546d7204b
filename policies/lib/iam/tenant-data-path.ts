import { tenantKeyAlias } from "../../../core/render/aws/tenant-access";
import { podIdentitySessionTags } from "../../../core/render/aws/iam";
import { WORKLOAD_SERVICE_ACCOUNT } from "../../../core/render/aws/tenant-workload";
import { TENANT_BUCKET_ROLES, tenantAccessPointName, tenantPrefix } from "../../../core/render/aws/tenant-s3-access";
import { decide, trusts, type Decision, type Principal, type Request } from "./evaluate";
import type { AccessPoint, IdentityModel, PlannedKey, PlannedRole } from "./plan-identities";

// A tenant's training job followed from its pod to its data, on a plan's own documents: the pod's ServiceAccount,
// the Pod Identity association that names a role for it, the role's trust of Pod Identity's tagged session, the
// role's policies with the tenant's access points' and buckets' policies (a request through an access point needs
// both, docs/sources.md#s3-access-points), and the tenant's key. Then the same path must fail for every other
// tenant's prefix, access point and key, and no other tenant's role may be admitted by this tenant's access points
// or key, each policy on its own.

export interface PathStep {
  step: string;
  allowed: boolean;
  by: string[];
}

export interface TenantPath {
  tenant: string;
  role?: PlannedRole;
  steps: PathStep[];
  /** What breaks the tenant's path or its isolation, each naming the resource. */
  problems: string[];
}

export interface WalkContext {
  factory: string;
  clusterName: string;
  dnsSuffix: string;
}

const OBJECT = "sample/part-0";

function tenantAccessPoints(model: IdentityModel, c: WalkContext, tenant: string): AccessPoint[] {
  const names = TENANT_BUCKET_ROLES.map((r) => tenantAccessPointName(c.factory, tenant, r));
  return model.accessPoints.filter((a) => names.includes(a.name));
}

const tenantKey = (model: IdentityModel, c: WalkContext, tenant: string): PlannedKey | undefined => model.keys.find((k) => k.aliases.includes(tenantKeyAlias(c.factory, tenant)));

/** The role Pod Identity gives a tenant's workload ServiceAccount, as the plan associates it. */
export function workloadRoleOf(model: IdentityModel, c: WalkContext, tenant: string): { role?: PlannedRole; problems: string[] } {
  const associations = model.podIdentities.filter((p) => p.clusterName === c.clusterName && p.namespace === tenant && p.serviceAccount === WORKLOAD_SERVICE_ACCOUNT);
  if (associations.length !== 1) return { problems: [`${tenant}: ${associations.length} Pod Identity associations for ${tenant}/${WORKLOAD_SERVICE_ACCOUNT}, not 1`] };
  const role = model.roles.find((r) => r.arn === associations[0].roleArn);
  return role ? { role, problems: [] } : { problems: [`${tenant}: ${associations[0].name} names ${associations[0].roleArn}, which the plan does not declare`] };
}

/** A request through an access point: allowed only when the access point's side and the bucket's side both allow it. */
export function throughAccessPoint(model: IdentityModel, role: PlannedRole, ap: AccessPoint, action: string, key: string, extra: Request["context"] = {}): Decision {
  const principal: Principal = { arn: role.arn, account: model.account };
  const context = { "s3:DataAccessPointArn": ap.arn, "aws:SecureTransport": "true", "aws:PrincipalAccount": model.account, ...extra };
  const viaPoint = decide({ principal, action, resource: `${ap.arn}/object/${key}`, context }, role.policies, [ap.policy]);
  const bucket = model.bucketPolicies.get(ap.bucket);
  const viaBucket = decide({ principal, action, resource: `${ap.bucketArn}/${key}`, context }, role.policies, bucket ? [bucket] : []);
  return { allowed: viaPoint.allowed && viaBucket.allowed, by: [...viaPoint.by, ...viaBucket.by] };
}

export function walkTenantJob(model: IdentityModel, c: WalkContext, tenant: string, others: readonly string[]): TenantPath {
  const steps: PathStep[] = [];
  const problems: string[] = [];
  const record = (step: string, d: Decision, want: boolean) => {
    steps.push({ step, allowed: d.allowed, by: d.by });
    if (d.allowed !== want) problems.push(`${tenant}: ${step} is ${d.allowed ? "allowed" : "refused"}${d.by.length ? ` (${d.by.join(", ")})` : ""}`);
  };
  if (!model.serviceAccounts.some((s) => s.namespace === tenant && s.name === WORKLOAD_SERVICE_ACCOUNT)) problems.push(`${tenant}: no ServiceAccount ${WORKLOAD_SERVICE_ACCOUNT} in its namespace`);
  const { role, problems: found } = workloadRoleOf(model, c, tenant);
  problems.push(...found);
  if (!role) return { tenant, steps, problems };

  const session = (namespace: string) => podIdentitySessionTags({ clusterName: c.clusterName, namespace, serviceAccount: WORKLOAD_SERVICE_ACCOUNT });
  const podIdentity: Principal = { service: `pods.eks.${c.dnsSuffix}` };
  for (const action of ["sts:AssumeRole", "sts:TagSession"]) {
    record(`Pod Identity ${action} ${role.name} for ${tenant}/${WORKLOAD_SERVICE_ACCOUNT}`, trusts(role.trust, { principal: podIdentity, action, context: session(tenant) }, role.name), true);
    for (const other of others.slice(0, 1)) record(`Pod Identity ${action} ${role.name} for ${other}/${WORKLOAD_SERVICE_ACCOUNT}`, trusts(role.trust, { principal: podIdentity, action, context: session(other) }, role.name), false);
  }

  const key = tenantKey(model, c, tenant);
  if (!key) problems.push(`${tenant}: no key with alias ${tenantKeyAlias(c.factory, tenant)}`);
  const points = tenantAccessPoints(model, c, tenant);
  if (points.length !== TENANT_BUCKET_ROLES.length) problems.push(`${tenant}: ${points.length} access points, not ${TENANT_BUCKET_ROLES.length}`);
  const own = `${tenantPrefix(tenant)}${OBJECT}`;
  const keyHeader = "s3:x-amz-server-side-encryption-aws-kms-key-id";
  for (const ap of points) {
    record(`read ${own} through ${ap.name}`, throughAccessPoint(model, role, ap, "s3:GetObject", own), true);
    if (key) record(`write ${own} through ${ap.name} with the tenant's key`, throughAccessPoint(model, role, ap, "s3:PutObject", own, { [keyHeader]: key.arn }), true);
    record(`write ${own} through ${ap.name} without the tenant's key`, throughAccessPoint(model, role, ap, "s3:PutObject", own), false);
    for (const other of others) record(`read ${tenantPrefix(other)}${OBJECT} through ${ap.name}`, throughAccessPoint(model, role, ap, "s3:GetObject", `${tenantPrefix(other)}${OBJECT}`), false);
  }
  const principal: Principal = { arn: role.arn, account: model.account };
  if (key) for (const action of ["kms:Decrypt", "kms:GenerateDataKey"]) record(`${action} with ${key.aliases[0]}`, decide({ principal, action, resource: key.arn }, role.policies, [key.policy]), true);

  for (const other of others) {
    const theirs = workloadRoleOf(model, c, other).role;
    for (const ap of tenantAccessPoints(model, c, other)) record(`read ${tenantPrefix(other)}${OBJECT} through ${ap.name}`, throughAccessPoint(model, role, ap, "s3:GetObject", `${tenantPrefix(other)}${OBJECT}`), false);
    const otherKey = tenantKey(model, c, other);
    if (otherKey) record(`kms:Decrypt with ${otherKey.aliases[0]}`, decide({ principal, action: "kms:Decrypt", resource: otherKey.arn }, role.policies, [otherKey.policy]), false);
    // Each of the tenant's resource policies keeps the other tenant's pods out on its own, whatever their role allows.
    if (!theirs) continue;
    const them: Principal = { arn: theirs.arn, account: model.account };
    for (const ap of points) {
      const alone = decide({ principal: them, action: "s3:GetObject", resource: `${ap.arn}/object/${own}`, context: { "s3:DataAccessPointArn": ap.arn } }, [], [ap.policy]);
      if (alone.allowed) problems.push(`${tenant}: access point ${ap.name} admits ${other}'s role ${theirs.name} (${alone.by.join(", ")})`);
    }
    if (key) {
      const alone = decide({ principal: them, action: "kms:Decrypt", resource: key.arn }, [], [key.policy]);
      if (alone.allowed) problems.push(`${tenant}: key ${key.aliases[0]} admits ${other}'s role ${theirs.name} (${alone.by.join(", ")})`);
    }
  }
  return { tenant, role, steps, problems };
}
