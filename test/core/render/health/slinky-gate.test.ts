import { scriptEnv } from "../../../support/script-env";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../../core/blueprint";
import { GATE_PHASES, renderSlinkyGate, slinkyGateConfigMap, slinkyGatePath, STATUS_MAX_AGE_S, type GatePhase } from "../../../../core/render/health/slinky-gate";
import { HEALTH_STATUS_FILE } from "../../../../core/render/health/node-agent";
import { slinkyControllerConf } from "../../../../core/render/slurm/slinky-conf";
import { slinkyValues } from "../../../../core/render/slurm/slinky-values";
import { factorySpec, pool } from "../../../fixtures/blueprint/spec";

// Slurm's health programs on Kubernetes, run as slurmd would run them, against a fake scontrol and the agent's report.

const dir = mkdtempSync(join(tmpdir(), "gf-gate-"));
const bin = join(dir, "bin");
mkdirSync(bin);
const status = join(dir, "node-health.status");
const log = join(dir, "scontrol.log");
for (const phase of GATE_PHASES) writeFileSync(join(dir, `${phase}.sh`), renderSlinkyGate(phase), { mode: 0o755 });
writeFileSync(join(bin, "scontrol"), `#!/usr/bin/env bash\necho "$*" >> "${log}"\n[ "$1" = show ] && echo "NodeName=train-0007 State=IDLE+DRAIN $FAKE_REASON"\nexit 0\n`, { mode: 0o755 });

const now = () => Math.floor(Date.now() / 1000);
function gate(phase: GatePhase, report: string | null, reason = "") {
  rmSync(log, { force: true });
  if (report === null) rmSync(status, { force: true });
  else writeFileSync(status, report);
  const r = spawnSync("bash", [join(dir, `${phase}.sh`)], {
    env: scriptEnv([bin], { SLURMD_NODENAME: "train-0007", GF_HEALTH_STATUS_FILE: status, FAKE_REASON: reason }),
    encoding: "utf8",
  });
  return { status: r.status, stderr: r.stderr, scontrol: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [] };
}
const drains = (calls: string[]) => calls.filter((c) => c.startsWith("update NodeName=train-0007 State=DRAIN"));

describe("Slurm's health programs on Kubernetes", () => {
  it.each(GATE_PHASES)("%s is valid bash", (phase) => {
    expect(spawnSync("bash", ["-n", join(dir, `${phase}.sh`)]).status).toBe(0);
  });

  it.each(GATE_PHASES)("%s passes a node the agent found healthy and drains nothing", (phase) => {
    const r = gate(phase, `ok ${now()} \n`);
    expect(r.status).toBe(0);
    expect(drains(r.scontrol)).toEqual([]);
  });

  it.each<[string, string | null, RegExp]>([
    ["a failed check, with the agent's reason", `failed ${now()} 7 of 8 accelerators visible on p5.48xlarge\n`, /Reason=gigafactory node-health: 7 of 8 accelerators visible/],
    ["burn-in still running", `burn-in ${now()} burn-in running\n`, /burn-in has not finished/],
    ["no report at all", null, /has not reported on this node yet/],
    ["a report older than three of the agent's intervals", `ok ${now() - STATUS_MAX_AGE_S - 60} \n`, /has been silent for \d+ s/],
    ["a report that is not one", "garbage\n", /unreadable/],
  ])("the prolog drains the node and fails (so the job is requeued) on %s", (_what, report, reason) => {
    const r = gate("prolog", report);
    expect(r.status).toBe(1);
    expect(drains(r.scontrol)).toHaveLength(1);
    expect(drains(r.scontrol)[0]).toMatch(reason);
  });

  it("the health check resumes a node it drained itself once the agent finds it healthy, and never one an administrator drained", () => {
    const ours = gate("healthcheck", `ok ${now()} \n`, "Reason=gigafactory node-health: burn-in has not finished");
    expect(ours.scontrol).toContain("update NodeName=train-0007 State=RESUME");
    const theirs = gate("healthcheck", `ok ${now()} \n`, "Reason=replacing DIMM");
    expect(theirs.scontrol.filter((c) => c.includes("RESUME"))).toEqual([]);
    expect(gate("prolog", `ok ${now()} \n`, "Reason=gigafactory node-health: x").scontrol.filter((c) => c.includes("RESUME"))).toEqual([]);
  });

  it("reads the report where the agent writes it", () => {
    expect(renderSlinkyGate("healthcheck")).toContain(`STATUS_FILE="\${GF_HEALTH_STATUS_FILE:-${HEALTH_STATUS_FILE}}"`);
  });
});

describe("Slurm on Kubernetes runs them", () => {
  const { blueprint } = buildBlueprint(factorySpec({ pools: { train: pool({ nodes: 64 }) } }));
  const values = slinkyValues(blueprint, {
    registry: "123456789012.dkr.ecr.eu-north-1.amazonaws.com",
    secrets: { slurmKey: { name: "a", key: "k" }, jwtKey: { name: "a", key: "j" }, databasePassword: { name: "d", key: "p" } } as any,
    storage: { host: "db", port: 3306, database: "slurm", username: "slurm" },
    nodePriorityClassName: "slurm-node",
    slurmdImage: { repository: "123456789012.dkr.ecr.eu-north-1.amazonaws.com/gigafactory/slurmd", tag: `recipe-0@sha256:${"c".repeat(64)}` },
  });

  it("names the gates as HealthCheckProgram, Prolog and Epilog, with the factory's interval and requeue on a failed Prolog", () => {
    const conf = slinkyControllerConf(blueprint);
    expect(conf).toContain(`HealthCheckProgram=${slinkyGatePath("healthcheck")}`);
    expect(conf).toContain(`Prolog=${slinkyGatePath("prolog")}`);
    expect(conf).toContain(`Epilog=${slinkyGatePath("epilog")}`);
    expect(conf).toMatch(/^HealthCheckInterval=300$/m);
    expect(conf).toMatch(/^PrologFlags=Alloc,Contain$/m);
    expect(conf).toMatch(/^SchedulerParameters=.*nohold_on_prolog_fail/m);
    expect(conf).not.toContain("/etc/slurm/health/");
  });

  it("mounts the gates and the agent's report into every slurmd pod", () => {
    for (const nodeset of Object.values(values.nodesets)) {
      const mounts = nodeset.slurmd.volumeMounts.map((m) => m.mountPath);
      expect(mounts).toContain("/etc/gigafactory/health");
      expect(mounts).toContain(HEALTH_STATUS_FILE.slice(0, HEALTH_STATUS_FILE.lastIndexOf("/")));
      expect(nodeset.podSpec.volumes).toContainEqual({ name: "node-health-gate", configMap: { name: slinkyGateConfigMap("slurm").metadata.name, defaultMode: 0o755 } });
    }
    expect(Object.keys(slinkyGateConfigMap("slurm").data as object).sort()).toEqual(["epilog.sh", "healthcheck.sh", "prolog.sh"]);
  });
});

describe("a Slurm node's scalable unit on Kubernetes", () => {
  const unitFile = join(dir, "scalable-unit");
  function healthcheck(unit: string | null, features: string) {
    rmSync(log, { force: true });
    writeFileSync(status, `ok ${now()} \n`);
    if (unit === null) rmSync(unitFile, { force: true });
    else writeFileSync(unitFile, `${unit}\n`);
    const fake = join(dir, "bin-features");
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, "scontrol"), `#!/usr/bin/env bash\necho "$*" >> "${log}"\n[ "$1" = show ] && echo "NodeName=train-0007 Arch=x86_64 AvailableFeatures=${features} ActiveFeatures=${features} State=IDLE"\nexit 0\n`, { mode: 0o755 });
    const r = spawnSync("bash", [join(dir, "healthcheck.sh")], {
      env: scriptEnv([fake], { SLURMD_NODENAME: "train-0007", GF_HEALTH_STATUS_FILE: status, GF_SCALABLE_UNIT_FILE: unitFile }),
      encoding: "utf8",
    });
    return { status: r.status, updates: (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []).filter((c) => c.startsWith("update")) };
  }

  it("becomes a feature of the node, beside the NodeSet's own, from the unit the node-health agent learned", () => {
    const r = healthcheck("train-su003", "train,p5en.48xlarge");
    expect(r.status).toBe(0);
    expect(r.updates).toEqual(["update NodeName=train-0007 AvailableFeatures=train,p5en.48xlarge,train-su003 ActiveFeatures=train,p5en.48xlarge,train-su003"]);
  });

  it("is added once: a node that has it is left alone, and a node whose unit is not known yet too", () => {
    expect(healthcheck("train-su003", "train,p5en.48xlarge,train-su003").updates).toEqual([]);
    expect(healthcheck(null, "train").updates).toEqual([]);
  });

  it("is the only feature of a node that had none", () => {
    expect(healthcheck("train-su001", "(null)").updates).toEqual(["update NodeName=train-0007 AvailableFeatures=train-su001 ActiveFeatures=train-su001"]);
  });
});
