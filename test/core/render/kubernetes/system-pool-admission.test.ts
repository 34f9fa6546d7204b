import { evaluate } from "@marcbachmann/cel-js";
import { describe, expect, it } from "vitest";
import { LABEL_POOL, LABEL_TENANT, SYSTEM_POOL, SYSTEM_TAINT } from "../../../../core/blueprint/labels";
import { SYSTEM_POOL_ADMISSION, systemPoolAdmission } from "../../../../core/render/kubernetes/system-pool-admission";
import { NODE_NAME_REFUSAL, selectorRefusal, tolerationRefusal } from "../../../../core/render/kubernetes/system-pool-refusals";
import { tenantNamespace } from "../../../../core/render/kubernetes/tenants/namespace-objects";
import { selects, type LabelSelector } from "../../../../policies/lib/network-policy";

// The API server refuses, in every tenant's namespace and nowhere else, a pod that would reach the system pool: one
// that tolerates its taint or every taint, selects the pool, or names its node.

describe("the system pool's admission policy", () => {
  const [policy, binding] = systemPoolAdmission();
  const spec = policy.spec as {
    failurePolicy: string;
    matchConstraints: { namespaceSelector: LabelSelector; resourceRules: { apiGroups: string[]; resources: string[]; operations: string[] }[] };
    validations: { expression: string; message: string }[];
  };

  it("checks every pod's creation and update in the tenants' namespaces, fails closed and is bound to deny", () => {
    expect([policy.kind, policy.apiVersion, binding.kind]).toEqual(["ValidatingAdmissionPolicy", "admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding"]);
    expect(spec.failurePolicy).toBe("Fail");
    expect(spec.matchConstraints.resourceRules).toEqual([{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }]);
    expect(binding.spec).toMatchObject({ policyName: SYSTEM_POOL_ADMISSION, validationActions: ["Deny"] });
    const tenant = { ...(tenantNamespace({ name: "team-a", costCenter: "cc", dataClassification: "internal" }).metadata as { labels: Record<string, string> }).labels };
    expect(selects(spec.matchConstraints.namespaceSelector, tenant)).toBe(true);
    for (const platform of [{ "kubernetes.io/metadata.name": "slurm" }, { "kubernetes.io/metadata.name": "kube-system" }]) expect(selects(spec.matchConstraints.namespaceSelector, platform)).toBe(false);
    expect(spec.matchConstraints.namespaceSelector).toEqual({ matchExpressions: [{ key: LABEL_TENANT, operator: "Exists" }] });
  });

  it("refuses the system taint's toleration by key and every-taint tolerations, the pool's selector and a named node", () => {
    expect(spec.validations.map((v) => v.expression)).toEqual([tolerationRefusal(SYSTEM_TAINT.key), selectorRefusal(LABEL_POOL, SYSTEM_POOL), NODE_NAME_REFUSAL]);
    // Each toleration is kept only when it names another key, or, keyless, does not tolerate everything.
    expect(tolerationRefusal(SYSTEM_TAINT.key)).toBe(
      "!has(object.spec.tolerations) || object.spec.tolerations.all(t, (has(t.key) && t.key != '') ? t.key != 'gigafactory.io/system' : !(has(t.operator) && t.operator == 'Exists'))",
    );
    expect(selectorRefusal(LABEL_POOL, SYSTEM_POOL)).toBe("!has(object.spec.nodeSelector) || !('gigafactory.io/pool' in object.spec.nodeSelector) || object.spec.nodeSelector['gigafactory.io/pool'] != 'system'");
    expect(NODE_NAME_REFUSAL).toContain("request.operation != 'CREATE'");
    for (const v of spec.validations) expect(v.message).toMatch(/^a tenant's pod may not .+ — .+/);
  });

  // The policy's CEL run as the API server runs it, over a tenant's pods: each validation must hold for a pod to be admitted.
  const admitted = (pod: Record<string, unknown>, operation = "CREATE") =>
    spec.validations.filter((v) => evaluate(v.expression, { object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "team-a" }, spec: { containers: [{ name: "c" }], ...pod } }, request: { operation } }) !== true).map((v) => v.message.split(" — ")[0]);

  it("admits a tenant's GPU pods as Kueue and the API server shape them", () => {
    const gpu = { tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }, { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }] };
    expect(admitted({})).toEqual([]);
    expect(admitted({ ...gpu, nodeSelector: { [LABEL_POOL]: "h200-a" } })).toEqual([]);
    expect(admitted({ tolerations: [{ key: "aws.amazon.com/neuron", operator: "Equal", value: "true" }] })).toEqual([]);
    // The scheduler's binding sets the node on a pod it placed: an update, not the tenant's own creation.
    expect(admitted({ ...gpu, nodeName: "ip-10-0-64-5" }, "UPDATE")).toEqual([]);
  });

  it("refuses a tenant's pod that tolerates the system taint, every taint, selects the pool or names its node", () => {
    const taint = "a tenant's pod may not tolerate the system pool's taint gigafactory.io/system or every taint";
    expect(admitted({ tolerations: [{ key: SYSTEM_TAINT.key, operator: "Exists" }] })).toEqual([taint]);
    expect(admitted({ tolerations: [{ key: SYSTEM_TAINT.key, operator: "Equal", value: "true", effect: "NoSchedule" }] })).toEqual([taint]);
    expect(admitted({ tolerations: [{ key: "nvidia.com/gpu", operator: "Exists" }, { operator: "Exists" }] })).toEqual([taint]);
    expect(admitted({ tolerations: [{ key: "", operator: "Exists", effect: "NoSchedule" }] })).toEqual([taint]);
    expect(admitted({ tolerations: [{ key: SYSTEM_TAINT.key, operator: "Exists" }] }, "UPDATE")).toEqual([taint]);
    expect(admitted({ nodeSelector: { [LABEL_POOL]: SYSTEM_POOL } })).toEqual(["a tenant's pod may not select the system pool (gigafactory.io/pool=system)"]);
    expect(admitted({ nodeName: "ip-10-0-0-5" })).toEqual(["a tenant's pod may not name its node"]);
  });
});
