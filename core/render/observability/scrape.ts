import { stringify } from "yaml";
import { HEALTH_AGENT, HEALTH_NAMESPACE, NODE_EXPORTER_PORT } from "../health/node-agent";
import { GPU_OPERATOR_CHART, KUEUE_CHART } from "../../catalog/charts";
import { TENANT_METRICS_PORT } from "../kubernetes/tenants/network-policy";
import { slurmScrapeJobs } from "./slurm-metrics";

// What the managed collector scrapes in the cluster (a Prometheus configuration, which Amazon Managed Service for
// Prometheus takes as the scraper's configuration [P]): the collector runs in the factory's VPC and writes to the
// workspace through a VPC endpoint in the region, so no metric crosses the public internet (AMP managed collectors [P]).
// - dcgm: the GPU operator's dcgm-exporter, port 9400 (NVIDIA dcgm-exporter [P]);
// - node-health: node_exporter beside the node-health agent: node, EFA and health metrics, acceptance results;
// - kueue: Kueue's controller metrics service over HTTPS (Kueue metrics [P]);
// - slurm-*: slurmctld's own metrics endpoints, per account (tenant) among them (slurm-metrics.ts);
// - tenants: a tenant's pods that say they are scraped, on the one port their network policy lets the collector in on.

export const SCRAPE_INTERVAL = "30s";
export const DCGM_EXPORTER_PORT = 9400;

interface ScrapeJob {
  job_name: string;
  [key: string]: unknown;
}

const keep = (sourceLabel: string, regex: string) => ({ source_labels: [sourceLabel], regex, action: "keep" });
const nodeLabel = { source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "node" };
const podsIn = (namespace: string) => [{ role: "pod", namespaces: { names: [namespace] } }];

export function scrapeJobs(): ScrapeJob[] {
  return [
    {
      job_name: "dcgm",
      kubernetes_sd_configs: podsIn(GPU_OPERATOR_CHART.namespace),
      relabel_configs: [keep("__meta_kubernetes_pod_label_app", "nvidia-dcgm-exporter"), keep("__meta_kubernetes_pod_container_port_number", String(DCGM_EXPORTER_PORT)), nodeLabel],
    },
    {
      job_name: "node-health",
      kubernetes_sd_configs: podsIn(HEALTH_NAMESPACE),
      relabel_configs: [keep("__meta_kubernetes_pod_label_app_kubernetes_io_name", HEALTH_AGENT), keep("__meta_kubernetes_pod_container_port_number", String(NODE_EXPORTER_PORT)), nodeLabel],
    },
    {
      job_name: "kueue",
      scheme: "https",
      tls_config: { insecure_skip_verify: true },
      kubernetes_sd_configs: [{ role: "endpoints", namespaces: { names: [KUEUE_CHART.namespace] } }],
      relabel_configs: [keep("__meta_kubernetes_service_name", "kueue-controller-manager-metrics-service")],
    },
    ...slurmScrapeJobs(),
    {
      job_name: "tenants",
      kubernetes_sd_configs: [{ role: "pod" }],
      relabel_configs: [
        keep("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true"),
        keep("__meta_kubernetes_pod_container_port_number", String(TENANT_METRICS_PORT)),
        { source_labels: ["__meta_kubernetes_namespace"], target_label: "tenant" },
      ],
    },
  ];
}

/** The scraper's configuration: one interval, the factory as an external label on every series. */
export function renderScrapeConfiguration(factory: string): string {
  return stringify(
    { global: { scrape_interval: SCRAPE_INTERVAL, external_labels: { factory } }, scrape_configs: scrapeJobs() },
    { lineWidth: 0, aliasDuplicateObjects: false },
  );
}

/** The collector's rights in the cluster (the ClusterRole AMP's collector user needs [P]): discovery and /metrics. */
export const COLLECTOR_USER = "aps-collector-user";
export function collectorRbac(): object[] {
  const name = "gigafactory:aps-collector";
  return [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name },
      rules: [
        { apiGroups: [""], resources: ["nodes", "nodes/proxy", "nodes/metrics", "services", "endpoints", "pods", "ingresses", "configmaps"], verbs: ["describe", "get", "list", "watch"] },
        { apiGroups: ["extensions", "networking.k8s.io"], resources: ["ingresses/status", "ingresses"], verbs: ["describe", "get", "list", "watch"] },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
        { nonResourceURLs: ["/metrics"], verbs: ["get"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name },
      subjects: [{ kind: "User", name: COLLECTOR_USER, apiGroup: "rbac.authorization.k8s.io" }],
      roleRef: { kind: "ClusterRole", name, apiGroup: "rbac.authorization.k8s.io" },
    },
  ];
}
