import { scriptEnv } from "../../../support/script-env";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NCCL_TESTS_ALL_REDUCE, SLURMD_IMAGE_PATHS } from "../../../../core/catalog/slurmd-image";
import { imageEntryPoints, renderCheckImage } from "../../../../core/render/image/recipe-scripts";
import { renderHealthScript } from "../../../../core/render/health/script";
import { acceptanceTargets, jobName, kubernetesJob, launcherScript, NCCL_TESTS_BIN, renderSlurmJob } from "../../../../core/render/acceptance/jobs";
import { ACCEPTANCE_METRICS_DIR } from "../../../../core/render/kubernetes/acceptance-metrics-dir";
import { busBandwidthExpectation } from "../../../../core/render/acceptance/bandwidth";
import { allReducePerfOutput } from "../../../fixtures/day-two/fake-node";
import { slurmBlueprint } from "../../../fixtures/slurm/blueprint";
import { slinkyConfigFiles } from "../../../../core/render/slurm/slinky-conf";
import { nodeHealthObjects, HEALTH_TAINT_KEY } from "../../../../core/render/health/node-agent";
import { BURN_IN_MARKER } from "../../../../core/render/health/script";
import { renderSlinkyGate } from "../../../../core/render/health/slinky-gate";
import { slurmdImageByTag } from "../../../../core/render/image/slurmd-recipe";
import { readFileSync } from "node:fs";

// The slurmd image's entry points, run as the factory's health checks and acceptance jobs run them: a tree laid out
// at the image's paths (the catalog's), holding stubs of nvidia-smi, fi_info, fi_pingpong and all_reduce_perf, and the
// real rendered scripts run against it with bash. What the image must hold, the scripts find where they look.

const blueprint = slurmBlueprint({ factory: "gf-image", pools: [{ name: "train", instanceType: "p5.48xlarge", nodes: 64 }] });
const floor = busBandwidthExpectation("p5.48xlarge")!.expectedBusBandwidthGBps;

const root = mkdtempSync(join(tmpdir(), "gf-slurmd-image-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const at = (path: string) => join(root, path);

function place(path: string, body: string, mode = 0o755): void {
  mkdirSync(dirname(at(path)), { recursive: true });
  writeFileSync(at(path), body);
  chmodSync(at(path), mode);
}

/** The image, as stubs at the catalog's paths: each tool answers from FAKE_* variables. */
function layImage(): void {
  const p = SLURMD_IMAGE_PATHS;
  place(`${p.cudaBinDir}/nvidia-smi`, '#!/usr/bin/env bash\ncase "$*" in *query-gpu=index,*) for i in $(seq 0 $((FAKE_GPUS - 1))); do echo "$i, Not Active, Not Active, Not Active, Not Active"; done ;; *query-gpu=index*) seq 0 $((FAKE_GPUS - 1)) ;; esac\n');
  place(`${p.efaBinDir}/fi_info`, '#!/usr/bin/env bash\nfor i in $(seq 1 "$FAKE_EFA"); do printf "provider: efa\\n    domain: rdmap%ss0-rdm\\n    type: FI_EP_RDM\\n" "$i"; done\n');
  place(`${p.efaBinDir}/fi_pingpong`, "#!/usr/bin/env bash\nexit 0\n");
  // DCGM's client answers only once a host engine runs: none does until the checks start the image's own.
  place(`${p.dcgmBinDir}/dcgmi`, '#!/usr/bin/env bash\n[ -e "$IMAGE_ROOT/run/nv-hostengine" ] || { echo "Unable to establish a connection to the specified host: localhost" >&2; exit 1; }\n[ "$1" = discovery ] && exit 0\necho "$*" >> "$IMAGE_ROOT/dcgm.log"\necho "| Deployment | Pass |"\n');
  place(`${p.dcgmBinDir}/nv-hostengine`, '#!/usr/bin/env bash\nmkdir -p "$IMAGE_ROOT/run" && touch "$IMAGE_ROOT/run/nv-hostengine"\n');
  place(NCCL_TESTS_ALL_REDUCE, '#!/usr/bin/env bash\n[ "${FAKE_NCCL_FAILS:-0}" = 1 ] && { echo "NCCL failure common.cu:1079 unhandled system error" >&2; exit 3; }\nsed "s/@BUSBW@/$FAKE_BUSBW/g" "$FAKE_TABLE"\n');
  writeFileSync(at("table.out"), allReducePerfOutput("@BUSBW@"));
  for (const e of imageEntryPoints()) if (!existsSync(at(e.path))) place(e.path, "", e.kind === "executable" ? 0o755 : 0o644);
  // The host's own tools the scripts use, and no GPU tool of the host's.
  place("host-bin/journalctl", "#!/usr/bin/env bash\nexit 0\n");
  place("host-bin/scontrol", '#!/usr/bin/env bash\necho "$*" >> "$FAKE_SCONTROL"\n');
  place("host-bin/dmesg", "#!/usr/bin/env bash\nexit 0\n");
  // A loop's round ends at its own sleep (FAKE_ROUND_S); every other wait passes at once.
  place("host-bin/sleep", '#!/usr/bin/env bash\n[ -n "${FAKE_ROUND_S:-}" ] && [ "$1" = "$FAKE_ROUND_S" ] && kill -TERM "$PPID"\nexit 0\n');
  // The API server as the agent's kubectl sees it: the node's labels, and every call logged.
  place("host-bin/kubectl", '#!/usr/bin/env bash\necho "$*" >> "$IMAGE_ROOT/kubectl.log"\ncase "$*" in *"labels.gigafactory\\.io/pool"*) printf train ;; *"labels.gigafactory\\.io/scalable-unit"*) printf train-su003 ;; esac\n');
  // srun runs the program it is given inside the image (the tree), with the job's arguments.
  place("host-bin/srun", '#!/usr/bin/env bash\nwhile [ $# -gt 0 ] && [ "${1#/}" = "$1" ]; do shift; done\nbin="$1"; shift\n[ -x "$IMAGE_ROOT$bin" ] || { echo "srun: $bin: No such file or directory" >&2; exit 2; }\nexec "$IMAGE_ROOT$bin" "$@"\n');
  // Open MPI's mpirun (the base image's) the same way: the program after its options, inside the image.
  place("host-bin/mpirun", '#!/usr/bin/env bash\nwhile [ $# -gt 0 ] && [ "${1#/}" = "$1" ]; do shift; done\nbin="$1"; shift\n[ -x "$IMAGE_ROOT$bin" ] || { echo "mpirun: $bin: No such file or directory" >&2; exit 2; }\nexec "$IMAGE_ROOT$bin" "$@"\n');
}
layImage();

function run(script: string, env: Record<string, string> = {}) {
  const path = at(`scripts/${Math.random().toString(36).slice(2)}.sh`);
  place(path.slice(root.length), script);
  const r = spawnSync("bash", [path], {
    encoding: "utf8",
    timeout: 30_000,
    // The image's tool folders as the image's PATH has them, the host's basics after.
    env: scriptEnv([SLURMD_IMAGE_PATHS.efaBinDir, SLURMD_IMAGE_PATHS.cudaBinDir, SLURMD_IMAGE_PATHS.dcgmBinDir].map(at).concat(at("host-bin")), {
      IMAGE_ROOT: root,
      FAKE_GPUS: "8",
      FAKE_EFA: "32",
      FAKE_BUSBW: String(floor + 40),
      FAKE_TABLE: at("table.out"),
      FAKE_SCONTROL: at("scontrol.log"),
      GF_NODE_NAME: "train-00007",
      GF_LUSTRE_MOUNT: "",
      GF_NCCL_TESTS_DIR: at(SLURMD_IMAGE_PATHS.ncclTestsDir),
      GF_BURN_IN_MARKER: at("state/burn-in-passed"),
      GF_HEALTH_ACTION: "report",
      ...env,
    }),
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe("the image holds every entry point the factory's scripts call", () => {
  it("check-image.sh passes the image laid out at the catalog's paths", () => {
    const r = run(renderCheckImage());
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/every entry point present/);
  });

  it("check-image.sh fails an image without nccl-tests, naming what is missing and who needs it", () => {
    rmSync(at(NCCL_TESTS_ALL_REDUCE));
    try {
      const r = run(renderCheckImage());
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`missing: ${NCCL_TESTS_ALL_REDUCE} (the acceptance jobs' and the burn-in's NCCL all-reduce)`);
    } finally {
      layImage();
    }
  });

  it("Slurm's plugstack.conf includes the Pyxis entry the image holds, so srun --container-image works in batch jobs", () => {
    const conf = slinkyConfigFiles(blueprint)["plugstack.conf"]!;
    const included = /^include (\S+)\/\*$/m.exec(conf)?.[1];
    expect(included).toBe(SLURMD_IMAGE_PATHS.pyxisConfDir);
    expect(imageEntryPoints().map((e) => e.path)).toContain(`${included}/pyxis.conf`);
  });

  it("the acceptance jobs and the burn-in call the all-reduce the image holds", () => {
    expect(NCCL_TESTS_BIN).toBe(NCCL_TESTS_ALL_REDUCE);
    expect(renderHealthScript(blueprint, "burn-in")).toContain(`GF_NCCL_TESTS_DIR="\${GF_NCCL_TESTS_DIR:-${SLURMD_IMAGE_PATHS.ncclTestsDir}}"`);
    expect(renderHealthScript(blueprint, "burn-in")).toContain(`${SLURMD_IMAGE_PATHS.efaBinDir}:${SLURMD_IMAGE_PATHS.cudaBinDir}`);
  });
});

describe("the burn-in, run against the image", { timeout: 60_000 }, () => {
  const burnIn = renderHealthScript(blueprint, "burn-in");

  it("passes a node whose GPUs, EFA devices, loopback and in-node all-reduce are all there", () => {
    rmSync(at("state"), { recursive: true, force: true });
    const r = run(burnIn);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(existsSync(at("state/burn-in-passed"))).toBe(true);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ["an EFA device fewer than a p5.48xlarge has", { FAKE_EFA: "31" }, /31 of 32 EFA devices visible on p5\.48xlarge/],
    ["a GPU missing", { FAKE_GPUS: "7" }, /7 of 8 accelerators visible/],
    ["an all-reduce below the fabric's floor", { FAKE_BUSBW: String(floor - 1) }, new RegExp(`reached ${floor - 1} GB/s, below the ${floor} GB/s`)],
    ["an all-reduce that fails", { FAKE_NCCL_FAILS: "1" }, /in-node NCCL all-reduce failed: NCCL failure/],
  ])("fails on %s, saying why", (_what, env, reason) => {
    const r = run(burnIn, env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(reason);
  });

  it("fails on an image without libfabric's tools, rather than passing a node it cannot check", () => {
    const r = run(burnIn, { PATH: [at("host-bin"), "/usr/bin", "/bin"].join(":") });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/(nvidia-smi|fi_info) is missing on train-00007/);
  });
});

describe("an acceptance job, run against the image", { timeout: 60_000 }, () => {
  const target = acceptanceTargets(blueprint).find((t) => t.kind === "unit")!;
  const job = renderSlurmJob(target);
  // The host's acceptance metrics folder as slurmd's pod mounts it, in the tree.
  const metricsDir = at(ACCEPTANCE_METRICS_DIR);
  mkdirSync(metricsDir, { recursive: true });
  const runJob = (env: Record<string, string> = {}) => run(job, { GF_ACCEPTANCE_METRICS_DIR: metricsDir, ...env });

  it("runs nccl-tests' all-reduce from the image and prints its table for check-results.sh", () => {
    const r = runJob();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\s+17179869184\s+4294967296\s+float\s+sum/m);
  });

  it("leaves its bus bandwidth and the expectation as metrics in the folder the agent's node exporter reads", () => {
    rmSync(join(metricsDir, `${jobName(target)}.prom`), { force: true });
    expect(runJob().status).toBe(0);
    const lines = readFileSync(join(metricsDir, `${jobName(target)}.prom`), "utf8").trim().split("\n");
    const labels = `{target="${target.name}",kind="unit",pool="train"}`;
    expect(lines).toEqual([`gigafactory_acceptance_bus_bandwidth_gbps${labels} ${floor + 40}`, `gigafactory_acceptance_expected_bus_bandwidth_gbps${labels} ${floor}`]);
    // The folder the job writes is one the node exporter is told to read, from the same place on the host.
    const agent = (nodeHealthObjects(blueprint, "r", slurmdImageByTag("r")).find((o) => o.kind === "DaemonSet") as any).spec.template.spec;
    const exporter = agent.containers.find((c: { name: string }) => c.name === "node-exporter");
    expect(exporter.args).toContain(`--collector.textfile.directory=${ACCEPTANCE_METRICS_DIR}`);
    const mount = exporter.volumeMounts.find((m: { mountPath: string }) => m.mountPath === ACCEPTANCE_METRICS_DIR);
    expect(agent.volumes.find((v: { name: string }) => v.name === mount.name).hostPath.path).toBe(ACCEPTANCE_METRICS_DIR);
  });

  it("as an MPIJob, runs from a launcher on one of the target's nodes that leaves the same metrics in the host's folder", () => {
    rmSync(join(metricsDir, `${jobName(target)}.prom`), { force: true });
    const r = run(launcherScript(target), { GF_ACCEPTANCE_METRICS_DIR: metricsDir });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\s+17179869184\s+4294967296\s+float\s+sum/m);
    expect(readFileSync(join(metricsDir, `${jobName(target)}.prom`), "utf8")).toContain(`gigafactory_acceptance_bus_bandwidth_gbps{target="${target.name}",kind="unit",pool="train"} ${floor + 40}`);
    const job = kubernetesJob(blueprint, target, "image") as any;
    const launcher = job.spec.mpiReplicaSpecs.Launcher.template.spec;
    expect(launcher.nodeSelector).toEqual(job.spec.mpiReplicaSpecs.Worker.template.spec.nodeSelector);
    const mount = launcher.containers[0].volumeMounts.find((m: { mountPath: string }) => m.mountPath === ACCEPTANCE_METRICS_DIR);
    expect(launcher.volumes.find((v: { name: string }) => v.name === mount.name).hostPath.path).toBe(ACCEPTANCE_METRICS_DIR);
    expect(launcher.containers[0].command).toEqual(["bash", "-c", launcherScript(target)]);
  });

  it("passes, and says why, where it may not write its metrics", () => {
    const r = runJob({ GF_ACCEPTANCE_METRICS_DIR: at("no/such/folder") });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^acceptance: no metrics written: .*no\/such\/folder is not a folder \S+ may write; submit the acceptance as root from a login pod$/m);
  });

  it("fails when the all-reduce fails, so the job is not counted as passed", () => {
    const r = runJob({ FAKE_NCCL_FAILS: "1" });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/NCCL failure/);
  });

  it("fails in an image that lacks nccl-tests, as the stock slurmd image does", () => {
    rmSync(at(NCCL_TESTS_ALL_REDUCE));
    try {
      const r = runJob();
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`${NCCL_TESTS_ALL_REDUCE}: No such file or directory`);
    } finally {
      layImage();
    }
  });
});

describe("the node-health agent, run against the image", { timeout: 60_000 }, () => {
  // The DaemonSet as rendered: its ConfigMap's scripts under /scripts of the tree, its containers' environment with
  // every path moved into the tree, and one round of each loop: taints (kubectl), checks (the image), taints again.
  const objects = nodeHealthObjects(blueprint, "r", slurmdImageByTag("r"));
  const pod = (objects.find((o) => o.kind === "DaemonSet") as any).spec.template.spec;
  const data = (objects.find((o) => o.kind === "ConfigMap") as any).data as Record<string, string>;
  const containerEnv = (name: string): Record<string, string> => {
    const c = pod.containers.find((x: { name: string }) => x.name === name);
    const env: Record<string, string> = { NODE_NAME: "ip-10-0-1-7" };
    for (const e of c.env as { name: string; value?: string }[]) if (e.value !== undefined) env[e.name] = e.value.startsWith("/") ? at(e.value) : e.value;
    return { ...env, INTERVAL_S: "7", POLL_S: "7", FAKE_ROUND_S: "7" };
  };
  const calls = () => (existsSync(at("kubectl.log")) ? readFileSync(at("kubectl.log"), "utf8").trim().split("\n") : []);
  const statusFile = () => containerEnv("checks").STATUS_FILE!;

  function freshNode(): void {
    for (const d of ["var", "run", "scripts-agent", "kubectl.log", "dcgm.log"]) rmSync(at(d), { recursive: true, force: true });
    for (const [name, content] of Object.entries(data)) place(`/scripts/${name}`, content, 0o644);
    for (const dir of [containerEnv("checks").TEXTFILE_DIR!, containerEnv("checks").SHARED_DIR!, at("/sys/class/infiniband/rdmap0s1/ports/1/hw_counters")]) mkdirSync(dir, { recursive: true });
    writeFileSync(at("/sys/class/infiniband/rdmap0s1/ports/1/hw_counters/tx_bytes"), "4096\n");
  }

  function rounds(node: Record<string, string>) {
    const image = { GF_BURN_IN_MARKER: at(BURN_IN_MARKER), GF_NODE_NAME: "", ...node };
    const taints = () => run(`exec bash ${at("/scripts/taints.sh")}`, { ...containerEnv("taints"), ...image });
    const first = taints();
    const checks = run(`exec bash ${at("/scripts/checks.sh")}`, { ...containerEnv("checks"), ...image });
    const second = taints();
    return { first, checks, second };
  }

  it("the scripts the agent calls are in its ConfigMap, and the tools the checks call are at the image's paths", () => {
    expect(pod.containers.find((c: { name: string }) => c.name === "checks").image).toBe(`r/gigafactory/slurmd:${slurmdImageByTag("r").tag}`);
    for (const c of pod.containers.filter((x: { command?: string[] }) => x.command)) expect(Object.keys(data)).toContain(c.command[1].replace("/scripts/", ""));
    const paths = imageEntryPoints().map((e) => e.path);
    for (const tool of ["fi_info", "fi_pingpong", "dcgmi", "nv-hostengine"]) expect(paths.some((p) => p.endsWith(`/${tool}`)), tool).toBe(true);
  });

  it("every tool the checks need is in the image, but nvidia-smi, which the NVIDIA runtime mounts from the node's driver", () => {
    const needed = new Set([...data["burn-in.sh"]!.matchAll(/^\s+need (\S+) /gm)].map((m) => m[1]!));
    expect([...needed].sort()).toEqual(["dcgmi", "fi_info", "fi_pingpong", "nv-hostengine", "nvidia-smi"]);
    const inImage = imageEntryPoints().map((e) => e.path.split("/").pop());
    expect([...needed].filter((t) => !inImage.includes(t))).toEqual(["nvidia-smi"]);
  });

  it("a healthy new node: tainted for burn-in, burnt in with the image's DCGM host engine, then untainted", () => {
    freshNode();
    const r = rounds({});
    expect(r.checks.stderr).toBe("");
    expect(calls()).toEqual([
      "get node ip-10-0-1-7 -o jsonpath={.metadata.labels.gigafactory\\.io/pool}",
      "get node ip-10-0-1-7 -o jsonpath={.metadata.labels.gigafactory\\.io/scalable-unit}",
      "annotate node ip-10-0-1-7 topology.slinky.slurm.net/spec=fabric:train-su003 --overwrite",
      `taint node ip-10-0-1-7 ${HEALTH_TAINT_KEY}=burn-in:NoSchedule --overwrite`,
      "annotate node ip-10-0-1-7 gigafactory.io/node-health-reason=burn-in running --overwrite",
      "get node ip-10-0-1-7 -o jsonpath={.metadata.labels.gigafactory\\.io/pool}",
      "get node ip-10-0-1-7 -o jsonpath={.metadata.labels.gigafactory\\.io/scalable-unit}",
      "annotate node ip-10-0-1-7 topology.slinky.slurm.net/spec=fabric:train-su003 --overwrite",
      `taint node ip-10-0-1-7 ${HEALTH_TAINT_KEY}:NoSchedule-`,
    ]);
    expect(readFileSync(statusFile(), "utf8")).toMatch(/^ok \d{10} \n$/);
    expect(existsSync(at(BURN_IN_MARKER))).toBe(true);
    expect(readFileSync(at("dcgm.log"), "utf8").trim()).toBe("diag -r 2");
    const metrics = readFileSync(join(containerEnv("checks").TEXTFILE_DIR!, "health.prom"), "utf8");
    expect(metrics).toContain('gigafactory_node_health_failed{pool="train",unit="train-su003",phase="burn-in"} 0');
    expect(metrics).toContain('gigafactory_efa_tx_bytes_total{pool="train",unit="train-su003",device="rdmap0s1"} 4096');
    // What slurmd's health check on Kubernetes makes of it: nothing to drain.
    const gate = run(renderSlinkyGate("prolog"), { GF_HEALTH_STATUS_FILE: statusFile(), SLURMD_NODENAME: "train-00003" });
    expect(gate.status).toBe(0);
  });

  it("a node with a GPU missing: tainted failed with the check's reason, and drained by slurmd's health check", () => {
    freshNode();
    rounds({ FAKE_GPUS: "7" });
    const reason = "gigafactory burn-in: 7 of 8 accelerators visible on p5.48xlarge";
    expect(readFileSync(statusFile(), "utf8")).toMatch(new RegExp(`^failed \\d{10} ${reason}\n$`));
    expect(existsSync(at(BURN_IN_MARKER))).toBe(false);
    expect(calls().slice(-2)).toEqual([`taint node ip-10-0-1-7 ${HEALTH_TAINT_KEY}=failed:NoSchedule --overwrite`, `annotate node ip-10-0-1-7 gigafactory.io/node-health-reason=${reason} --overwrite`]);
    expect(calls().some((c) => c.endsWith(":NoSchedule-"))).toBe(false);
    rmSync(at("scontrol.log"), { force: true });
    const gate = run(renderSlinkyGate("prolog"), { GF_HEALTH_STATUS_FILE: statusFile(), SLURMD_NODENAME: "train-00003" });
    expect(gate.status).toBe(1);
    expect(readFileSync(at("scontrol.log"), "utf8")).toContain(`update NodeName=train-00003 State=DRAIN Reason=gigafactory node-health: ${reason}`);
  });

  it("a node whose EFA devices the image's libfabric does not all see fails its health check after burn-in", () => {
    freshNode();
    mkdirSync(dirname(at(BURN_IN_MARKER)), { recursive: true });
    writeFileSync(at(BURN_IN_MARKER), "");
    rounds({ FAKE_EFA: "30" });
    expect(readFileSync(statusFile(), "utf8")).toMatch(/^failed \d{10} gigafactory healthcheck: 30 of 32 EFA devices visible on p5\.48xlarge\n$/);
    // The cheap checks first: the EFA count stops it before DCGM's diagnostics.
    expect(existsSync(at("dcgm.log"))).toBe(false);
  });
});
