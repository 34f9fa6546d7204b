import { stringify } from "yaml";
import { DRAINING_XIDS } from "../health/expectations";
import { SLURM_RECORDING_GROUP, slurmRecordingRules } from "./slurm-metrics";

// The factory's alerts as a Prometheus rule file (the format Amazon Managed Service for Prometheus takes in a rule
// group namespace [P]). Each reads a metric the factory's exporters publish:
// - gigafactory_node_health_failed: the node-health agent (core/render/health/node-agent.ts), 1 while the node is
//   tainted or drained by a failed check;
// - DCGM_FI_DEV_XID_ERRORS: dcgm-exporter's default counters, "value of the last XID error encountered" [P];
// - gigafactory_acceptance_*: each acceptance batch script's result on its first node (core/render/acceptance).

export const ALERT_GROUP = "gigafactory";

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: "critical" | "warning" };
  annotations: { summary: string; description: string };
}

export function alertRules(): AlertRule[] {
  return [
    {
      alert: "GpuNodeDrained",
      expr: "max by (pool, unit, instance) (gigafactory_node_health_failed) == 1",
      for: "1m",
      labels: { severity: "warning" },
      annotations: {
        summary: "GPU node {{ $labels.instance }} of unit {{ $labels.unit }} failed its health check",
        description: "The node is drained in Slurm or tainted in Kubernetes; its reason is on the node (scontrol show node, or the gigafactory.io/node-health-reason annotation). EKS node auto-repair replaces it if the fault persists.",
      },
    },
    {
      alert: "GpuXidError",
      // Only the Xids the health check drains on: application faults (13, 31, 43) are the job's, and the gauge keeps
      // the last Xid, so matching any value would fire until the driver reports another.
      expr: `max by (Hostname, gpu, modelName) (${DRAINING_XIDS.map((x) => `DCGM_FI_DEV_XID_ERRORS == ${x}`).join(" or ")})`,
      for: "0m",
      labels: { severity: "critical" },
      annotations: {
        summary: "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} reported Xid {{ $value }}",
        description: "An Xid error is the driver's report of a GPU fault; the health check drains the node on the Xids that need a reset or a replacement.",
      },
    },
    {
      alert: "UnitBelowExpectedBandwidth",
      expr: "gigafactory_acceptance_bus_bandwidth_gbps < gigafactory_acceptance_expected_bus_bandwidth_gbps",
      for: "0m",
      labels: { severity: "critical" },
      annotations: {
        summary: "{{ $labels.kind }} {{ $labels.target }} reached {{ $value }} GB/s in its NCCL all-reduce, below its expectation",
        description: "The acceptance all-reduce is below the bus bandwidth the catalog's EFA bandwidth promises (acceptance/expectations.json): a node or link of the unit is slow. Run the unit's burn-in and acceptance again before it takes work.",
      },
    },
  ];
}

/** The rule group namespace's data: the alerts, and the recording rules of Slurm's per-tenant series. */
export function renderRules(): string {
  return stringify(
    { groups: [{ name: ALERT_GROUP, rules: alertRules() }, { name: SLURM_RECORDING_GROUP, rules: slurmRecordingRules() }] },
    { lineWidth: 0, aliasDuplicateObjects: false },
  );
}
