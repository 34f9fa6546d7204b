import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { renderHealth } from "../../../../core/render/health";
import { HEALTH_TAINT_KEY, nodeHealthObjects, renderAgentScript } from "../../../../core/render/health/node-agent";
import { SLINKY_TOPOLOGY_ANNOTATION, renderTopologyYaml } from "../../../../core/render/kubernetes/slinky-topology";
import { slurmBlueprint } from "../../../fixtures/slurm/blueprint";

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
    expect(script).toMatch(/taint burn-in "burn-in running"; status burn-in "burn-in running"\n\s+if reason="\$\(on_host burn-in\.sh/);
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

  it("may read and patch nodes, and take the Lease of a node group's unit assignment, and nothing else", () => {
    const role = objects.find((o) => o.kind === "ClusterRole") as any;
    expect(role.rules).toEqual([
      { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "patch"] },
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create", "delete"] },
    ]);
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

describe("the node-health agent on a node", () => {
  // The agent's loop against a fake kubectl and nsenter: what it asks of the API server is what a node goes through.
  let lastStatus = "";
  function runAgent(checks: { burnIn: number; healthcheck: number }): string[] {
    const dir = mkdtempSync(join(tmpdir(), "gf-agent-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    const log = join(dir, "kubectl.log");
    const tool = (name: string, body: string) => writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
    tool(
      "kubectl",
      `echo "$*" >> "${log}"
case "$*" in
  *"labels.gigafactory\\.io/pool"*) printf train ;;
  *"labels.gigafactory\\.io/scalable-unit"*) printf train-su007 ;;
esac`,
    );
    // The host's namespaces are the test's own: run what follows "--"; no burn-in marker exists yet.
    tool("nsenter", `while [ "$1" != "--" ]; do shift; done; shift; [ "$1" = test ] && exit 1; exec "$@"`);
    tool("sleep", `kill -TERM "$PPID"`);
    const scripts = join(dir, "scripts");
    mkdirSync(scripts);
    writeFileSync(join(scripts, "burn-in.sh"), `exit ${checks.burnIn}`);
    writeFileSync(join(scripts, "healthcheck.sh"), `echo "GPU count 7, expected 8" >&2; exit ${checks.healthcheck}`);
    spawnSync("bash", ["-c", renderAgentScript()], {
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        NODE_NAME: "ip-10-0-1-7",
        TAINT_KEY: HEALTH_TAINT_KEY,
        REASON_ANNOTATION: "gigafactory.io/node-health-reason",
        TOPOLOGY_ANNOTATION: SLINKY_TOPOLOGY_ANNOTATION,
        INTERVAL_S: "1",
        TEXTFILE_DIR: dir,
        STATUS_FILE: join(dir, "node-health.status"),
        SCRIPTS_DIR: scripts,
      },
      timeout: 10_000,
    });
    lastStatus = readFileSync(join(dir, "node-health.status"), "utf8");
    return readFileSync(log, "utf8").trim().split("\n");
  }

  it("places the node in its unit's leaf of Slurm's tree before it takes work", () => {
    const calls = runAgent({ burnIn: 0, healthcheck: 0 });
    const annotate = calls.findIndex((c) => c.startsWith(`annotate node ip-10-0-1-7 ${SLINKY_TOPOLOGY_ANNOTATION}=fabric:train-su007`));
    expect(annotate).toBeGreaterThan(-1);
    expect(annotate).toBeLessThan(calls.findIndex((c) => c.includes(`${HEALTH_TAINT_KEY}=burn-in:NoSchedule`)));
    expect(renderTopologyYaml(blueprint)).toContain(`switch: ${blueprint.units[0].name}`);
  });

  it("holds a new node tainted through burn-in and lifts the taint when it passes", () => {
    const calls = runAgent({ burnIn: 0, healthcheck: 0 });
    const burnIn = calls.findIndex((c) => c.includes(`${HEALTH_TAINT_KEY}=burn-in:NoSchedule`));
    const lifted = calls.findIndex((c) => c.includes(`${HEALTH_TAINT_KEY}:NoSchedule-`));
    expect(burnIn).toBeGreaterThan(-1);
    expect(lifted).toBeGreaterThan(burnIn);
    expect(calls.some((c) => c.includes("=failed:NoSchedule"))).toBe(false);
  });

  it("taints a node whose health check fails, with the check's reason", () => {
    const calls = runAgent({ burnIn: 0, healthcheck: 1 });
    expect(calls).toContain(`taint node ip-10-0-1-7 ${HEALTH_TAINT_KEY}=failed:NoSchedule --overwrite`);
    expect(calls).toContain("annotate node ip-10-0-1-7 gigafactory.io/node-health-reason=GPU count 7, expected 8 --overwrite");
  });

  it("leaves its last word on the host, one line with the time, for Slurm's health programs on Kubernetes", () => {
    runAgent({ burnIn: 0, healthcheck: 1 });
    expect(lastStatus).toMatch(/^failed \d{10} GPU count 7, expected 8\n$/);
    runAgent({ burnIn: 0, healthcheck: 0 });
    expect(lastStatus).toMatch(/^ok \d{10} \n$/);
  });
});
