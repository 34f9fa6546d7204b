import { acceleratorTaint } from "../../../core/blueprint/labels";
import { NODE_NAME_REFUSAL, tolerationRefusal } from "../../../core/render/kubernetes/system-pool-refusals";
import { selects, type LabelSelector } from "../network-policy";
import type { PlanResource } from "../plan";
import { asArray, asRecord, asString, asStrings } from "../values";
import type { PlanView } from "./view";

// The node groups a tenant's pod may land on. A node group is closed to tenants' pods when it carries a taint that
// keeps pods off (NoSchedule or NoExecute) and the plan holds an admission policy that, in every tenant's namespace,
// refuses a pod that tolerates it or names its node (which skips the scheduler's taint check): the factory's own
// refusal, read by its exact expressions (core/render/kubernetes/system-pool-admission.ts), failing closed, bound
// to deny. A taint alone closes nothing: a tenant's people write their pods' tolerations themselves.

const POLICY = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const BINDING = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const KEEPS_PODS_OFF = new Set(["NO_SCHEDULE", "NO_EXECUTE", "NoSchedule", "NoExecute"]);
// The accelerator taints a tenant's GPU pods tolerate by design: no fence against tenants.
const ACCELERATOR_KEYS = new Set((["nvidia", "trainium"] as const).map((accelerator) => acceleratorTaint({ accelerator }).key));

export interface TenantNodeGroups {
  /** Node groups a tenant's pod may be scheduled onto. */
  open: PlanResource[];
  /** Node groups no tenant's pod can reach, each with the taint and the policy that keep them off. */
  closed: { nodeGroup: PlanResource; taint: string; policy: string }[];
  notes: string[];
}

const ruleCovers = (rule: Record<string, unknown>, operation: string) => {
  const has = (field: string, value: string) => asStrings(rule[field]).some((v) => v === value || v === "*");
  return has("apiGroups", "") && has("resources", "pods") && has("operations", operation);
};

/** Whether a selector holds every tenant's namespace; an absent one holds every namespace. */
function holdsTenants(selector: unknown, tenantLabels: Record<string, string>[]): boolean {
  return selector === undefined || tenantLabels.every((labels) => selects(selector as LabelSelector, labels));
}

/** The keys whose toleration the plan's bound, failing-closed policies refuse in every tenant namespace, with the policy's name. */
function refusedKeys(view: PlanView): Map<string, string> {
  const tenantLabels = view.ofType(NAMESPACE)
    .map((n) => asRecord(n.props.metadata) ?? {})
    .filter((m) => view.tenants.includes(asString(m.name) ?? ""))
    .map((m) => ({ ...((asRecord(m.labels) ?? {}) as Record<string, string>), "kubernetes.io/metadata.name": asString(m.name) ?? "" }));
  const bound = new Set(
    view.ofType(BINDING)
      .map((b) => asRecord(b.props.spec) ?? {})
      .filter((spec) => asStrings(spec.validationActions).includes("Deny") && holdsTenants(asRecord(spec.matchResources)?.namespaceSelector, tenantLabels))
      .map((spec) => asString(spec.policyName)),
  );
  const refused = new Map<string, string>();
  for (const p of view.ofType(POLICY)) {
    const name = asString(asRecord(p.props.metadata)?.name);
    const spec = asRecord(p.props.spec) ?? {};
    const match = asRecord(spec.matchConstraints) ?? {};
    const rules = asArray(match.resourceRules).map((r) => asRecord(r) ?? {});
    const applies =
      name !== undefined && bound.has(name) && (spec.failurePolicy ?? "Fail") === "Fail" && holdsTenants(match.namespaceSelector, tenantLabels) && ["CREATE", "UPDATE"].every((op) => rules.some((r) => ruleCovers(r, op))) && !asArray(spec.matchConditions).length;
    const expressions = asArray(spec.validations).map((v) => asString(asRecord(v)?.expression));
    if (!applies || !expressions.includes(NODE_NAME_REFUSAL)) continue;
    for (const e of expressions) {
      const key = /t\.key != '([^']+)'/.exec(e ?? "")?.[1];
      if (key && e === tolerationRefusal(key)) refused.set(key, name!);
    }
  }
  return refused;
}

export function tenantNodeGroups(view: PlanView): TenantNodeGroups {
  const refused = refusedKeys(view);
  const open: PlanResource[] = [];
  const closed: TenantNodeGroups["closed"] = [];
  const notes: string[] = [];
  for (const ng of view.ofType("aws:eks/nodeGroup:NodeGroup")) {
    const taints = asArray(ng.props.taints).map((t) => asRecord(t) ?? {}).filter((t) => KEEPS_PODS_OFF.has(asString(t.effect) ?? ""));
    const keys = taints.map((t) => asString(t.key)).filter((k): k is string => k !== undefined);
    const kept = keys.find((k) => refused.has(k));
    if (kept) {
      closed.push({ nodeGroup: ng, taint: kept, policy: refused.get(kept)! });
      continue;
    }
    open.push(ng);
    // A taint the tenants' accelerator pods tolerate (nvidia.com/gpu) is no fence; name the others left open.
    const fence = keys.find((k) => !ACCELERATOR_KEYS.has(k));
    if (fence) notes.push(`${ng.name} is tainted ${fence}, but no admission policy refuses its toleration in every tenant's namespace: a tenant's pod may land there, and its subnets count as the tenants'`);
  }
  for (const c of closed) notes.push(`${c.nodeGroup.name} holds no tenant's pod: it is tainted ${c.taint}, and the admission policy ${c.policy} refuses that toleration and a named node in every tenant's namespace`);
  return { open, closed, notes };
}
