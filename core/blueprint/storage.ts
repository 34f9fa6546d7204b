import { LUSTRE_TIERS_MBPS_PER_TIB } from "../catalog/lustre";
import type { Finding, FactorySpec } from "../spec/schema";
import type { StoragePlan } from "./types";
import { LUSTRE_EUR_PER_TIB_MONTH } from "../catalog";
import { error, warning } from "../spec/findings";
import { specPath } from "../spec/paths";
import { formatCount, round } from "./figures";
import { planMetadata } from "./metadata";

// FSx for Lustre PERSISTENT_2 sized from the checkpoint objective and the dataset
// (docs/sources.md#fsx-lustre-performance, #fsx-lustre-api [P]; docs/sources.md#zero-checkpoint-size).
// - Throughput tiers 125, 250, 500, 1000 MB/s per TiB [P].
// - StorageCapacity 1,200 GiB, 2,400 GiB, then multiples of 2,400 GiB [P: FSx CreateFileSystem API].
// - Throughput = capacity in AWS's "TiB" (GiB / 1000: "a 2.4-TiB file system at 50 MB/s/TiB yields
//   120 MB/s", FSx API PerUnitStorageThroughput [P]) × the tier.
// - One file system. 100,800 GiB (SageMaker's FSxLustreConfig bound [P]) is the account's default quota
//   of Persistent_2 storage, adjustable (Service Quotas L-8F1B9C74 [S]): above it the plan asks for a
//   raise, it does not refuse. The ceiling per file system is unpublished for SSD ("scale to multiple TBps",
//   FSx performance guide [P]); the plan stops at the largest throughput FSx documents for one Lustre file
//   system, 2,000,000 MBps (Intelligent-Tiering, managing-throughput-capacity [P]): about 2,000,000 GiB at
//   1000 MB/s/TiB. Above it the plan says what is achievable rather than spreading data over file systems.
// - The cheapest (tier, capacity) that holds the dataset and the kept checkpoints with headroom and
//   writes a checkpoint in time (and feeds every GPU its read rate) wins.

export { LUSTRE_TIERS_MBPS_PER_TIB };
export const LUSTRE_MIN_STEPS_GIB = [1200, 2400] as const;
export const LUSTRE_STEP_GIB = 2400;
// 1,996,800 GiB: the largest capacity below that bound which every step, EFA or not, divides.
export const LUSTRE_MAX_CAPACITY_GIB = 1_996_800;
// Keep the file system at most 80% full, as the subnets: Lustre slows as its targets fill [U].
export const LUSTRE_CAPACITY_HEADROOM = 1.25;
const BYTES_PER_GIB = 2 ** 30;
const BYTES_PER_MB = 1e6;

// An EFA-enabled file system grows in larger steps per throughput tier (FSx for Lustre EFA-enabled
// file systems: 38,400 GiB at 125, 19,200 at 250, 9,600 at 500, 4,800 at 1000 MB/s/TiB [P]).
export const LUSTRE_EFA_STEP_GIB: Readonly<Record<number, number>> = { 125: 38_400, 250: 19_200, 500: 9_600, 1000: 4_800 };
// Below this the file system is small and TCP clients keep up; above it EFA + GPUDirect Storage pays
// for its larger capacity steps [U: a sizing rule of this toolkit, not an AWS figure].
export const LUSTRE_EFA_FROM_MBPS = 10_000;

/** True for a StorageCapacity AWS accepts for PERSISTENT_2 SSD (with EFA: the tier's EFA step). */
export function isValidLustreCapacityGiB(gib: number, efa?: { tier: number }): boolean {
  if (!Number.isInteger(gib) || gib <= 0) return false;
  if (efa) return gib % LUSTRE_EFA_STEP_GIB[efa.tier] === 0;
  return gib === 1200 || gib % LUSTRE_STEP_GIB === 0;
}

/** The smallest valid capacity holding `gib` (with EFA: in the tier's EFA steps). */
export function lustreCapacityFor(gib: number, efa?: { tier: number }): number {
  if (efa) {
    const step = LUSTRE_EFA_STEP_GIB[efa.tier];
    return Math.max(1, Math.ceil(gib / step)) * step;
  }
  for (const step of LUSTRE_MIN_STEPS_GIB) if (gib <= step) return step;
  return Math.ceil(gib / LUSTRE_STEP_GIB) * LUSTRE_STEP_GIB;
}

export const lustreThroughputMBps = (capacityGiB: number, tier: number): number => (capacityGiB / 1000) * tier;
export const lustreCostPerMonthEUR = (capacityGiB: number, tier: number): number => (capacityGiB / 1024) * LUSTRE_EUR_PER_TIB_MONTH[tier];

export interface StorageInput {
  storage: FactorySpec["storage"];
  totalGpus: number;
  availabilityZone: string;
  /** The subnet of that AZ the file system lives in (lustre-subnet.ts); sizing alone needs none. */
  subnet?: string | null;
}

export function planStorage(input: StorageInput): { storage: StoragePlan; findings: Finding[] } {
  const { checkpoint, datasetTB, readMBpsPerGpu } = input.storage;
  const checkpointBytes = checkpoint.modelParameters * checkpoint.bytesPerParameter;
  const requiredWriteMBps = checkpointBytes / checkpoint.seconds / BYTES_PER_MB;
  const requiredReadMBps = input.totalGpus * readMBpsPerGpu;
  const required = Math.max(requiredWriteMBps, requiredReadMBps);
  const storedBytes = datasetTB * 1e12 + checkpoint.keep * checkpointBytes;
  const dataGiB = (storedBytes * LUSTRE_CAPACITY_HEADROOM) / BYTES_PER_GIB;

  const pinned = input.storage.lustre ?? {};
  const efaEnabled = pinned.efa ?? required >= LUSTRE_EFA_FROM_MBPS;
  let best: { tier: number; gib: number; cost: number } | undefined;
  // A pinned tier stays: the objectives are met with capacity alone (FSx refuses a new tier on an EFA file system).
  const tiers = pinned.tierMBpsPerTiB !== undefined ? LUSTRE_TIERS_MBPS_PER_TIB.filter((t) => t === pinned.tierMBpsPerTiB) : LUSTRE_TIERS_MBPS_PER_TIB;
  for (const tier of tiers) {
    const gib = lustreCapacityFor(Math.max(dataGiB, (required * 1000) / tier), efaEnabled ? { tier } : undefined);
    if (gib > LUSTRE_MAX_CAPACITY_GIB) continue;
    const cost = lustreCostPerMonthEUR(gib, tier);
    // Equal cost: the faster tier, which gives more for the same money.
    if (!best || cost < best.cost || (cost === best.cost && tier > best.tier)) best = { tier, gib, cost };
  }
  const meetsObjective = best !== undefined;
  const topTier = LUSTRE_TIERS_MBPS_PER_TIB[LUSTRE_TIERS_MBPS_PER_TIB.length - 1];
  const chosen = best ?? { tier: topTier, gib: LUSTRE_MAX_CAPACITY_GIB, cost: lustreCostPerMonthEUR(LUSTRE_MAX_CAPACITY_GIB, topTier) };
  const throughputMBps = lustreThroughputMBps(chosen.gib, chosen.tier);
  const checkpointSeconds = checkpointBytes / (throughputMBps * BYTES_PER_MB);

  const findings: Finding[] = [];
  if (!meetsObjective) findings.push(...whyNot(checkpointBytes, checkpoint.seconds, requiredWriteMBps, requiredReadMBps, dataGiB, input.totalGpus, datasetTB));
  findings.push(...createTimeFindings(pinned, efaEnabled, required, chosen.tier));
  const { metadata, findings: metadataFindings } = planMetadata({
    totalGpus: input.totalGpus,
    checkpointSeconds: checkpoint.seconds,
    datasetTB,
    datasetFiles: input.storage.datasetFiles,
    requiredReadMBps,
    capacityGiB: chosen.gib,
    pinnedIops: pinned.metadataIops,
  });
  findings.push(...metadataFindings);

  return {
    storage: {
      checkpointBytes,
      requiredThroughputMBps: round(required),
      requiredWriteMBps: round(requiredWriteMBps),
      requiredReadMBps: round(requiredReadMBps),
      deploymentType: "PERSISTENT_2",
      efaEnabled,
      efaChoice: pinned.efa === undefined ? "from-throughput" : "pinned",
      metadata,
      perUnitStorageThroughputMBpsPerTiB: chosen.tier,
      capacityTiB: round(chosen.gib / 1000),
      storageCapacityGiB: chosen.gib,
      throughputMBps: round(throughputMBps),
      checkpointSeconds: round(checkpointSeconds, 1),
      readMBpsPerGpu: input.totalGpus > 0 ? round(throughputMBps / input.totalGpus) : 0,
      availabilityZone: input.availabilityZone,
      subnet: input.subnet ?? null,
      meetsObjective,
      costPerMonthEUR: round(chosen.cost, 2),
    },
    findings,
  };
}

/**
 * What FSx fixes when the file system is created: the deployment type (always PERSISTENT_2 here) and EFA with
 * GPUDirect Storage. A choice the spec leaves to the blueprint is warned about, so that the first one is made
 * knowingly: a later objective that flips it would need a new file system, and the data moved to it.
 */
function createTimeFindings(pinned: { efa?: boolean; tierMBpsPerTiB?: number }, efaEnabled: boolean, requiredMBps: number, tier: number): Finding[] {
  const out: Finding[] = [];
  if (efaEnabled && pinned.tierMBpsPerTiB === undefined) {
    out.push(
      warning(
        specPath("storage", "lustre", "tierMBpsPerTiB"),
        `the EFA-enabled file system is created at ${tier} MB/s per TiB, the cheapest tier for today's objectives; FSx never changes an EFA file system's tier, so objectives or pools that later favour another would need a new file system and every byte copied to it`,
        `set storage.lustre.tierMBpsPerTiB: ${tier}: growth is then met with capacity, in place`,
      ),
    );
  }
  if (pinned.efa === undefined) {
    out.push(
      warning(
        specPath("storage", "lustre", "efa"),
        `the Lustre file system is created PERSISTENT_2 with EFA and GPUDirect Storage ${efaEnabled ? "on" : "off"}, chosen because the objectives need ${formatCount(round(requiredMBps, 0))} MB/s (EFA from ${formatCount(LUSTRE_EFA_FROM_MBPS)} MB/s); FSx fixes both at creation, so an objective that later crosses that line would need a new file system and every byte copied to it`,
        `set storage.lustre.efa: ${efaEnabled} to keep this choice whatever the objectives become`,
      ),
    );
  }
  return out;
}

/** The errors when one file system cannot meet the objective: which part fails and what is achievable. */
function whyNot(checkpointBytes: number, seconds: number, writeMBps: number, readMBps: number, dataGiB: number, gpus: number, datasetTB: number): Finding[] {
  const maxMBps = lustreThroughputMBps(LUSTRE_MAX_CAPACITY_GIB, LUSTRE_TIERS_MBPS_PER_TIB[LUSTRE_TIERS_MBPS_PER_TIB.length - 1]);
  const ceiling = `one FSx for Lustre file system is planned up to ${formatCount(LUSTRE_MAX_CAPACITY_GIB)} GiB, ${formatCount(maxMBps)} MB/s at 1000 MB/s/TiB (the most FSx documents for one file system)`;
  const out: Finding[] = [];
  if (writeMBps > maxMBps) {
    const achievable = Math.ceil(checkpointBytes / (maxMBps * BYTES_PER_MB));
    out.push(
      error(
        specPath("storage", "checkpoint", "seconds"),
        `writing a checkpoint of ${formatCount(round(checkpointBytes / 1e12, 2))} TB in ${seconds} s needs ${formatCount(Math.round(writeMBps))} MB/s; ${ceiling}`,
        `set storage.checkpoint.seconds to at least ${formatCount(achievable)}, or lower bytesPerParameter (a resumable checkpoint takes 12-14 B/param)`,
      ),
    );
  }
  if (readMBps > maxMBps) {
    out.push(
      error(
        specPath("storage", "readMBpsPerGpu"),
        `feeding ${formatCount(gpus)} GPUs their read rate needs ${formatCount(Math.round(readMBps))} MB/s; ${ceiling}`,
        `set storage.readMBpsPerGpu to at most ${round(maxMBps / gpus, 3)}, or stream datasets from S3`,
      ),
    );
  }
  if (dataGiB > LUSTRE_MAX_CAPACITY_GIB) {
    const maxTB = round(((LUSTRE_MAX_CAPACITY_GIB / LUSTRE_CAPACITY_HEADROOM) * BYTES_PER_GIB) / 1e12, 1);
    out.push(
      error(
        specPath("storage", "datasetTB"),
        `the dataset (${formatCount(datasetTB)} TB) and the kept checkpoints need ${formatCount(Math.ceil(dataGiB))} GiB at ${Math.round(100 / LUSTRE_CAPACITY_HEADROOM)}% full; one file system is planned up to ${formatCount(LUSTRE_MAX_CAPACITY_GIB)} GiB`,
        `keep the dataset in S3 and stage a working set, so that dataset and checkpoints stay within ${formatCount(maxTB)} TB, or lower storage.checkpoint.keep`,
      ),
    );
  }
  return out;
}
