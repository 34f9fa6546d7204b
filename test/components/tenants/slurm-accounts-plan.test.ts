import { beforeAll, describe, expect, it } from "vitest";
import type { Blueprint } from "../../../core/blueprint/types";
import { renderTenantAccountsCfg } from "../../../core/render/slurm/accounts-cfg";
import { renderQosScript } from "../../../core/render/slurm/accounts";
import { SLURM_AUTH_SECRET, SLURM_CLIENT_CONFIGMAP } from "../../../core/render/slurm/accounts-job";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { plannedSnapshot } from "../../support/planned-stacks";

// The dev plan's Slurm accounts: the platform's CronJob makes the cluster and QOS; each tenant's own CronJob, inside
// its Tenant, loads its account and users into slurmdbd, after Slurm's release and sacctmgr's configuration.

type Resource = PlanSnapshot["resources"][number];
const inputs = (r: Resource) => r.inputs as Record<string, any>;
let snapshot: PlanSnapshot;
const blueprint = () => snapshot.blueprint as unknown as Blueprint;
// Slurm's CronJobs: the tenants' Lustre shares have CronJobs of their own (lustre-share.ts).
const cronJobs = () => snapshot.resources.filter((r) => r.type === "kubernetes:batch/v1:CronJob" && !r.name.endsWith("-lustre-share"));
const cronJob = (name: string) => cronJobs().filter((r) => inputs(r).metadata.name === name);
const container = (r: Resource) => inputs(r).spec.jobTemplate.spec.template.spec.containers[0];
const loaded = (r: Resource) => container(r).env.find((e: { name: string }) => e.name === "LOAD_FILE").value as string;

beforeAll(async () => {
  snapshot = await plannedSnapshot("dev");
}, 600_000);

describe("the dev plan's Slurm accounts", () => {
  it("loads each tenant's account and users from its own file, by a CronJob of its own inside its Tenant", () => {
    for (const t of blueprint().tenants) {
      const [job, ...more] = cronJob(`slurm-acct-${t.name}`);
      expect(more).toEqual([]);
      expect(job.parent, t.name).toMatch(new RegExp(`gigafactory:tenancy:Tenant::gf-dev-scheduling-${t.name}$`));
      expect(inputs(job).metadata.namespace).toBe("slurm");
      expect(loaded(job)).toBe(renderTenantAccountsCfg(blueprint(), t));
      expect(container(job).command.join(" ")).toContain('sacctmgr --immediate load file="$FILE"');
      const volumes = inputs(job).spec.jobTemplate.spec.template.spec.volumes.map((v: any) => v.configMap?.name ?? v.secret?.secretName);
      expect(volumes).toEqual([SLURM_CLIENT_CONFIGMAP, SLURM_AUTH_SECRET]);
      // In the tenants layer, deployed after the platform's Slurm: a new tenant changes that layer only.
      expect((job as Resource & { layer?: string }).layer).toBe("tenants");
    }
  });

  it("makes the cluster and the QOS once, from the platform", () => {
    const [qos, ...more] = cronJob("slurm-qos");
    expect(more).toEqual([]);
    expect(loaded(qos)).toBe(renderQosScript(blueprint()));
    expect(qos.parent).toMatch(/gigafactory:slurm:Slinky::/);
    expect((qos as Resource & { layer?: string }).layer).toBe("platform");
    expect(cronJobs()).toHaveLength(blueprint().tenants.length + 1);
  });
});
