import type { Blueprint } from "../../blueprint/types";

// What Slurm's control plane asks of the system nodes, and how long slurmdbd keeps records.

type Resources = { requests: Record<string, string>; limits: Record<string, string> };

// slurmctld holds every node, job and step in memory and schedules on one main thread with helpers: two cores and
// 4 GiB, one more core per 2,500 nodes and 1 GiB per 1,000 nodes [U: project sizing, to confirm under load; the
// guide gives no figure, big_sys.html, docs/sources.md#slurm-scale].
export function slurmctldResources(nodes: number): Resources {
  const cpu = 2 + Math.ceil(nodes / 2500);
  const memoryGiB = 4 + Math.ceil(nodes / 1000);
  return { requests: { cpu: String(cpu), memory: `${memoryGiB}Gi` }, limits: { memory: `${memoryGiB}Gi` } };
}

// slurmdbd batches the controller's records into MariaDB; slurmrestd answers tools and dashboards [U: project sizing].
export const SLURMDBD_RESOURCES: Resources = { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "4Gi" } };
export const SLURMRESTD_RESOURCES: Resources = { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } };

// How long slurmdbd keeps what (slurmdbd.conf.5 Purge*After [P], docs/sources.md#slurm-accounting): jobs, events and
// reservations a year, for the tenants' yearly statements; steps and suspends two months, the bulk of the rows;
// usage rolled up by hour, day and month two years, which fair share and reports read [U: project retention].
export const SLURMDBD_PURGE: Readonly<Record<string, string>> = {
  PurgeEventAfter: "12month",
  PurgeJobAfter: "12month",
  PurgeResvAfter: "12month",
  PurgeStepAfter: "2month",
  PurgeSuspendAfter: "2month",
  PurgeTXNAfter: "12month",
  PurgeUsageAfter: "24month",
};

/** slurmdbd.conf lines beside what the chart writes: the purge settings. */
export function renderSlurmdbdExtraConf(blueprint: Pick<Blueprint, "factory">): string {
  return [`# ${blueprint.factory}: how long slurmdbd keeps records (gigafactory render).`, ...Object.entries(SLURMDBD_PURGE).map(([k, v]) => `${k}=${v}`)].join("\n");
}
