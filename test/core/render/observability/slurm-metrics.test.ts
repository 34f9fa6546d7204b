import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { dashboardSpecs } from "../../../../core/render/observability/dashboards";
import { renderRules } from "../../../../core/render/observability/rules";
import { renderScrapeConfiguration } from "../../../../core/render/observability/scrape";
import { SLURMCTLD_METRICS_PATHS, slurmRecordingRules, slurmScrapeJobs } from "../../../../core/render/observability/slurm-metrics";
import { slurmAccountName } from "../../../../core/render/slurm/names";
import { slinkyControllerConf } from "../../../../core/render/slurm/slinky-conf";
import { slinkyValues } from "../../../../core/render/slurm/slinky-values";
import { stackBlueprint } from "../../../fixtures/slurm/stacks";

// Slurm's GPU use per tenant in the factory's Prometheus: slurmctld's own metrics endpoints, scraped through the
// chart's controller Service, each account series labelled with its tenant, and recording rules the dashboards read.

// What slurmctld's /metrics/jobs-users-accts answers (the names and labels of src/plugins/metrics/openmetrics:
// `slurm_<user|account>_<metric>{<username|account>="…"}`).
const EXPOSITION = `# HELP slurm_account_jobs_gpus_alloc Total number of GPUs allocated by jobs
# TYPE slurm_account_jobs_gpus_alloc gauge
slurm_account_jobs_gpus_alloc{account="team-a"} 16
slurm_account_jobs_gpus_alloc{account="team-b"} 8
slurm_account_jobs_running{account="team-a"} 2
slurm_user_jobs_gpus_alloc{username="ada"} 16
slurm_user_jobs_gpus_alloc{username="grace"} 8
`;

type Series = { name: string; labels: Record<string, string>; value: number };
const parseExposition = (text: string): Series[] =>
  text
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(l)!;
      const labels = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
      return { name: m[1], labels, value: Number(m[3]) };
    });

/** Prometheus's relabelling (replace, keep, drop) as the scraper applies a job's metric_relabel_configs. */
function relabel(series: Series[], rules: { source_labels: string[]; regex: string; target_label?: string; replacement?: string; action?: string }[]): Series[] {
  return series.flatMap((s) => {
    let labels: Record<string, string> = { ...s.labels, __name__: s.name };
    for (const r of rules) {
      const value = r.source_labels.map((l) => labels[l] ?? "").join(";");
      const m = new RegExp(`^(?:${r.regex})$`).exec(value);
      const action = r.action ?? "replace";
      if (action === "keep" && !m) return [];
      if (action === "drop" && m) return [];
      if (action === "replace" && m) labels = { ...labels, [r.target_label!]: r.replacement!.replace(/\$(\d)/g, (_x, i: string) => m[Number(i)] ?? "") };
    }
    const { __name__: name, ...rest } = labels;
    return [{ name, labels: rest, value: s.value }];
  });
}

/** `sum by (tenant) (metric{tenant!=""})`, the form of the per-tenant recording rules. */
function sumByTenant(expr: string, series: Series[]): Record<string, number> {
  const m = /^sum by \(tenant\) \(([a-z_]+)\{tenant!=""\}\)$/.exec(expr)!;
  expect(m, expr).not.toBeNull();
  const out: Record<string, number> = {};
  for (const s of series.filter((x) => x.name === m[1] && x.labels.tenant)) out[s.labels.tenant] = (out[s.labels.tenant] ?? 0) + s.value;
  return out;
}

describe("Slurm's metrics per tenant", () => {
  it("are scraped from each of slurmctld's endpoints through the chart's controller Service", () => {
    const jobs = slurmScrapeJobs();
    expect(jobs.map((j) => j.metrics_path).sort()).toEqual(["/metrics/jobs", "/metrics/jobs-users-accts", "/metrics/nodes", "/metrics/partitions", "/metrics/scheduler"]);
    for (const j of jobs) {
      expect(j.kubernetes_sd_configs).toEqual([{ role: "endpoints", namespaces: { names: ["slurm"] } }]);
      expect(j.relabel_configs).toEqual([
        { source_labels: ["__meta_kubernetes_service_name"], regex: "slurm-controller", action: "keep" },
        { source_labels: ["__meta_kubernetes_endpoint_port_name"], regex: "slurmctld", action: "keep" },
      ]);
    }
    const config = parse(renderScrapeConfiguration("gf"));
    expect(config.scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual(expect.arrayContaining(Object.keys(SLURMCTLD_METRICS_PATHS)));
  });

  it("label each account's series with its tenant, leave users' series as they are, and sum GPUs per tenant", () => {
    const accounts = slurmScrapeJobs().find((j) => j.metrics_path === "/metrics/jobs-users-accts")!;
    const scraped = relabel(parseExposition(EXPOSITION), accounts.metric_relabel_configs as never);
    expect(scraped.filter((s) => s.name.startsWith("slurm_user_")).every((s) => s.labels.tenant === undefined)).toBe(true);
    const [gpus, running] = slurmRecordingRules();
    expect(gpus.record).toBe("tenant:slurm_gpus_allocated:sum");
    expect(sumByTenant(gpus.expr, scraped)).toEqual({ "team-a": 16, "team-b": 8 });
    expect(sumByTenant(running.expr, scraped)).toEqual({ "team-a": 2 });
  });

  it("drop the per-node series and keep the cluster's totals", () => {
    const nodes = slurmScrapeJobs().find((j) => j.metrics_path === "/metrics/nodes")!;
    const scraped = relabel(parseExposition('slurm_node_gpus_alloc{node="h200-a-00000"} 8\nslurm_nodes_alloc{x="y"} 1\n'), nodes.metric_relabel_configs as never);
    expect(scraped.map((s) => s.name)).toEqual(["slurm_nodes_alloc"]);
  });

  it("are served by the deployed slurmctld: metrics on, and no PrivateData, which turns them off; a tenant's account is its name", () => {
    for (const stack of ["dev", "gigafactory"]) {
      const blueprint = stackBlueprint(stack);
      const values = slinkyValues(blueprint, {
        registry: "r.example",
        secrets: { slurmKey: { name: "a", key: "k" }, jwtKey: { name: "a", key: "j" }, databasePassword: { name: "d", key: "p" } },
        storage: { host: "db", port: 3306, database: "slurm_acct_db", username: "slurm" },
        slurmdImage: { repository: "r.example/gigafactory/slurmd", tag: "recipe-0" },
        nodePriorityClassName: "slurm-nodes",
      });
      expect(values.controller.metrics).toEqual({ enabled: true });
      expect(slinkyControllerConf(blueprint)).not.toMatch(/^PrivateData/m);
      for (const t of blueprint.tenants) expect(slurmAccountName(t.name)).toBe(t.name);
    }
  });

  it("reach the rule group and a dashboard of Slurm per tenant, and the GPU dashboard counts Slurm's GPUs by tenant", () => {
    const groups = parse(renderRules()).groups as { name: string; rules: { record?: string }[] }[];
    expect(groups.find((g) => g.name === "gigafactory-slurm")!.rules.map((r) => r.record)).toContain("tenant:slurm_gpus_allocated:sum");
    const specs = dashboardSpecs(stackBlueprint("dev"));
    expect(specs.find((s) => s.uid === "gigafactory-slurm-tenants")!.panels[0].targets[0].expr).toBe("tenant:slurm_gpus_allocated:sum");
    const gpu = specs.find((s) => s.uid === "gigafactory-gpu-tenants")!.panels.find((p) => p.title.includes("Kubernetes and Slurm"))!;
    expect(gpu.targets.map((t) => t.expr)).toEqual(['count by (namespace) (DCGM_FI_DEV_GPU_UTIL{namespace!="", namespace!="slurm"})', "tenant:slurm_gpus_allocated:sum"]);
  });
});
