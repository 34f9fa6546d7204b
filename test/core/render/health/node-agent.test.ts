import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { renderHealth } from "../../../../core/render/health";
import { HEALTH_TAINT_KEY, nodeHealthObjects } from "../../../../core/render/health/node-agent";
import { CHECKS_SCRIPT, renderChecksScript, renderTaintsScript, TAINTS_SCRIPT } from "../../../../core/render/health/agent-scripts";
import { HEALTH_STATUS_FILE, NODE_STATE_DIR, STATUS_MAX_AGE_S, TEXTFILE_DIR } from "../../../../core/render/health/agent-paths";
import { SLINKY_TOPOLOGY_ANNOTATION, renderTopologyYaml } from "../../../../core/render/kubernetes/slinky-topology";
import { imageReference, slurmdImageByTag } from "../../../../core/render/image/slurmd-recipe";
import { SLURMD_IMAGE_REPOSITORY } from "../../../../core/catalog/slurmd-image";
import { slurmBlueprint } from "../../../fixtures/slurm/blueprint";
import { schemaProblems } from "../../../fixtures/kubernetes/schemas";

// The Kubernetes counterpart of Slurm's drain: the agent taints a failing node so Kueue places nothing new on it. Its
// checks run in the factory's slurmd image, never through the host's tools.

const REGISTRY = "123456789012.dkr.ecr.eu-north-1.amazonaws.com";
// As the platform layer hands it over: the repository in the registry, the recipe's tag with its digest.
const SLURMD_IMAGE = { repository: `${REGISTRY}/${SLURMD_IMAGE_REPOSITORY}`, tag: `recipe-0123456789abcdef0123@sha256:${"e".repeat(64)}` };
const blueprint = slurmBlueprint({
  factory: "gf-agent",
  pools: [
    { name: "train", instanceType: "p5.48xlarge", nodes: 64 },
    { name: "neuron", instanceType: "trn2.48xlarge", nodes: 32 },
  ],
});
const objects = nodeHealthObjects(blueprint, REGISTRY, SLURMD_IMAGE);
const daemonSet = objects.find((o) => o.kind === "DaemonSet")! as any;
const pod = daemonSet.spec.template.spec;
const container = (name: string) => pod.containers.find((c: { name: string }) => c.name === name);
const scripts = (objects.find((o) => o.kind === "ConfigMap") as any).data as Record<string, string>;

describe("the node-health agent's pod", () => {
  it("runs the checks in the factory's slurmd image, by the reference the NodeSets use", () => {
    expect(container("checks").image).toBe(`${REGISTRY}/gigafactory/slurmd:recipe-0123456789abcdef0123@sha256:${"e".repeat(64)}`);
    expect(container("checks").command).toEqual(["bash", `/scripts/${CHECKS_SCRIPT}`]);
  });

  it("never enters the host: no nsenter, no host PID namespace, no host root for the checks", () => {
    expect(pod.hostPID).toBeUndefined();
    expect(pod.hostNetwork).toBeUndefined();
    for (const [name, script] of Object.entries(scripts)) expect(script, name).not.toMatch(/\bnsenter\b/);
    for (const c of pod.containers) expect(JSON.stringify(c.command ?? [])).not.toMatch(/nsenter/);
    const mounted = container("checks").volumeMounts.map((m: { name: string }) => pod.volumes.find((v: { name: string }) => v.name === m.name));
    expect(mounted.map((v: any) => v.hostPath?.path).filter(Boolean).sort()).toEqual(["/fsx", NODE_STATE_DIR]);
  });

  it("sees every GPU through the NVIDIA runtime and takes none from the device plugins, so slurmd keeps them", () => {
    const checks = container("checks");
    expect(checks.securityContext).toEqual({ privileged: true });
    expect(checks.env).toContainEqual({ name: "NVIDIA_VISIBLE_DEVICES", value: "all" });
    for (const c of pod.containers) {
      const amounts = { ...(c.resources?.requests ?? {}), ...(c.resources?.limits ?? {}) };
      expect(Object.keys(amounts).filter((k) => !["cpu", "memory"].includes(k)), c.name).toEqual([]);
    }
  });

  it("gives the Kubernetes token to the taints container only, never to the privileged one", () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    const tokenMount = (name: string) => container(name).volumeMounts.some((m: { name: string }) => m.name === "api-token");
    expect(tokenMount("taints")).toBe(true);
    expect(tokenMount("checks")).toBe(false);
    expect(tokenMount("node-exporter")).toBe(false);
    expect(container("taints").securityContext.privileged).toBeUndefined();
    expect(container("taints").image).toBe(`${REGISTRY}/k8s/kubectl:v1.33.4`);
  });

  it("starts its kubectl container first, so a new node is tainted before the slurmd image's long pull ends", () => {
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(["taints", "checks", "node-exporter"]);
  });

  it("shares the status file and the textfile folder on the host with Slurm's health programs and the node exporter", () => {
    const env = (name: string, key: string) => container(name).env.find((e: { name: string }) => e.name === key)?.value;
    expect(env("checks", "STATUS_FILE")).toBe(HEALTH_STATUS_FILE);
    expect(env("taints", "STATUS_FILE")).toBe(HEALTH_STATUS_FILE);
    expect(env("taints", "MAX_AGE_S")).toBe(String(STATUS_MAX_AGE_S));
    expect(HEALTH_STATUS_FILE.startsWith(`${NODE_STATE_DIR}/`)).toBe(true);
    expect(container("node-exporter").args).toContain(`--collector.textfile.directory=${TEXTFILE_DIR}`);
  });

  it("runs on every GPU node of every pool, tolerating the accelerator taints and its own", () => {
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]).toEqual({
      key: "gigafactory.io/pool",
      operator: "In",
      values: ["train", "neuron"],
    });
    expect(pod.tolerations.map((t: { key: string }) => t.key)).toEqual(["nvidia.com/gpu", "aws.amazon.com/neuron", HEALTH_TAINT_KEY]);
    expect(container("taints").env.find((e: { name: string }) => e.name === "TAINT_KEY").value).toBe(HEALTH_TAINT_KEY);
  });

  it("may read and patch nodes, and take the Lease of a node group's unit assignment, and nothing else", () => {
    const role = objects.find((o) => o.kind === "ClusterRole") as any;
    expect(role.rules).toEqual([
      { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "patch"] },
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create", "delete"] },
    ]);
  });

  it("carries the rendered checks in its ConfigMap, the same the Slurm nodes run, and its loops as valid bash", () => {
    const files = renderHealth(blueprint);
    expect(scripts["healthcheck.sh"]).toBe(files.find((f) => f.path === "health/healthcheck.sh")!.content);
    expect(scripts["burn-in.sh"]).toBe(files.find((f) => f.path === "health/burn-in.sh")!.content);
    for (const name of [CHECKS_SCRIPT, TAINTS_SCRIPT]) expect(spawnSync("bash", ["-n"], { input: scripts[name] }).status, name).toBe(0);
  });

  it("is what the API server accepts, every object checked against Kubernetes' schemas with unknown fields refused", () => {
    expect(objects.flatMap((o) => schemaProblems(o as Record<string, unknown>))).toEqual([]);
    const broken = { ...daemonSet, spec: { ...daemonSet.spec, template: { ...daemonSet.spec.template, spec: { ...pod, hostPid: true } } } };
    expect(schemaProblems(broken).join("\n")).toMatch(/unknown field .*hostPid/);
  });

  it("is rendered as YAML naming the slurmd image by its recipe's tag and the other images from the registry variable", () => {
    const file = renderHealth(blueprint).find((f) => f.path === "health/kubernetes/node-health.yaml")!;
    const docs = parseAllDocuments(file.content);
    expect(docs.map((d) => d.toJS().kind)).toEqual(["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "DaemonSet"]);
    expect(file.content).toContain(`image: ${imageReference(slurmdImageByTag("${REGISTRY}"))}`);
    expect(file.content).toMatch(/image: \$\{REGISTRY\}\/gigafactory\/slurmd:recipe-[0-9a-f]{20}\n/);
    expect(file.content).toMatch(/image: \$\{REGISTRY\}\/k8s\/kubectl:v/);
    expect(file.content).toMatch(/image: \$\{REGISTRY\}\/quay\/prometheus\/node-exporter:v/);
  });
});

/** The agent's two loops on a node, against a fake kubectl and fake checks; `sleep <interval>` ends a loop's round. */
function nodeFixture() {
  const dir = mkdtempSync(join(tmpdir(), "gf-agent-"));
  const bin = join(dir, "bin");
  const scriptsDir = join(dir, "scripts");
  const shared = join(dir, "shared");
  for (const d of [bin, scriptsDir, shared, join(dir, "textfile"), join(dir, "sys")]) mkdirSync(d);
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
  // A round's sleep ends the loop; the checks' own waits pass.
  tool("sleep", `[ "$1" = 7 ] && kill -TERM "$PPID"; exit 0`);
  const status = join(dir, "textfile", "node-health.status");
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    NODE_NAME: "ip-10-0-1-7",
    TAINT_KEY: HEALTH_TAINT_KEY,
    REASON_ANNOTATION: "gigafactory.io/node-health-reason",
    TOPOLOGY_ANNOTATION: SLINKY_TOPOLOGY_ANNOTATION,
    INTERVAL_S: "7",
    POLL_S: "7",
    MAX_AGE_S: String(STATUS_MAX_AGE_S),
    TEXTFILE_DIR: join(dir, "textfile"),
    STATUS_FILE: status,
    UNIT_FILE: join(dir, "textfile", "scalable-unit"),
    SCRIPTS_DIR: scriptsDir,
    SHARED_DIR: shared,
    SYSFS_INFINIBAND: join(dir, "sys"),
    GF_BURN_IN_MARKER: join(dir, "burn-in-passed"),
  };
  const checks = (burnIn: number, healthcheck: number) => {
    writeFileSync(join(scriptsDir, "burn-in.sh"), `[ ${burnIn} = 0 ] && touch "$GF_BURN_IN_MARKER"; echo "3 of 32 EFA devices visible" >&2; exit ${burnIn}`);
    writeFileSync(join(scriptsDir, "healthcheck.sh"), `echo "GPU count 7, expected 8" >&2; exit ${healthcheck}`);
  };
  const run = (script: string) => spawnSync("bash", ["-c", script], { env, timeout: 10_000, encoding: "utf8" });
  return {
    dir,
    checks,
    taintsRound: () => run(renderTaintsScript()),
    checksRound: () => run(renderChecksScript()),
    calls: () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []),
    status: () => readFileSync(status, "utf8"),
    writeStatus: (line: string) => writeFileSync(status, line),
    metrics: () => readFileSync(join(dir, "textfile", "health.prom"), "utf8"),
  };
}

describe("the node-health agent on a node", () => {
  it("places the node in its unit's leaf of Slurm's tree and hands the checks its pool before it takes work", () => {
    const node = nodeFixture();
    node.taintsRound();
    const calls = node.calls();
    const annotate = calls.findIndex((c) => c.startsWith(`annotate node ip-10-0-1-7 ${SLINKY_TOPOLOGY_ANNOTATION}=fabric:train-su007`));
    expect(annotate).toBeGreaterThan(-1);
    expect(annotate).toBeLessThan(calls.findIndex((c) => c.includes(`${HEALTH_TAINT_KEY}=burn-in:NoSchedule`)));
    expect(readFileSync(join(node.dir, "shared", "pool"), "utf8")).toBe("train\n");
    expect(readFileSync(join(node.dir, "textfile", "scalable-unit"), "utf8")).toBe("train-su007\n");
    expect(renderTopologyYaml(blueprint)).toContain(`switch: ${blueprint.units[0].name}`);
  });

  it("holds a new node tainted through burn-in and lifts the taint once the checks pass it", () => {
    const node = nodeFixture();
    node.checks(0, 0);
    node.taintsRound();
    expect(node.calls()).toContain(`taint node ip-10-0-1-7 ${HEALTH_TAINT_KEY}=burn-in:NoSchedule --overwrite`);
    node.checksRound();
    expect(node.status()).toMatch(/^ok \d{10} \n$/);
    expect(existsSync(join(node.dir, "burn-in-passed"))).toBe(true);
    expect(node.metrics()).toContain('gigafactory_node_health_failed{pool="train",unit="train-su007",phase="burn-in"} 0');
    node.taintsRound();
    const calls = node.calls();
    expect(calls.lastIndexOf(`taint node ip-10-0-1-7 ${HEALTH_TAINT_KEY}:NoSchedule-`)).toBeGreaterThan(calls.indexOf(`taint node ip-10-0-1-7 ${HEALTH_TAINT_KEY}=burn-in:NoSchedule --overwrite`));
    expect(calls.some((c) => c.includes("=failed:NoSchedule"))).toBe(false);
  });

  it("keeps a node whose burn-in failed tainted failed, and runs burn-in again rather than the lighter health check", () => {
    const node = nodeFixture();
    node.checks(1, 0);
    node.taintsRound();
    node.checksRound();
    expect(node.status()).toMatch(/^failed \d{10} 3 of 32 EFA devices visible\n$/);
    node.checksRound();
    expect(node.status()).toMatch(/^failed \d{10} 3 of 32 EFA devices visible\n$/);
    node.taintsRound();
    expect(node.calls()).toContain(`taint node ip-10-0-1-7 ${HEALTH_TAINT_KEY}=failed:NoSchedule --overwrite`);
    expect(node.calls()).toContain("annotate node ip-10-0-1-7 gigafactory.io/node-health-reason=3 of 32 EFA devices visible --overwrite");
  });

  it("taints a node whose health check fails, with the check's reason, and leaves that word on the host for Slurm", () => {
    const node = nodeFixture();
    node.checks(0, 1);
    writeFileSync(join(node.dir, "burn-in-passed"), "");
    node.taintsRound();
    node.checksRound();
    expect(node.status()).toMatch(/^failed \d{10} GPU count 7, expected 8\n$/);
    expect(node.metrics()).toContain('gigafactory_node_health_failed{pool="train",unit="train-su007",phase="healthcheck"} 1');
    node.taintsRound();
    expect(node.calls()).toContain(`taint node ip-10-0-1-7 ${HEALTH_TAINT_KEY}=failed:NoSchedule --overwrite`);
    expect(node.calls()).toContain("annotate node ip-10-0-1-7 gigafactory.io/node-health-reason=GPU count 7, expected 8 --overwrite");
  });

  it("takes a healthy report that has gone stale for a failed node", () => {
    const node = nodeFixture();
    node.writeStatus(`ok ${Math.floor(Date.now() / 1000) - STATUS_MAX_AGE_S - 60} \n`);
    node.taintsRound();
    expect(node.calls()).toContain(`taint node ip-10-0-1-7 ${HEALTH_TAINT_KEY}=failed:NoSchedule --overwrite`);
    expect(node.calls().some((c) => c.includes("node-health-reason=the node checks have been silent since"))).toBe(true);
  });
});
