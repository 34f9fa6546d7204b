import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NCCL_TESTS_ALL_REDUCE, SLURMD_IMAGE_PATHS } from "../../../../core/catalog/slurmd-image";
import { imageEntryPoints, renderCheckImage } from "../../../../core/render/image/recipe-scripts";
import { renderHealthScript } from "../../../../core/render/health/script";
import { acceptanceTargets, NCCL_TESTS_BIN, renderSlurmJob } from "../../../../core/render/acceptance/jobs";
import { busBandwidthExpectation } from "../../../../core/render/acceptance/bandwidth";
import { allReducePerfOutput } from "../../../fixtures/day-two/fake-node";
import { slurmBlueprint } from "../../../fixtures/slurm/blueprint";
import { slinkyConfigFiles } from "../../../../core/render/slurm/slinky-conf";

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
  place(`${p.cudaBinDir}/dcgmi`, '#!/usr/bin/env bash\necho "| Deployment | Pass |"\n');
  place(NCCL_TESTS_ALL_REDUCE, '#!/usr/bin/env bash\n[ "${FAKE_NCCL_FAILS:-0}" = 1 ] && { echo "NCCL failure common.cu:1079 unhandled system error" >&2; exit 3; }\nsed "s/@BUSBW@/$FAKE_BUSBW/g" "$FAKE_TABLE"\n');
  writeFileSync(at("table.out"), allReducePerfOutput("@BUSBW@"));
  for (const e of imageEntryPoints()) if (!existsSync(at(e.path))) place(e.path, "", e.kind === "executable" ? 0o755 : 0o644);
  // The host's own tools the scripts use, and no GPU tool of the host's.
  place("host-bin/journalctl", "#!/usr/bin/env bash\nexit 0\n");
  place("host-bin/scontrol", '#!/usr/bin/env bash\necho "$*" >> "$FAKE_SCONTROL"\n');
  place("host-bin/sleep", "#!/usr/bin/env bash\nexit 0\n");
  // srun runs the program it is given inside the image (the tree), with the job's arguments.
  place("host-bin/srun", '#!/usr/bin/env bash\nwhile [ $# -gt 0 ] && [ "${1#/}" = "$1" ]; do shift; done\nbin="$1"; shift\n[ -x "$IMAGE_ROOT$bin" ] || { echo "srun: $bin: No such file or directory" >&2; exit 2; }\nexec "$IMAGE_ROOT$bin" "$@"\n');
}
layImage();

function run(script: string, env: Record<string, string> = {}) {
  const path = at(`scripts/${Math.random().toString(36).slice(2)}.sh`);
  place(path.slice(root.length), script);
  const r = spawnSync("bash", [path], {
    encoding: "utf8",
    timeout: 30_000,
    env: {
      // The image's tool folders as the image's PATH has them, the host's basics after.
      PATH: [SLURMD_IMAGE_PATHS.efaBinDir, SLURMD_IMAGE_PATHS.cudaBinDir].map(at).concat(at("host-bin"), "/usr/bin", "/bin").join(":"),
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
    },
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

  it("runs nccl-tests' all-reduce from the image and prints its table for check-results.sh", () => {
    const r = run(job);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\s+17179869184\s+4294967296\s+float\s+sum/m);
  });

  it("fails when the all-reduce fails, so the job is not counted as passed", () => {
    const r = run(job, { FAKE_NCCL_FAILS: "1" });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/NCCL failure/);
  });

  it("fails in an image that lacks nccl-tests, as the stock slurmd image does", () => {
    rmSync(at(NCCL_TESTS_ALL_REDUCE));
    try {
      const r = run(job);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`${NCCL_TESTS_ALL_REDUCE}: No such file or directory`);
    } finally {
      layImage();
    }
  });
});
