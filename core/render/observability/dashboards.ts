import type { Blueprint } from "../../blueprint/types";
import { busBandwidthExpectation } from "../acceptance/bandwidth";
import { SLURM_RECORDS, SLURM_TENANT_PANELS } from "./slurm-metrics";

// Dashboards as code: Grafana dashboard JSON (schema 39) for Amazon Managed Grafana where the region offers it, or a
// Grafana of the factory's own elsewhere, each reading the workspace through a Prometheus data source picked on
// import. Tenants are namespaces and ClusterQueues of the same name (components/tenants), so "per tenant" groups by
// dcgm-exporter's pod namespace and by Kueue's cluster_queue label.

export interface DashboardPanel {
  title: string;
  /** PromQL, with its legend. */
  targets: { expr: string; legendFormat: string }[];
  unit: string;
  /** Reference lines (e.g. a unit's expected bandwidth), drawn as thresholds. */
  thresholds?: { value: number; label: string }[];
}

export interface DashboardSpec {
  uid: string;
  title: string;
  panels: DashboardPanel[];
}

const DATASOURCE = { type: "prometheus", uid: "${datasource}" };

export function dashboardSpecs(blueprint: Pick<Blueprint, "factory" | "pools">): DashboardSpec[] {
  const expectations = blueprint.pools
    .map((p) => ({ pool: p.name, e: busBandwidthExpectation(p.instanceType) }))
    .filter((x) => x.e !== undefined);
  return [
    {
      uid: "gigafactory-gpu-tenants",
      title: `${blueprint.factory}: GPU utilisation per tenant`,
      panels: [
        { title: "Mean GPU utilisation per tenant", unit: "percent", targets: [{ expr: 'avg by (namespace) (DCGM_FI_DEV_GPU_UTIL{namespace!=""})', legendFormat: "{{namespace}}" }] },
        { title: "GPUs in use per tenant", unit: "short", targets: [{ expr: 'count by (namespace) (DCGM_FI_DEV_GPU_UTIL{namespace!=""})', legendFormat: "{{namespace}}" }] },
        { title: "Idle GPUs (no pod)", unit: "short", targets: [{ expr: 'count(DCGM_FI_DEV_GPU_UTIL{namespace=""}) or vector(0)', legendFormat: "idle" }] },
        // slurmd pods hold their nodes' GPUs in namespace slurm: Slurm says whose jobs use them.
        {
          title: "GPUs in use per tenant, Kubernetes and Slurm",
          unit: "short",
          targets: [
            { expr: 'count by (namespace) (DCGM_FI_DEV_GPU_UTIL{namespace!="", namespace!="slurm"})', legendFormat: "{{namespace}} (Kubernetes)" },
            { expr: SLURM_RECORDS.gpusAllocated, legendFormat: "{{tenant}} (Slurm)" },
          ],
        },
      ],
    },
    {
      uid: "gigafactory-fabric-units",
      title: `${blueprint.factory}: fabric throughput per scalable unit`,
      panels: [
        {
          title: "EFA throughput per unit (sent + received)",
          unit: "Gbits",
          targets: [{ expr: "sum by (unit) (rate(gigafactory_efa_tx_bytes_total[5m]) + rate(gigafactory_efa_rx_bytes_total[5m])) * 8 / 1e9", legendFormat: "{{unit}}" }],
        },
        {
          title: "Acceptance all-reduce bus bandwidth per unit",
          unit: "GBs",
          targets: [{ expr: 'max by (target) (gigafactory_acceptance_bus_bandwidth_gbps{kind="unit"})', legendFormat: "{{target}}" }],
          thresholds: expectations.map((x) => ({ value: x.e!.expectedBusBandwidthGBps, label: `${x.pool} expected` })),
        },
        { title: "Nodes failing health checks per unit", unit: "short", targets: [{ expr: "sum by (unit) (gigafactory_node_health_failed)", legendFormat: "{{unit}}" }] },
      ],
    },
    {
      uid: "gigafactory-queue-wait",
      title: `${blueprint.factory}: queue wait per tenant`,
      panels: [
        {
          title: "Time to admission, 90th percentile, per tenant",
          unit: "s",
          targets: [{ expr: "histogram_quantile(0.9, sum by (le, cluster_queue) (rate(kueue_admission_wait_time_seconds_bucket[1h])))", legendFormat: "{{cluster_queue}}" }],
        },
        { title: "Pending workloads per tenant", unit: "short", targets: [{ expr: "sum by (cluster_queue) (kueue_pending_workloads)", legendFormat: "{{cluster_queue}}" }] },
      ],
    },
    { uid: "gigafactory-slurm-tenants", title: `${blueprint.factory}: Slurm per tenant`, panels: SLURM_TENANT_PANELS.map((p) => ({ ...p, targets: [...p.targets] })) },
  ];
}

/** One dashboard's JSON model, panels stacked two to a row. */
export function dashboardJson(spec: DashboardSpec): Record<string, unknown> {
  return {
    uid: spec.uid,
    title: spec.title,
    tags: ["gigafactory"],
    schemaVersion: 39,
    editable: false,
    time: { from: "now-24h", to: "now" },
    templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Prometheus workspace" }] },
    panels: spec.panels.map((p, i) => ({
      id: i + 1,
      type: "timeseries",
      title: p.title,
      datasource: DATASOURCE,
      gridPos: { h: 9, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 9 },
      targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), datasource: DATASOURCE, expr: t.expr, legendFormat: t.legendFormat })),
      fieldConfig: {
        defaults: {
          unit: p.unit,
          ...(p.thresholds && p.thresholds.length > 0
            ? { thresholds: { mode: "absolute", steps: [{ color: "red", value: null }, ...p.thresholds.map((t) => ({ color: "green", value: t.value }))] }, custom: { thresholdsStyle: { mode: "line" } } }
            : {}),
        },
        overrides: [],
      },
    })),
  };
}
