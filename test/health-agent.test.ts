import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { renderHealth } from "../components/health";
import { HEALTH_TAINT_KEY, nodeHealthObjects, renderAgentScript } from "../components/health/node-agent";
import { slurmBlueprint } from "./fixtures/slurm/blueprint";

// The Kubernetes counterpart of Slurm's drain: the agent taints a failing node so Kueue places nothing new on it.

const REGISTRY = "123456789012.dkr.ecr.eu-north-1.amazonaws.com";
const blueprint = slurmBlueprint({
  factory: "gf-agent",
  pools: [
    { name: "train", instanceType: "p5.48xlarge", nodes: 64 },
    { name: "neuron", instanceType: "trn2.48xlarge", nodes: 32 },
  ],
});
const objects = nodeHealthObjects(blueprint, REGISTRY);
const daemonSet = objects.find((o) => o.kind === "DaemonSet")! as any;

describe("the node-health agent", () => {
  it("is valid bash that taints the node NoSchedule on a failed check and removes the taint when the node passes", () => {
    const script = renderAgentScript();
    expect(spawnSync("bash", ["-n"], { input: script }).status).toBe(0);
    expect(script).toContain('kubectl taint node "$NODE_NAME" "$TAINT_KEY=$1:NoSchedule" --overwrite');
    expect(script).toContain('kubectl taint node "$NODE_NAME" "$TAINT_KEY:NoSchedule-"');
    expect(script).toMatch(/on_host healthcheck\.sh .*then untaint; .* else taint failed "\$reason"/);
    expect(script).toMatch(/taint burn-in "burn-in running"\n\s+if reason="\$\(on_host burn-in\.sh/);
  });

  it("runs on every GPU node of every pool, tolerating the accelerator taints and its own", () => {
    const spec = daemonSet.spec.template.spec;
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]).toEqual({
      key: "gigafactory.io/pool",
      operator: "In",
      values: ["train", "neuron"],
    });
    expect(spec.tolerations.map((t: { key: string }) => t.key)).toEqual(["nvidia.com/gpu", "aws.amazon.com/neuron", HEALTH_TAINT_KEY]);
    expect(spec.containers[0].env.find((e: { name: string }) => e.name === "TAINT_KEY").value).toBe(HEALTH_TAINT_KEY);
  });

  it("may patch nodes and nothing else", () => {
    const role = objects.find((o) => o.kind === "ClusterRole") as any;
    expect(role.rules).toEqual([{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "patch"] }]);
  });

  it("carries the rendered checks in its ConfigMap, the same the Slurm nodes run", () => {
    const scripts = (objects.find((o) => o.kind === "ConfigMap") as any).data;
    const files = renderHealth(blueprint);
    expect(scripts["healthcheck.sh"]).toBe(files.find((f) => f.path === "health/healthcheck.sh")!.content);
    expect(scripts["burn-in.sh"]).toBe(files.find((f) => f.path === "health/burn-in.sh")!.content);
  });

  it("is rendered as YAML that parses, its images named from the registry variable", () => {
    const file = renderHealth(blueprint).find((f) => f.path === "health/kubernetes/node-health.yaml")!;
    const docs = parseAllDocuments(file.content);
    expect(docs.map((d) => d.toJS().kind)).toEqual(["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "DaemonSet"]);
    expect(file.content).toMatch(/image: \$\{REGISTRY\}\/k8s\/kubectl:v/);
    expect(file.content).toMatch(/image: \$\{REGISTRY\}\/quay\/prometheus\/node-exporter:v/);
  });
});
