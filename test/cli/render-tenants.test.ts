import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ACCELERATOR_RESOURCES } from "../../core/render/kubernetes/kueue-resources";
import { tempDir, gigafactoryServed } from "../support/cli-run";

// One tenant model for both schedulers: the files `gigafactory render` writes give every tenant a Kueue ClusterQueue
// and a Slurm account, and the two agree on how many GPUs the tenant is owed (its share) and may ever hold.

interface Limits {
  shareGpus: number;
  ceilingGpus: number;
}

type Quota = { name: string; nominalQuota: string; borrowingLimit?: string };
type Queue = { kind: string; metadata: { name: string }; spec: { resourceGroups: { flavors: { resources: Quota[] }[] }[] } };

/** Per tenant, from its ClusterQueue: the accelerators' nominal quotas, and nominal plus borrowing, over every flavor. */
function kueueLimits(dir: string): Map<string, Limits> {
  const limits = new Map<string, Limits>();
  for (const file of readdirSync(join(dir, "kubernetes", "tenants"))) {
    const docs = parseAllDocuments(readFileSync(join(dir, "kubernetes", "tenants", file), "utf8")).map((d) => d.toJS() as Queue);
    for (const queue of docs.filter((d) => d?.kind === "ClusterQueue")) {
      const quotas = queue.spec.resourceGroups.flatMap((g) => g.flavors.flatMap((f) => f.resources)).filter((r) => (ACCELERATOR_RESOURCES as readonly string[]).includes(r.name));
      limits.set(queue.metadata.name, {
        shareGpus: quotas.reduce((s, r) => s + Number(r.nominalQuota), 0),
        ceilingGpus: quotas.reduce((s, r) => s + Number(r.nominalQuota) + Number(r.borrowingLimit ?? Number.NaN), 0),
      });
    }
  }
  return limits;
}

/** Per account, from the sacctmgr dump file: Fairshare and the GPU cap of GrpTRES. */
function slurmLimits(dir: string): Map<string, Limits> {
  const limits = new Map<string, Limits>();
  for (const line of readFileSync(join(dir, "slurm", "accounts.cfg"), "utf8").split("\n")) {
    const account = /^Account - '([^']+)'/.exec(line);
    if (!account) continue;
    const fairshare = /\bFairshare=(\d+)\b/.exec(line);
    const grp = /\bGrpTRES=gres\/gpu=(\d+)\b/.exec(line);
    limits.set(account[1], { shareGpus: Number(fairshare?.[1]), ceilingGpus: Number(grp?.[1]) });
  }
  return limits;
}

describe.each(["dev", "ai-factory", "gigafactory"])("the %s stack's tenants in Kueue and in Slurm", (stack) => {
  let kueue: Map<string, Limits>;
  let slurm: Map<string, Limits>;

  beforeAll(async () => {
    const dir = tempDir();
    const run = await gigafactoryServed(["render", "--stack", stack, "--out", dir]);
    expect(run.code, run.stderr).toBe(0);
    kueue = kueueLimits(dir);
    slurm = slurmLimits(dir);
  }, 120_000);

  it("are the same tenants: a ClusterQueue and a Slurm account each", () => {
    expect(kueue.size).toBeGreaterThan(0);
    expect([...slurm.keys()].sort()).toEqual([...kueue.keys()].sort());
  });

  it("are owed the same GPUs (nominal quota, fair share) and may hold the same most (nominal plus borrowing, GrpTRES)", () => {
    for (const [tenant, limits] of kueue) {
      expect(Number.isFinite(limits.ceilingGpus), tenant).toBe(true);
      expect(slurm.get(tenant), tenant).toEqual(limits);
    }
  });
});
