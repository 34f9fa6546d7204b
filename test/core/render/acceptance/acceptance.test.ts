import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import {
  ACCEPTANCE_LINE_RATE_FRACTION,
  acceptanceTargets,
  busBandwidthExpectation,
  jobName,
  MPI_WORKER_COMMAND,
  renderAcceptance,
  renderResultsCheck,
  unitTopologyLevel,
} from "../../../../core/render/acceptance";
import { RENDERERS, renderFiles } from "../../../../cli/commands/render-run";
import { imageReference, slurmdImageByTag, slurmdRecipeTag } from "../../../../core/render/image/slurmd-recipe";
import { imageEntryPoints } from "../../../../core/render/image/recipe-scripts";
import { NCCL_TESTS_ALL_REDUCE, SLURMD_IMAGE_REPOSITORY } from "../../../../core/catalog/slurmd-image";
import { allReducePerfOutput } from "../../../fixtures/day-two/fake-node";
import { slurmBlueprint } from "../../../fixtures/slurm/blueprint";
import { stackBlueprint } from "../../../fixtures/slurm/stacks";
import { ACCEPTANCE_CLUSTER_QUEUE, ACCEPTANCE_NAMESPACE, acceptanceQueueObjects } from "../../../../core/render/kubernetes/acceptance-queue";
import { borrowingClusterQueue, clusterQueue } from "../../../../core/render/kubernetes/kueue-objects";

describe("the bus bandwidth an NCCL all-reduce must reach, from the catalog's EFA bandwidth", () => {
  // Per type: the catalog's networkGbps / 8 = the node's line rate in GB/s, and 75% of it [U] to pass.
  it.each([
    ["p4d.24xlarge", 400, 37.5, "[P]"],
    ["p4de.24xlarge", 400, 37.5, "[P]"],
    ["p5.48xlarge", 3200, 300, "[P]"],
    ["p5e.48xlarge", 3200, 300, "[P]"],
    ["p5en.48xlarge", 3200, 300, "[P]"],
    ["p6-b200.48xlarge", 3200, 300, "[P]"],
    ["p6e-gb200.36xlarge", 1600, 150, "[S]"],
  ])("%s: %i Gbps of EFA, so at least %f GB/s busbw, the figure graded %s", (type, gbps, expected, grade) => {
    const e = busBandwidthExpectation(type)!;
    expect(e.networkGbps).toBe(gbps);
    expect(e.lineRateGBps).toBe(gbps / 8);
    expect(e.expectedBusBandwidthGBps).toBe(expected);
    expect(e.source).toContain(`${gbps} Gbps for ${type}`);
    expect(e.source).toContain(grade);
    expect(e.source).toMatch(/nccl-tests PERFORMANCE\.md/);
  });

  it("never asks more than the line rate", () => {
    expect(ACCEPTANCE_LINE_RATE_FRACTION).toBeGreaterThan(0);
    expect(ACCEPTANCE_LINE_RATE_FRACTION).toBeLessThan(1);
  });

  it("has no NCCL expectation for Trainium, whose collectives are Neuron's", () => {
    expect(busBandwidthExpectation("trn2.48xlarge")).toBeUndefined();
  });
});

// Designing the gigafactory and running bash take seconds on a loaded machine.
describe("acceptance jobs of the gigafactory stack", { timeout: 60_000 }, () => {
  const blueprint = stackBlueprint("gigafactory");
  const files = renderAcceptance(blueprint);
  const paths = new Set(files.map((f) => f.path));

  it("exist for every scalable unit and every pool, as a Slurm batch script and a Kubernetes job", () => {
    for (const u of blueprint.units) {
      expect(paths.has(`acceptance/slurm/acceptance-${u.name}.sbatch`)).toBe(true);
      expect(paths.has(`acceptance/kubernetes/acceptance-${u.name}.yaml`)).toBe(true);
    }
    for (const p of blueprint.pools) {
      expect(paths.has(`acceptance/slurm/acceptance-pool-${p.name}.sbatch`)).toBe(true);
      expect(paths.has(`acceptance/kubernetes/acceptance-pool-${p.name}.yaml`)).toBe(true);
    }
    expect(files).toHaveLength(2 * (blueprint.units.length + blueprint.pools.length) + 2);
  });

  it("run each unit's Slurm test on the unit, asked for by its feature and never by node names, one task per GPU, and say what it must reach and why", () => {
    const unit = blueprint.units[0];
    const pool = blueprint.pools.find((p) => p.name === unit.pool)!;
    const script = files.find((f) => f.path === `acceptance/slurm/acceptance-${unit.name}.sbatch`)!.content;
    expect(script).toContain(`#SBATCH --constraint=${unit.name}\n`);
    expect(script).not.toContain("--nodelist");
    expect(script).toContain(`#SBATCH --nodes=${unit.nodes}\n`);
    expect(script).toContain(`#SBATCH --partition=${pool.name}\n`);
    expect(script).toContain(`#SBATCH --ntasks-per-node=${pool.gpusPerNode}\n`);
    expect(script).toContain(`Must reach ${busBandwidthExpectation(pool.instanceType)!.expectedBusBandwidthGBps} GB/s bus bandwidth: catalog networkGbps`);
    expect(script).toMatch(/srun --mpi=pmix .*all_reduce_perf -b 8 -e 16G/);
    expect(spawnSync("bash", ["-n"], { input: script }).status).toBe(0);
  });

  it("ask Kueue to keep each unit's workers within the unit's network level where it can (never required: a placement group does not promise it), on the unit's nodes", () => {
    const unit = blueprint.units[blueprint.units.length - 1];
    const pool = blueprint.pools.find((p) => p.name === unit.pool)!;
    const job = parse(files.find((f) => f.path === `acceptance/kubernetes/acceptance-${unit.name}.yaml`)!.content.replace(/^---\n/, ""));
    const worker = job.spec.mpiReplicaSpecs.Worker;
    expect(job.kind).toBe("MPIJob");
    expect(job.metadata.labels["kueue.x-k8s.io/queue-name"]).toBe("default");
    expect(job.metadata.namespace).toBe(ACCEPTANCE_NAMESPACE);
    expect(worker.replicas).toBe(unit.nodes);
    expect(worker.template.metadata.annotations).toEqual({ "kueue.x-k8s.io/podset-preferred-topology": "topology.k8s.aws/network-node-layer-3" });
    expect(worker.template.spec.nodeSelector).toEqual({ "gigafactory.io/scalable-unit": unit.name });
    expect(worker.template.spec.containers[0].resources.limits).toMatchObject({ "nvidia.com/gpu": "8", "vpc.amazonaws.com/efa": pool.efaInterfacesPerNode.toString() });
    expect(job.metadata.annotations["gigafactory.io/expected-bus-bandwidth-gbps"]).toBe("300");
  });

  it("run in the platform's namespace, whose queue borrows every pool's idle GPUs, a pool no tenant uses too, and preempts nothing", () => {
    const [namespace, policy, clusterQueue, localQueue] = acceptanceQueueObjects(blueprint) as any[];
    // Privileged: the launcher writes the node's acceptance metrics folder, a host path.
    expect(namespace.metadata).toMatchObject({ name: ACCEPTANCE_NAMESPACE, labels: { "pod-security.kubernetes.io/enforce": "privileged" } });
    expect(policy.metadata.namespace).toBe(ACCEPTANCE_NAMESPACE);
    expect(clusterQueue.spec).toMatchObject({
      cohortName: blueprint.factory,
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ACCEPTANCE_NAMESPACE } },
      preemption: { reclaimWithinCohort: "Never", withinClusterQueue: "Never" },
    });
    const flavors = clusterQueue.spec.resourceGroups[0].flavors as { name: string; resources: { nominalQuota: string; borrowingLimit?: string }[] }[];
    for (const f of flavors) for (const r of f.resources) expect([parseFloat(r.nominalQuota), r.borrowingLimit]).toEqual([0, undefined]);
    // Every pool's job finds its queue in its namespace, and its pool among the queue's flavors.
    for (const pool of blueprint.pools.filter((p) => p.nodes > 0)) {
      const job = parse(files.find((f) => f.path === `acceptance/kubernetes/acceptance-pool-${pool.name}.yaml`)!.content.replace(/^---\n/, ""));
      expect(job.metadata.namespace).toBe(localQueue.metadata.namespace);
      expect(job.metadata.labels["kueue.x-k8s.io/queue-name"]).toBe(localQueue.metadata.name);
      expect(localQueue.spec.clusterQueue).toBe(clusterQueue.metadata.name);
      expect(flavors.map((f) => f.name)).toContain(pool.name);
    }
  });

  it("run the factory's slurmd image, which holds nccl-tests and Open MPI, by the tag the stack builds", () => {
    const job = parse(files.find((f) => f.path.startsWith("acceptance/kubernetes/"))!.content.replace(/^---\n/, ""));
    const launcher = job.spec.mpiReplicaSpecs.Launcher.template.spec.containers[0];
    const worker = job.spec.mpiReplicaSpecs.Worker.template.spec.containers[0];
    const image = imageReference(slurmdImageByTag("${REGISTRY}"));
    expect(image).toBe(`\${REGISTRY}/${SLURMD_IMAGE_REPOSITORY}:${slurmdRecipeTag()}`);
    expect([launcher.image, worker.image]).toEqual([image, image]);
    expect(launcher.command.slice(0, 2)).toEqual(["bash", "-c"]);
    expect(launcher.command[2]).toContain(` ${NCCL_TESTS_ALL_REDUCE} `);
    expect(imageEntryPoints().map((e) => e.path)).toContain(NCCL_TESTS_ALL_REDUCE);
    // The image's entry point starts slurmd: a worker runs sshd for mpirun instead, with host keys of its own.
    expect(worker.command).toEqual(MPI_WORKER_COMMAND);
    expect(worker.command.join(" ")).toMatch(/ssh-keygen -A .*exec \/usr\/sbin\/sshd -De/);
    // The launcher takes no GPU from the runtime, which the image would otherwise ask for all of.
    expect(launcher.env).toEqual([{ name: "NVIDIA_VISIBLE_DEVICES", value: "void" }]);
  });

  it("write the expectation per type with its source", () => {
    const expectations = JSON.parse(files.find((f) => f.path === "acceptance/expectations.json")!.content);
    expect(Object.keys(expectations.instanceTypes).sort()).toEqual(["p5.48xlarge", "p5en.48xlarge"]);
    expect(expectations.instanceTypes["p5en.48xlarge"].source).toMatch(/3200 Gbps/);
    expect(expectations.jobs).toHaveLength(blueprint.units.length + blueprint.pools.length);
  });

  it("are what `gigafactory render` writes under acceptance/, beside health/", () => {
    expect(RENDERERS.map((r) => r.folder)).toEqual(expect.arrayContaining(["acceptance", "health", "slurm"]));
    const rendered = renderFiles({ spec: {} as never, blueprint }, RENDERERS.filter((r) => r.folder === "acceptance" || r.folder === "health"));
    expect(rendered.filter((f) => f.path.startsWith("acceptance/"))).toHaveLength(files.length);
    expect(rendered.some((f) => f.path === "health/healthcheck.sh")).toBe(true);
  });
});

describe("the acceptance of a pool no tenant uses", () => {
  const blueprint = slurmBlueprint({
    factory: "gf-spare",
    pools: [
      { name: "train", instanceType: "p5.48xlarge", nodes: 64 },
      { name: "spare", instanceType: "p5.48xlarge", nodes: 32 },
    ],
    tenants: [{ name: "team-a", gpuQuota: 256, pools: ["train"] }],
  });

  it("is queued where Kueue can admit it: the platform's queue has the pool, a tenant's has not", () => {
    expect(blueprint.pools.find((p) => p.name === "spare")!.tenants).toEqual([]);
    const job = parse(renderAcceptance(blueprint).find((f) => f.path === "acceptance/kubernetes/acceptance-pool-spare.yaml")!.content.replace(/^---\n/, ""));
    expect(job.metadata.namespace).toBe(ACCEPTANCE_NAMESPACE);
    const flavorsOf = (q: any) => (q.spec.resourceGroups[0]?.flavors ?? []).map((f: { name: string }) => f.name);
    expect(flavorsOf(borrowingClusterQueue(blueprint, ACCEPTANCE_CLUSTER_QUEUE, ACCEPTANCE_NAMESPACE))).toEqual(["train", "spare"]);
    expect(flavorsOf(clusterQueue(blueprint, blueprint.tenants[0]))).not.toContain("spare");
  });
});

describe("the unit's topology level", () => {
  it("is the deepest network layer of the pool's type: layer 3, layer 4 on p6-b200", () => {
    const bp = slurmBlueprint({ pools: [{ name: "b", instanceType: "p6-b200.48xlarge", nodes: 64 }] });
    const levels = [1, 2, 3, 4].map((i) => ({ name: `network-node-layer-${i}`, nodeLabel: `topology.k8s.aws/network-node-layer-${i}` }));
    const topology = { levels: [...levels, { name: "hostname", nodeLabel: "kubernetes.io/hostname" }], switches: [] };
    expect(unitTopologyLevel({ topology }, bp.pools[0])).toBe("topology.k8s.aws/network-node-layer-4");
    expect(unitTopologyLevel({ topology }, { ...bp.pools[0], instanceType: "p5.48xlarge" })).toBe("topology.k8s.aws/network-node-layer-3");
  });
});

describe("check-results.sh says which units pass", { timeout: 30_000 }, () => {
  const bp = slurmBlueprint({
    factory: "gf-accept",
    pools: [
      { name: "train", instanceType: "p5.48xlarge", nodes: 96 },
      { name: "old", instanceType: "p4d.24xlarge", nodes: 32 },
    ],
  });
  const targets = acceptanceTargets(bp);
  const dir = mkdtempSync(join(tmpdir(), "gf-accept-"));
  const script = join(dir, "check-results.sh");
  writeFileSync(script, renderResultsCheck(bp.factory, targets));
  chmodSync(script, 0o755);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const out = (name: string, body: string) => writeFileSync(join(dir, name), body);

  it("passes units at or above their expectation and fails those below, naming each", () => {
    out("acceptance-train-su001-101.out", allReducePerfOutput(352.4));
    out("acceptance-train-su002-102.out", allReducePerfOutput(300));
    out("acceptance-train-su003.log", allReducePerfOutput(212.7));
    out("acceptance-pool-train-104.out", allReducePerfOutput(310.2));
    out("acceptance-old-su001-105.out", allReducePerfOutput(41.9));
    out("acceptance-pool-old-106.out", allReducePerfOutput(40.1, 3));
    const r = spawnSync("bash", [script, dir], { encoding: "utf8" });
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toEqual([
      "PASS acceptance-train-su001: 352.4 GB/s bus bandwidth, at least the 300 GB/s expected",
      "PASS acceptance-train-su002: 300 GB/s bus bandwidth, at least the 300 GB/s expected",
      "FAIL acceptance-train-su003: 212.7 GB/s bus bandwidth, below the 300 GB/s expected",
      "PASS acceptance-pool-train: 310.2 GB/s bus bandwidth, at least the 300 GB/s expected",
      "PASS acceptance-old-su001: 41.9 GB/s bus bandwidth, at least the 37.5 GB/s expected",
      `FAIL acceptance-pool-old: 3 wrong results in ${dir}/acceptance-pool-old-106.out`,
      "acceptance: 4 of 6 pass",
    ]);
  });

  it("fails a unit whose output is missing or holds no results, and exits 0 only when every one passes", () => {
    rmSync(join(dir, "acceptance-train-su003.log"));
    out("acceptance-pool-old-106.out", "srun: error: Unable to allocate resources\n");
    const r = spawnSync("bash", [script, dir], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`MISSING acceptance-train-su003: no output in ${dir}`);
    expect(r.stdout).toContain("FAIL acceptance-pool-old: no all_reduce_perf table");
    out("acceptance-train-su003-107.out", allReducePerfOutput(301));
    out("acceptance-pool-old-106.out", allReducePerfOutput(45));
    const ok = spawnSync("bash", [script, dir], { encoding: "utf8" });
    expect(ok.stdout).toContain("acceptance: 6 of 6 pass");
    expect(ok.status).toBe(0);
  });

  it("names the jobs in the order of the units, then the pool", () => {
    expect(targets.map(jobName)).toEqual(["acceptance-train-su001", "acceptance-train-su002", "acceptance-train-su003", "acceptance-pool-train", "acceptance-old-su001", "acceptance-pool-old"]);
  });

  it("renders Kubernetes jobs that parse as YAML", () => {
    for (const f of renderAcceptance(bp).filter((f) => f.path.endsWith(".yaml"))) {
      expect(parseAllDocuments(f.content).every((d) => d.errors.length === 0)).toBe(true);
    }
  });
});
