import type { Blueprint } from "../../blueprint/types";
import { maxJobCount } from "./slurm-conf";

// What Slurm's control plane asks of the system nodes, and how long slurmdbd keeps records.

type Resources = { requests: Record<string, string>; limits: Record<string, string> };

// slurmctld holds every node, job and step in memory and schedules on one main thread with helpers. What it must
// hold grows with two published counts: the job records it keeps (MaxJobCount, slurm-conf.ts, from the large-cluster
// guide, docs/sources.md#slurm-scale) and the messages it queues for slurmdbd while slurmdbd is away (MaxDBDMsgs, by
// default 2 x MaxJobCount + 4 x nodes, slurm.conf.5 [P], docs/sources.md#slurm-accounting). The bytes per record are
// this project's estimate, to confirm under load [U: project sizing]: 4 GiB and two cores of base, 1 GiB per 1,000
// nodes, 1 GiB per 25,000 job records (script, environment and step records of an AI job), 1 GiB per 250,000
// queued messages; one more core per 2,500 nodes for the RPCs of their slurmd.
const SLURMCTLD_BASE = { cpu: 2, memoryGiB: 4 };
const NODES_PER_CORE = 2_500;
const NODES_PER_GIB = 1_000;
const JOB_RECORDS_PER_GIB = 25_000;
const DBD_MESSAGES_PER_GIB = 250_000;

/** MaxDBDMsgs's default (slurm.conf.5 [P]): what slurmctld queues for slurmdbd while it is unreachable. */
export const maxDbdMessages = (nodes: number, maxJobs: number): number => Math.max(10_000, 2 * maxJobs + 4 * nodes);

export function slurmctldResources(nodes: number, maxJobs: number = maxJobCount(nodes)): Resources {
  const cpu = SLURMCTLD_BASE.cpu + Math.ceil(nodes / NODES_PER_CORE);
  const memoryGiB =
    SLURMCTLD_BASE.memoryGiB + Math.ceil(nodes / NODES_PER_GIB) + Math.ceil(maxJobs / JOB_RECORDS_PER_GIB) + Math.ceil(maxDbdMessages(nodes, maxJobs) / DBD_MESSAGES_PER_GIB);
  return { requests: { cpu: String(cpu), memory: `${memoryGiB}Gi` }, limits: { memory: `${memoryGiB}Gi` } };
}

// slurmdbd writes the controller's records into MariaDB in batches and answers sacct and sreport, whose largest
// answer is a year of jobs (PurgeJobAfter below): 1 core and 2 GiB, 1 GiB more per 50,000 job records the
// controller may hold at once [U: project sizing]. slurmrestd answers tools and dashboards, never the jobs: fixed.
export function slurmdbdResources(maxJobs: number): Resources {
  const memoryGiB = 2 + Math.ceil(maxJobs / 50_000);
  return { requests: { cpu: "1", memory: `${memoryGiB}Gi` }, limits: { memory: `${2 * memoryGiB}Gi` } };
}
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
