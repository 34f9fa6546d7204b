import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poolHostlist } from "../../../../core/blueprint/pool-hosts";
import type { Blueprint, TenantPlan } from "../../../../core/blueprint/types";
import { expandHostlist } from "../../../../core/lib/hostlist";
import type { KubernetesObject } from "../../../../core/render/kubernetes/objects-types";
import { renderSlurm, slurmAccounts } from "../../../../core/render/slurm";
import { slurmAccount } from "../../../../core/render/slurm/accounts";
import { renderSlurmdbdExtraConf } from "../../../../core/render/slurm/control-plane";
import { renderSlinkyGate } from "../../../../core/render/health/slinky-gate";
import { slinkyEndpoints, slurmQosCronJob, tenantSlurmAccountCronJob } from "../../../../core/render/slurm/accounts-job";
import { readJobOutput, scratchDir, startAccountedCluster, type AccountedCluster } from "../../../fixtures/slurm/accounted-cluster";
import { accountingTools, createIdentity, createUsers, identityEntries, removeGroups, removeUsers, type MadeIdentity, type ThrowawayUser } from "../../../fixtures/slurm/accounting-suite";
import { acquireMachineLock, type MachineLock } from "../../../fixtures/slurm/machine-lock";
import { tenantIdentityData } from "../../../../core/render/slurm/identity";
import { sleep } from "../../../fixtures/slurm/controller";
import { stackBlueprint } from "../../../fixtures/slurm/stacks";

// The dev stack's rendered Slurm files on a whole real cluster (MariaDB, slurmdbd, slurmctld, one slurmd playing
// the stack's first node): the rendered accounts.sh and accounts.cfg load the tenants, and the tenants' users, as
// the tenants file declares them, submit. Only what ties the files to this machine is changed (accounted-cluster.ts).

const tools = accountingTools();
// A person on the machine with no Slurm account (uid clear of the stack's users).
const STRANGER = { name: "gf-stranger", uid: 29_999 };
// Another run on this machine (another checkout) holds it for a few minutes at most.
const LOCK_WAIT_MS = 600_000;

/** The container of a rendered CronJob: its command and environment, run here as the cluster would run them. */
const containerOf = (cronJob: KubernetesObject): { command: string[]; env: { name: string; value: string }[] } =>
  (cronJob as unknown as { spec: { jobTemplate: { spec: { template: { spec: { containers: { command: string[]; env: { name: string; value: string }[] }[] } } } } } }).spec.jobTemplate.spec.template.spec.containers[0];

const tenant = (bp: Blueprint, name: string): TenantPlan => bp.tenants.find((t) => t.name === name)!;

describe.skipIf(!tools)("the dev stack's tenants on a real Slurm cluster with slurmdbd", () => {
  let blueprint: Blueprint;
  let cluster: AccountedCluster;
  let users: ThrowawayUser[] = [];
  let lock: MachineLock | undefined;
  let groups: MadeIdentity["groups"] = [];
  const cleanUp = async () => {
    if (cluster) {
      await cluster.cancel().catch(() => undefined);
      await cluster.stop();
    }
    removeUsers(users);
    removeGroups(groups);
    lock?.release();
  };
  const user = (name: string): ThrowawayUser => users.find((u) => u.name === name)!;
  const userOf = (t: string): ThrowawayUser => user(tenant(blueprint, t).users[0].name);
  const associations = () => cluster.sacctmgr(["--noheader", "--parsable2", "show", "association", "format=account,user,fairshare,grptres,qos,defaultqos"]).output;
  const state = (job: number) => cluster.squeue("%T %r", job);

  async function waitFor(job: number, wanted: RegExp, seconds = 60): Promise<string> {
    let seen = "";
    for (let i = 0; i < seconds * 4; i++) {
      seen = state(job);
      if (wanted.test(seen)) return seen;
      await sleep(250);
    }
    return seen;
  }

  beforeAll(async () => {
    // The users' names are the stack's: one run on the machine at a time, and what a killed run left is removed.
    lock = await acquireMachineLock("slurm-accounting", LOCK_WAIT_MS);
    try {
      blueprint = stackBlueprint("dev");
      // The users and groups as the pods get them (identity.ts): the same names, uids and the tenant's group.
      const identity = identityEntries(blueprint.tenants.map((t) => tenantIdentityData(t)));
      const dir = scratchDir();
      lock.record({ dirs: [dir] });
      // slurmctld resolves user names when it loads associations: the users exist before it starts.
      const made = createIdentity(identity, (m) => lock!.record(m));
      [users, groups] = [made.users, made.groups];
      users.push(...createUsers([STRANGER]));
      lock.record({ users: [STRANGER] });
      const files = renderSlurm(blueprint);
      const pool = blueprint.pools.find((p) => p.nodes > 0)!;
      // slurmdbd runs with the purge settings the chart is given.
      cluster = await startAccountedCluster(tools!, files, { dir, node: expandHostlist(poolHostlist(blueprint, pool))[0], slurmdbdConf: renderSlurmdbdExtraConf(blueprint) });
      for (const f of files.filter((f) => /^slurm\/accounts\./.test(f.path))) writeFileSync(join(cluster.dir, f.path.split("/")[1]), f.content, { mode: f.mode ?? 0o644 });
      const load = cluster.runScript(join(cluster.dir, "accounts.sh"), []);
      expect(load.status, load.output).toBe(0);
    } catch (e) {
      await cleanUp();
      throw e;
    }
  }, LOCK_WAIT_MS + 240_000);

  afterAll(cleanUp, 60_000);

  it("takes the rendered purge settings: slurmdbd runs with them and logs no problem with them", () => {
    const dbd = cluster.logs().split("--- slurmctld.log")[0];
    expect(dbd).toContain("slurmdbd version");
    expect(dbd.split("\n").filter((l) => /error|fatal/i.test(l) && /Purge/i.test(l))).toEqual([]);
    const shown = cluster.sacctmgr(["show", "configuration"]).output;
    for (const key of ["PurgeJobAfter", "PurgeStepAfter", "PurgeUsageAfter"]) expect(shown).toMatch(new RegExp(`${key}\\s*=\\s*\\d+ months`));
  });

  it("holds every tenant's account with its fair share, GPU limit and QOS, and each declared user in it", () => {
    const rows = associations().split("\n");
    for (const a of slurmAccounts(blueprint)) {
      expect(rows).toContain(`${a.name}||${a.fairshare}|gres/gpu=${a.grpGpus}|${a.qos}|${a.qos}`);
      for (const u of a.users) expect(rows).toContain(`${a.name}|${u}|parent||${a.qos}|${a.qos}`);
    }
  });

  it("converges: loading the same files again changes nothing", () => {
    const before = associations();
    const again = cluster.runScript(join(cluster.dir, "accounts.sh"), []);
    expect(again.status, again.output).toBe(0);
    expect(again.output).toContain("Nothing new added");
    expect(associations()).toBe(before);
  });

  it("runs a tenant's user's job in the tenant's account on the stack's node", async () => {
    const ada = userOf("team-a");
    const job = cluster.submit(ada, ["--nodes=1", "--gres=gpu:8", "--wait", "--output=team-a.out", "--wrap", 'echo "$(id -un) $(id -gn) $SLURM_JOB_ACCOUNT $SLURMD_NODENAME"']);
    expect(job.status, job.output).toBe(0);
    // As the pods have the user: in the tenant's group, which owns the tenant's share of the file system.
    expect(readJobOutput(cluster, "team-a.out").trim()).toBe(`${ada.name} team-a team-a ${cluster.node}`);
  });

  it("gives the node its scalable unit as a feature from the health check, and runs a job that asks for the unit", async () => {
    const unit = blueprint.units.find((u) => expandHostlist(u.hostnames).includes(cluster.node))!;
    // As on Kubernetes: the node registered with the NodeSet's features only.
    const own = blueprint.pools.find((p) => p.name === unit.pool)!;
    cluster.scontrol(["update", `NodeName=${cluster.node}`, `AvailableFeatures=${own.name},${own.instanceType}`, `ActiveFeatures=${own.name},${own.instanceType}`]);
    const gate = join(cluster.dir, "healthcheck.sh");
    writeFileSync(gate, renderSlinkyGate("healthcheck"), { mode: 0o755 });
    writeFileSync(join(cluster.dir, "node-health.status"), `ok ${Math.floor(Date.now() / 1000)} \n`);
    writeFileSync(join(cluster.dir, "scalable-unit"), `${unit.name}\n`);
    const run = cluster.run(["bash", gate], { SLURMD_NODENAME: cluster.node, GF_HEALTH_STATUS_FILE: join(cluster.dir, "node-health.status"), GF_SCALABLE_UNIT_FILE: join(cluster.dir, "scalable-unit") });
    expect(run.status, run.output).toBe(0);
    expect(cluster.scontrol(["show", "node", cluster.node])).toMatch(new RegExp(`AvailableFeatures=\\S*\\b${unit.name}\\b`));
    const job = cluster.submit(userOf("team-a"), [`--constraint=${unit.name}`, "--nodes=1", "--gres=gpu:8", "--wait", "--output=unit.out", "--wrap", 'echo "$SLURMD_NODENAME"']);
    expect(job.status, job.output).toBe(0);
    expect(readJobOutput(cluster, "unit.out").trim()).toBe(cluster.node);
  });

  it("refuses a user who has no account", () => {
    const job = cluster.submit(user(STRANGER.name), ["--nodes=1", "--wrap", "true"]);
    expect(job.status).not.toBe(0);
    expect(job.output).toMatch(/Invalid account or account\/partition combination/);
  });

  it("holds a job above the tenant's GPU limit with the limit's reason", async () => {
    const grace = userOf("team-b");
    const limit = slurmAccounts(blueprint).find((a) => a.name === "team-b")!.grpGpus;
    const gpusPerNode = blueprint.pools[0].gpusPerNode;
    const nodes = Math.floor(limit / gpusPerNode) + 1;
    const job = cluster.submit(grace, [`--nodes=${nodes}`, `--gres=gpu:${gpusPerNode}`, "--wrap", "true"]);
    expect(job.status, job.output).toBe(0);
    expect(await waitFor(job.jobId!, /AssocGrpGRES/, 20)).toBe("PENDING AssocGrpGRES");
    await cluster.cancel([job.jobId!]);
  });

  it("requeues a preemptible tenant's running job for a job of a higher priority class", async () => {
    const grace = userOf("team-b");
    const ada = userOf("team-a");
    expect([tenant(blueprint, "team-b").priority, tenant(blueprint, "team-a").priority]).toEqual(["preemptible", "standard"]);
    const low = cluster.submit(grace, ["--nodes=1", "--gres=gpu:8", "--wrap", "sleep 600"]);
    expect(await waitFor(low.jobId!, /^RUNNING/)).toMatch(/^RUNNING/);
    // On the node the preemptible job holds: the stack's other nodes are powered down, free to be resumed.
    const high = cluster.submit(ada, ["--nodes=1", `--nodelist=${cluster.node}`, "--gres=gpu:8", "--wrap", "sleep 2"]);
    expect(await waitFor(high.jobId!, /^(RUNNING|COMPLETING|COMPLETED)|^$/)).toMatch(/^(RUNNING|COMPLETING|COMPLETED)|^$/);
    // The preempted job went back to the queue, not away.
    expect(await waitFor(low.jobId!, /^PENDING/)).toMatch(/^PENDING/);
    await cluster.cancel([low.jobId!, high.jobId!]);
  });

  it("runs a tenant's CronJob as deployed: its account changes and the other tenant's stays", () => {
    const b = tenant(blueprint, "team-b");
    const others = () => associations().split("\n").filter((r) => !r.startsWith("team-b|")).join("\n");
    const before = others();
    const changed = { ...b, gpuQuota: b.gpuQuota * 2 };
    const container = containerOf(tenantSlurmAccountCronJob(blueprint, changed, slinkyEndpoints("registry.example")));
    const env = Object.fromEntries(container.env.filter((e) => e.name !== "SLURM_CONF").map((e) => [e.name, e.value]));
    const run = cluster.run(container.command, env);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain(`Changed fairshare             for Account team-b            ${b.gpuQuota} -> ${changed.gpuQuota}`);
    const account = slurmAccount(blueprint, changed);
    expect(associations().split("\n")).toContain(`team-b||${changed.gpuQuota}|gres/gpu=${account.grpGpus}|preemptible|preemptible`);
    expect(others()).toBe(before);
  });

  it("loads the gigafactory's 128 tenants into the same slurmdbd, and loading them again changes nothing", () => {
    const giga = stackBlueprint("gigafactory");
    const files = renderSlurm(giga).filter((f) => /^slurm\/accounts\./.test(f.path));
    const dir = join(cluster.dir, "gigafactory");
    mkdirSync(dir);
    for (const f of files) writeFileSync(join(dir, f.path.split("/")[1]), f.content, { mode: f.mode ?? 0o644 });
    const started = performance.now();
    const first = cluster.runScript(join(dir, "accounts.sh"), []);
    const firstMs = performance.now() - started;
    expect(first.status, `${first.output.slice(-2000)}\n${cluster.logs().split("--- slurmctld.log")[0]}`).toBe(0);
    const accounts = () => cluster.sacctmgr(["--noheader", "--parsable2", "show", "association", `where`, `cluster=${giga.factory}`, "format=account,user,fairshare,grptres,qos"]).output;
    const loaded = accounts();
    const rows = loaded.split("\n").filter((r) => r && !r.startsWith("root|"));
    expect(rows).toHaveLength(giga.tenants.length);
    for (const a of slurmAccounts(giga)) expect(rows).toContain(`${a.name}||${a.fairshare}|gres/gpu=${a.grpGpus}|${a.qos}`);
    const again = cluster.runScript(join(dir, "accounts.sh"), []);
    expect(again.status, again.output.slice(-2000)).toBe(0);
    expect(accounts()).toBe(loaded);
    console.info(`sacctmgr loaded ${giga.tenants.length} tenants in ${Math.round(firstMs)} ms`);
  });

  it("runs the platform's QOS CronJob as deployed: it undoes a change made by hand, and then changes nothing", () => {
    const qos = () => cluster.sacctmgr(["--noheader", "--parsable2", "show", "qos", "format=name,priority,preempt,preemptmode"]).output;
    const before = qos();
    // Changed by hand: the lowest class made to preempt slurmdbd's default QOS; the CronJob takes it back off.
    expect(cluster.sacctmgr(["--immediate", "modify", "qos", "where", "name=preemptible", "set", "Preempt=normal"]).status).toBe(0);
    expect(qos()).not.toBe(before);
    const container = containerOf(slurmQosCronJob(blueprint, slinkyEndpoints("registry.example")));
    const env = Object.fromEntries(container.env.filter((e) => e.name !== "SLURM_CONF").map((e) => [e.name, e.value]));
    const run = cluster.run(container.command, env);
    expect(run.status, run.output).toBe(0);
    expect(qos()).toBe(before);
    const again = cluster.run(container.command, env);
    expect(again.status, again.output).toBe(0);
    expect(again.output).not.toMatch(/Modified qos/);
    expect(before.split("\n")).toEqual(expect.arrayContaining(["standard|100|preemptible|requeue", "preemptible|0||requeue"]));
  });
});

