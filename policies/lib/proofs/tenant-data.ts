import { wildcardMatch, admission, decide, type NamedPolicy, type Principal, type Request } from "../iam/evaluate";
import type { AccessPoint, IdentityModel, PlannedRole } from "../iam/plan-identities";
import { walkTenantJob } from "../iam/tenant-data-path";
import type { Finding, Proof } from "./types";
import type { PlanView } from "./view";

// Each tenant's S3 prefixes and KMS key, proven with the one IAM evaluator over every role of the plan. Its own pods
// reach them (the job's path from its ServiceAccount to its data, policies/lib/iam/tenant-data-path.ts). No role of
// another tenant does, asked in the worst case (the requester picks every condition key the request does not fix):
// not through any access point or the bucket itself by its own policies, not by a resource policy naming it (the
// tenant's access points and key), not by a grant. The platform's roles that reach the data are listed, not failed.

const OBJECT = "proof/object";
/** Reading, writing or deleting a tenant's objects: each is a breach of its prefix. */
const S3_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] as const;
const verb = (action: string) => (action === "s3:GetObject" ? "reads" : action === "s3:PutObject" ? "writes" : "deletes");
const KMS_USE = "kms:Decrypt";
const TENANT_IN_PATH = /(?:^|[/:])tenants\/([^/*?]+)\//;

export interface DataIsolation {
  s3: Proof;
  kms: Proof;
}

/** The one tenant a resource pattern's literal part fixes (`…/tenants/<t>/…` before any wildcard), if it fixes one. */
function fixedTenant(pattern: string): string | undefined {
  const literal = pattern.split(/[*?]/)[0];
  return TENANT_IN_PATH.exec(literal)?.[1];
}

const patternsFor = (role: PlannedRole, action: string): string[] =>
  role.policies.flatMap((p) => p.document.Statement.filter((s) => s.Effect === "Allow" && actionMay(s.Action, s.NotAction, action)).flatMap((s) => (s.Resource === undefined ? ["*"] : [s.Resource].flat())));

function actionMay(action: unknown, notAction: unknown, wanted: string): boolean {
  if (action !== undefined) return [action].flat().some((a) => wildcardMatch(String(a), wanted, true));
  return ![notAction].flat().some((a) => wildcardMatch(String(a), wanted, true));
}

/** The tenants a role's identity policies may reach with an action: those its patterns fix, or all. */
function tenantsReached(role: PlannedRole, action: string, all: readonly string[]): string[] {
  const patterns = patternsFor(role, action);
  if (patterns.some((p) => fixedTenant(p) === undefined)) return [...all];
  return [...new Set(patterns.map(fixedTenant) as string[])];
}

/** The AWS principals a policy's Allow statements name; "*" for a wildcard or a statement without Principal. */
function principalsNamed(policy: NamedPolicy): string[] {
  return policy.document.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => {
    const p = s.Principal;
    if (p === undefined || p === "*") return ["*"];
    return [(p as Record<string, string | string[]>).AWS ?? []].flat().map((a) => (a.includes("*") ? "*" : a));
  });
}

export function dataIsolation(view: PlanView, model: IdentityModel): DataIsolation {
  const s3: Finding[] = [];
  const kms: Finding[] = [];
  // The platform's reach, by what it does, over the tenants it reaches.
  const s3Notes = new Map<string, Set<string>>();
  const kmsNotes = new Map<string, Set<string>>();
  const note = (notes: Map<string, Set<string>>, t: string, text: string) => {
    const shape = text.split(t).join("<tenant>");
    notes.set(shape, (notes.get(shape) ?? new Set()).add(t));
  };
  const listed = (notes: Map<string, Set<string>>) =>
    [...notes].map(([shape, ts]) => (ts.size === 1 ? shape.split("<tenant>").join([...ts][0]) : `${shape.split("<tenant>'s").join("each tenant's").split("<tenant>").join("each tenant")} (${ts.size} tenants)`)).sort();
  const tenants = view.tenants;
  const ownerOf = new Map<string, string | undefined>();
  for (const r of model.roles) ownerOf.set(r.arn, view.tenantOf(view.byUrn(r.urn)!));
  const ctx = { factory: view.factory ?? "", clusterName: view.clusterName ?? "", dnsSuffix: view.dnsSuffix };
  const points = new Map<string, AccessPoint[]>();
  for (const a of model.accessPoints) {
    const t = view.tenantOf(view.byUrn(a.urn)!);
    if (t) points.set(t, [...(points.get(t) ?? []), a]);
  }
  const keys = new Map(model.keys.flatMap((k) => {
    const t = view.tenantOf(view.byUrn(k.urn)!);
    return t ? [[t, k] as const] : [];
  }));
  const pointsOf = (t: string) => points.get(t) ?? [];
  const keyOf = (t: string) => keys.get(t);
  const principal = (r: PlannedRole): Principal => ({ arn: r.arn, account: model.account });
  const context = (r: PlannedRole, extra: Record<string, string | string[]> = {}): Request["context"] => ({
    "aws:PrincipalAccount": model.account,
    "aws:PrincipalArn": r.arn,
    ...Object.fromEntries(Object.entries(r.tags).map(([k, v]) => [`aws:PrincipalTag/${k}`, v])),
    ...extra,
  });
  const platform = (r: PlannedRole) => ownerOf.get(r.arn) === undefined;
  const report = (findings: Finding[], notes: Map<string, Set<string>>, t: string, r: PlannedRole, what: string, by: string[], urn: string) => {
    if (platform(r)) note(notes, t, `${r.name} (platform) ${what}`);
    else findings.push({ kind: "broken", tenant: t, urn, message: `${t}: ${ownerOf.get(r.arn)}'s role ${r.name} ${what} (${by.join(", ") || "identity policy"}) — remove the grant; a tenant's data admits its own roles only` });
  };
  for (const u of model.unknownRoles) s3.push({ kind: "unproven", urn: u.urn, message: `cannot prove: ${u.message}` });

  for (const t of tenants) {
    const own = pointsOf(t);
    const key = keyOf(t);
    if (own.length === 0) s3.push({ kind: "broken", tenant: t, message: `${t}: no access point of the tenant in the plan — a tenant's own resources live under its Tenant component` });
    if (!key) kms.push({ kind: "broken", tenant: t, message: `${t}: no KMS key of the tenant in the plan — a tenant's own resources live under its Tenant component` });
    // Its own pods' path: ServiceAccount, association, trust, access points, key.
    if (own.length && key) {
      for (const problem of walkTenantJob(model, ctx, t, []).problems) {
        const finding: Finding = { kind: "broken", tenant: t, message: `${problem} — the tenant's own pods must reach their data` };
        (/kms:|key/.test(problem) && !/ through /.test(problem) ? kms : s3).push(finding);
      }
    }
    // Only a role a policy names (or a wildcard) can be let in by it on its own.
    const named = new Set([...own.map((a) => a.policy), ...(key ? [key.policy] : [])].flatMap(principalsNamed));
    for (const r of model.roles) {
      if (ownerOf.get(r.arn) === t) continue;
      if (r.unknownPolicies.length) {
        s3.push({ kind: "unproven", tenant: t, urn: r.urn, message: `cannot prove ${r.name} stays out of ${t}'s data: its attached ${r.unknownPolicies.join(", ")} cannot be read from the plan — attach only policies the plan holds or the catalog lists` });
        continue;
      }
      if (!named.has("*") && !named.has(r.arn)) continue;
      // A resource policy of the tenant that names this role.
      for (const ap of own) {
        const a = S3_OBJECT_ACTIONS.map((action) => admission(ap.policy, { principal: principal(r), action, resource: `${ap.arn}/object/tenants/${t}/${OBJECT}`, context: context(r, { "s3:DataAccessPointArn": ap.arn }), worstCase: true })).find((x) => x.admits === "yes");
        if (a) report(s3, s3Notes, t, r, `is let into ${t}'s prefix by the access point ${ap.name}`, a.by, ap.urn);
      }
      if (key) {
        const a = admission(key.policy, { principal: principal(r), action: KMS_USE, resource: key.arn, context: context(r), worstCase: true });
        if (a.admits === "yes") report(kms, kmsNotes, t, r, `is let use ${t}'s key ${key.aliases[0] ?? key.arn} by its key policy`, a.by, key.urn);
      }
    }
  }

  // Identity policies: a role reaches a tenant's objects directly in the bucket or through any access point on it.
  for (const r of model.roles) {
    if (r.unknownPolicies.length) continue;
    const own = ownerOf.get(r.arn);
    for (const action of S3_OBJECT_ACTIONS) {
      for (const t of tenantsReached(r, action, tenants)) {
        if (t === own || !tenants.includes(t)) continue;
        const buckets = new Set(pointsOf(t).map((a) => a.bucket));
        for (const bucket of buckets) {
          const bucketArn = `arn:${model.partition}:s3:::${bucket}`;
          const policy = model.bucketPolicies.get(bucket);
          const resource: NamedPolicy[] = policy ? [policy] : [];
          const direct = decide({ principal: principal(r), action, resource: `${bucketArn}/tenants/${t}/${OBJECT}`, context: context(r, { "s3:DataAccessPointArn": [] }), worstCase: true }, r.policies, resource);
          if (direct.allowed) report(s3, s3Notes, t, r, `${verb(action)} ${t}'s objects in ${bucket} directly`, direct.by, r.urn);
          for (const ap of model.accessPoints.filter((a) => a.bucket === bucket)) {
            const c = context(r, { "s3:DataAccessPointArn": ap.arn });
            const through = decide({ principal: principal(r), action, resource: `${ap.arn}/object/tenants/${t}/${OBJECT}`, context: c, worstCase: true }, r.policies, [ap.policy]);
            const behind = decide({ principal: principal(r), action, resource: `${bucketArn}/tenants/${t}/${OBJECT}`, context: c, worstCase: true }, r.policies, resource);
            if (through.allowed && behind.allowed) report(s3, s3Notes, t, r, `${verb(action)} ${t}'s objects through the access point ${ap.name}`, [...through.by, ...behind.by], r.urn);
          }
        }
      }
    }
    // Decrypting, or granting itself (or anyone) the right to: kms:CreateGrant is as good as the key.
    for (const [action, what] of [[KMS_USE, "decrypts with"], ["kms:CreateGrant", "may create grants on"]] as const) {
      const keys = patternsFor(r, action);
      for (const t of tenants) {
        const key = keyOf(t);
        if (!key || t === own || !keys.some((p) => wildcardMatch(p, key.arn))) continue;
        const d = decide({ principal: principal(r), action, resource: key.arn, context: context(r), worstCase: true }, r.policies, [key.policy]);
        if (d.allowed) report(kms, kmsNotes, t, r, `${what} ${t}'s key ${key.aliases[0] ?? key.arn}`, d.by, r.urn);
      }
    }
  }
  // A grant lets its grantee use the key whatever the policies say.
  for (const g of model.grants) {
    const t = tenants.find((x) => keyOf(x)?.arn === g.keyArn || keyOf(x)?.arn.endsWith(`/${g.keyArn}`));
    if (!t) continue;
    const grantee = model.roles.find((r) => r.arn === g.grantee);
    if (grantee && ownerOf.get(grantee.arn) === t) continue;
    if (grantee && platform(grantee)) note(kmsNotes, t, `${grantee.name} (platform) holds the grant ${g.name} on ${t}'s key`);
    else kms.push({ kind: "broken", tenant: t, urn: g.urn, message: `${t}: the grant ${g.name} lets ${g.grantee} use the tenant's key — grant it to the tenant's own roles only` });
  }
  const over = `${tenants.length} tenants, ${model.roles.length} roles`;
  return {
    s3: { property: "tenant-s3-isolated", over, findings: s3, notes: listed(s3Notes) },
    kms: { property: "tenant-key-isolated", over, findings: kms, notes: listed(kmsNotes) },
  };
}
