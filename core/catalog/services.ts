// Where the managed observability services are offered: the regions botocore's endpoint table (botocore 1.43.11,
// data/endpoints.json, services `aps` and `grafana` [P]) lists in the EU and in the sovereign partition.
// Amazon Managed Service for Prometheus is in every EU commercial region; Amazon Managed Grafana only in
// Frankfurt, Ireland and London; the European Sovereign Cloud lists neither.

export const MANAGED_PROMETHEUS_REGIONS: readonly string[] = [
  "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
];
export const MANAGED_GRAFANA_REGIONS: readonly string[] = ["eu-central-1", "eu-west-1", "eu-west-2"];

export const offersManagedPrometheus = (region: string): boolean => MANAGED_PROMETHEUS_REGIONS.includes(region);
export const offersManagedGrafana = (region: string): boolean => MANAGED_GRAFANA_REGIONS.includes(region);

/** Days logs are kept when the spec says nothing (CloudWatch Logs accepts 1..3653 and a fixed set of values). */
export const DEFAULT_LOG_RETENTION_DAYS = 90;
