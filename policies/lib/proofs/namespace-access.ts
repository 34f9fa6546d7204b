import { asArray, asRecord, asString, asStrings } from "../values";
import type { Finding, Proof } from "./types";
import type { PlanView } from "./view";

// Who acts in each tenant's namespace: its people through their role's access entry (Kubernetes groups of the
// tenant's own, an access policy scoped to its namespace), its pods through its ServiceAccounts and their Pod Identity
// associations; every RoleBinding in the namespace binds only the tenant's subjects, and no binding elsewhere (nor
// any ClusterRoleBinding) binds the tenant's group or ServiceAccounts (Amazon EKS access entries,
// docs/sources.md#eks-access-entries). Subjects of the platform bound in a tenant's namespace are listed.

const ENTRY = "aws:eks/accessEntry:AccessEntry";
const ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
const POD_IDENTITY = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const CLUSTER_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";

export function namespaceProof(view: PlanView): Proof {
  const findings: Finding[] = [];
  const notes = new Set<string>();
  const groupsOf = new Map<string, string[]>();
  const roleOwner = new Map<string, string>();
  for (const e of view.ofType(ENTRY)) {
    const t = view.tenantOf(e);
    const principal = asString(e.props.principalArn);
    if (!t) continue;
    if (principal) roleOwner.set(principal, t);
    const groups = asStrings(e.props.kubernetesGroups);
    groupsOf.set(t, [...(groupsOf.get(t) ?? []), ...groups]);
    for (const g of groups) if (g.startsWith("system:") || !g.includes(t)) findings.push({ kind: "broken", tenant: t, urn: e.urn, message: `${t}: the access entry ${e.name} puts the tenant's role in the group ${g}, which is not the tenant's own — name a group of the tenant only` });
  }
  for (const p of view.ofType(POD_IDENTITY)) if (view.tenantOf(p)) roleOwner.set(asString(p.props.roleArn) ?? "", view.tenantOf(p)!);
  const ownerOfGroup = new Map([...groupsOf].flatMap(([t, gs]) => gs.map((g) => [g, t] as const)));
  for (const t of view.tenants) if (!groupsOf.has(t)) findings.push({ kind: "broken", tenant: t, message: `${t}: no access entry of the tenant in the plan — a tenant's own resources live under its Tenant component` });

  for (const a of view.ofType(ASSOCIATION)) {
    const t = roleOwner.get(asString(a.props.principalArn) ?? "");
    if (!t) continue;
    const scope = asRecord(a.props.accessScope) ?? {};
    const namespaces = asStrings(scope.namespaces);
    if (asString(scope.type) !== "namespace" || namespaces.some((n) => n !== t) || namespaces.length === 0)
      findings.push({ kind: "broken", tenant: t, urn: a.urn, message: `${t}: ${a.name} gives the tenant's role ${asString(scope.type) === "namespace" ? `namespaces ${namespaces.join(", ")}` : "the whole cluster"} — scope it to namespace ${t}` });
  }
  for (const p of view.ofType(POD_IDENTITY)) {
    const owner = roleOwner.get(asString(p.props.roleArn) ?? "");
    const namespace = asString(p.props.namespace);
    if (owner && namespace !== owner) findings.push({ kind: "broken", tenant: owner, urn: p.urn, message: `${owner}: ${p.name} gives the tenant's role to ${namespace}/${asString(p.props.serviceAccount)} — associate it in ${owner}'s namespace only` });
    if (namespace && view.tenants.includes(namespace) && owner !== namespace)
      findings.push({ kind: "broken", tenant: namespace, urn: p.urn, message: `${namespace}: ${p.name} gives pods of the namespace the role ${asString(p.props.roleArn)}, which is not the tenant's — associate the tenant's own role` });
  }
  for (const b of [...view.ofType(BINDING), ...view.ofType(CLUSTER_BINDING)]) {
    const namespace = b.type === BINDING ? asString(asRecord(b.props.metadata)?.namespace) : undefined;
    for (const raw of asArray(b.props.subjects)) {
      const s = asRecord(raw) ?? {};
      const kind = asString(s.kind);
      const name = asString(s.name);
      const owner = kind === "Group" ? ownerOfGroup.get(name ?? "") : kind === "ServiceAccount" && view.tenants.includes(asString(s.namespace) ?? "") ? asString(s.namespace) : undefined;
      if (owner && owner !== namespace)
        findings.push({ kind: "broken", tenant: owner, urn: b.urn, message: `${owner}: ${b.name} binds the tenant's ${kind} ${name} ${namespace ? `in namespace ${namespace}` : "across the cluster"} — bind a tenant's subjects in its own namespace only` });
      else if (!owner && namespace && view.tenants.includes(namespace)) {
        if (kind === "Group" && name && !name.startsWith("system:")) findings.push({ kind: "broken", tenant: namespace, urn: b.urn, message: `${namespace}: ${b.name} binds the group ${name}, not the tenant's, in its namespace — bind the tenant's own subjects` });
        else notes.add(`${kind} ${asString(s.namespace) ? `${asString(s.namespace)}/` : ""}${name} (platform) is bound in ${namespace} by ${asString(asRecord(b.props.metadata)?.name)}`);
      }
    }
  }
  return { property: "tenant-namespace-isolated", over: `${view.tenants.length} tenants`, findings, notes: [...notes].sort().slice(0, 20) };
}
