import { evaluate } from "@marcbachmann/cel-js";
import { describe, expect, it } from "vitest";
import { ACCEPTANCE_ADMISSION, acceptanceAdmission } from "../../../../core/render/kubernetes/acceptance-admission";
import { ACCEPTANCE_METRICS_DIR } from "../../../../core/render/kubernetes/acceptance-metrics-dir";
import { ACCEPTANCE_NAMESPACE, acceptanceQueueObjects } from "../../../../core/render/kubernetes/acceptance-queue";
import { acceptanceTargets, kubernetesJob } from "../../../../core/render/acceptance/jobs";
import { stackBlueprint } from "../../../fixtures/slurm/stacks";
import { selects, type LabelSelector } from "../../../../policies/lib/network-policy";

// The acceptance namespace is "privileged" for one host path, the node's acceptance metrics folder; its admission
// policy refuses every other part of "privileged": another host path, a privileged container, an added capability,
// the host's network, PID or IPC.

describe("the acceptance namespace's admission policy", () => {
  const [policy, binding] = acceptanceAdmission(ACCEPTANCE_NAMESPACE);
  const spec = policy.spec as {
    failurePolicy: string;
    matchConstraints: { namespaceSelector: LabelSelector; resourceRules: object[] };
    validations: { expression: string; message: string }[];
  };
  // Each validation run as the API server runs it: the ones a pod fails.
  const refused = (pod: Record<string, unknown>) =>
    spec.validations
      .filter((v) => evaluate(v.expression, { object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: ACCEPTANCE_NAMESPACE }, spec: { containers: [{ name: "c" }], ...pod } }, request: { operation: "CREATE" } }) !== true)
      .map((v) => v.message.split(": ")[1].split(" — ")[0]);

  it("checks every pod's creation and update in the acceptance namespace alone, fails closed and denies", () => {
    expect(spec.failurePolicy).toBe("Fail");
    expect(spec.matchConstraints.resourceRules).toEqual([{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }]);
    expect(binding.spec).toMatchObject({ policyName: ACCEPTANCE_ADMISSION, validationActions: ["Deny"] });
    expect(selects(spec.matchConstraints.namespaceSelector, { "kubernetes.io/metadata.name": ACCEPTANCE_NAMESPACE })).toBe(true);
    expect(selects(spec.matchConstraints.namespaceSelector, { "kubernetes.io/metadata.name": "team-a" })).toBe(false);
    // Declared with the namespace, in the cluster's objects.
    expect(acceptanceQueueObjects(stackBlueprint("dev")).map((o) => o.kind)).toEqual(["Namespace", "NetworkPolicy", "ClusterQueue", "LocalQueue", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]);
  });

  it("admits the rendered MPIJob's launcher and workers", () => {
    const blueprint = stackBlueprint("dev");
    const job = kubernetesJob(blueprint, acceptanceTargets(blueprint)[0], "image") as any;
    for (const role of ["Launcher", "Worker"]) expect(refused(job.spec.mpiReplicaSpecs[role].template.spec), role).toEqual([]);
    expect(job.spec.mpiReplicaSpecs.Launcher.template.spec.volumes.map((v: any) => v.hostPath.path)).toEqual([ACCEPTANCE_METRICS_DIR]);
  });

  it("refuses any other host path, a privileged container, an added capability and the host's namespaces", () => {
    const hostPath = "no other host path";
    const privilege = "no privileged container or added capability";
    const hostNs = "no host network, PID or IPC";
    expect(refused({ volumes: [{ name: "root", hostPath: { path: "/" } }] })).toEqual([hostPath]);
    expect(refused({ volumes: [{ name: "m", hostPath: { path: `${ACCEPTANCE_METRICS_DIR}/../textfile` } }] })).toEqual([hostPath]);
    expect(refused({ volumes: [{ name: "scratch", emptyDir: {} }] })).toEqual([]);
    expect(refused({ containers: [{ name: "c", securityContext: { privileged: true } }] })).toEqual([privilege]);
    expect(refused({ initContainers: [{ name: "i", securityContext: { capabilities: { add: ["SYS_ADMIN"] } } }] })).toEqual([privilege]);
    expect(refused({ containers: [{ name: "c", securityContext: { privileged: false, capabilities: { drop: ["ALL"] } } }] })).toEqual([]);
    for (const f of ["hostNetwork", "hostPID", "hostIPC"]) expect(refused({ [f]: true }), f).toEqual([hostNs]);
    expect(refused({ hostNetwork: false })).toEqual([]);
  });
});
