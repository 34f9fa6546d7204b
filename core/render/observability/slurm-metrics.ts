import { SLURM_CHART } from "../../catalog/slinky-charts";

// Slurm's own metrics: slurmctld's OpenMetrics endpoints (Slurm 25.11 and later, `MetricsType=metrics/openmetrics`,
// which Slinky sets when `controller.metrics.enabled`), served on slurmctld's port, 6817, behind the chart's
// controller Service (Slurm "Metrics Guide", docs/sources.md#slurm-metrics [P]). No exporter image: the daemon
// answers itself. `/metrics/jobs-users-accts` gives per account (`account` label) and per user (`username`) the
// jobs in each state and what they hold, among them `slurm_account_jobs_gpus_alloc` (src/plugins/metrics/openmetrics
// [P]). A Slurm account is its tenant's name (render/slurm/names.ts), so each account series is copied to `tenant`,
// the label the factory's other per-tenant series carry.

/** The chart's controller Service and its port's name (api/v1beta1/controller_keys.go `<name>-controller`, labels.ControllerApp [P]). */
export const SLURMCTLD_SERVICE = `${SLURM_CHART.release}-controller`;
export const SLURMCTLD_PORT_NAME = "slurmctld";

/** Each endpoint slurmctld serves, scraped as one job (a scrape job has one metrics path). */
export const SLURMCTLD_METRICS_PATHS: Readonly<Record<string, string>> = {
  "slurm-accounts": "/metrics/jobs-users-accts",
  "slurm-jobs": "/metrics/jobs",
  "slurm-partitions": "/metrics/partitions",
  "slurm-nodes": "/metrics/nodes",
  "slurm-scheduler": "/metrics/scheduler",
};

interface SlurmScrapeJob {
  [key: string]: unknown;
  job_name: string;
  metrics_path: string;
  kubernetes_sd_configs: object[];
  relabel_configs: object[];
  metric_relabel_configs?: object[];
}

const keep = (sourceLabel: string, regex: string) => ({ source_labels: [sourceLabel], regex, action: "keep" });

export function slurmScrapeJobs(): SlurmScrapeJob[] {
  return Object.entries(SLURMCTLD_METRICS_PATHS).map(([job, path]) => ({
    job_name: job,
    metrics_path: path,
    kubernetes_sd_configs: [{ role: "endpoints", namespaces: { names: [SLURM_CHART.namespace] } }],
    relabel_configs: [keep("__meta_kubernetes_service_name", SLURMCTLD_SERVICE), keep("__meta_kubernetes_endpoint_port_name", SLURMCTLD_PORT_NAME)],
    ...(job === "slurm-accounts"
      ? { metric_relabel_configs: [{ source_labels: ["account"], regex: "(.+)", target_label: "tenant", replacement: "$1" }] }
      : job === "slurm-nodes"
        ? // Ten series per node: the GPU nodes' own exporters (DCGM, node-health) say that per node already; the
          // cluster's totals stay.
          { metric_relabel_configs: [{ source_labels: ["__name__"], regex: "slurm_node_.+", action: "drop" }] }
        : {}),
  }));
}

export const SLURM_RECORDING_GROUP = "gigafactory-slurm";

/** The recorded series, by name: the rules write them, the dashboards read them. */
export const SLURM_RECORDS = {
  gpusAllocated: "tenant:slurm_gpus_allocated:sum",
  jobsRunning: "tenant:slurm_jobs_running:sum",
  jobsPending: "tenant:slurm_jobs_pending:sum",
  gpuShare: "tenant:slurm_gpus_allocated:share",
} as const;

export interface RecordingRule {
  record: string;
  expr: string;
}

/** What the per-tenant dashboards read: GPUs Slurm has given each tenant's jobs, and its share of Slurm's GPUs. */
export function slurmRecordingRules(): RecordingRule[] {
  return [
    { record: SLURM_RECORDS.gpusAllocated, expr: 'sum by (tenant) (slurm_account_jobs_gpus_alloc{tenant!=""})' },
    { record: SLURM_RECORDS.jobsRunning, expr: 'sum by (tenant) (slurm_account_jobs_running{tenant!=""})' },
    { record: SLURM_RECORDS.jobsPending, expr: 'sum by (tenant) (slurm_account_jobs_pending{tenant!=""})' },
    // No series while Slurm holds no GPU, rather than a division by zero.
    { record: SLURM_RECORDS.gpuShare, expr: `${SLURM_RECORDS.gpusAllocated} / on() group_left() (sum(slurm_jobs_gpus_alloc) > 0)` },
  ];
}

/** The Slurm side of the per-tenant dashboards (dashboards.ts). */
export const SLURM_TENANT_PANELS = [
  { title: "GPUs Slurm has given each tenant's jobs", unit: "short", targets: [{ expr: SLURM_RECORDS.gpusAllocated, legendFormat: "{{tenant}}" }] },
  { title: "Share of Slurm's allocated GPUs per tenant", unit: "percentunit", targets: [{ expr: SLURM_RECORDS.gpuShare, legendFormat: "{{tenant}}" }] },
  {
    title: "Slurm jobs per tenant",
    unit: "short",
    targets: [
      { expr: SLURM_RECORDS.jobsRunning, legendFormat: "{{tenant}} running" },
      { expr: SLURM_RECORDS.jobsPending, legendFormat: "{{tenant}} pending" },
    ],
  },
];
