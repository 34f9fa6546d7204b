import type { Finding } from "../spec/schema";
import type { StoragePlan } from "./types";
import { error } from "../spec/findings";
import { specPath } from "../spec/paths";
import { formatCount, round } from "./figures";

// Lustre metadata sized for the files training touches: every dataset file opened once per epoch at the
// read rate, and every checkpoint shard created within the checkpoint window.

// Metadata IOPS FSx accepts for SSD file systems: 1,500, 3,000, 6,000, 12,000, then multiples of 12,000 up to
// 192,000 (FSx API CreateFileSystemLustreMetadataConfiguration [P]). They can be raised in place; a lower
// figure replaces the file system (terraform-provider-aws internal/service/fsx/lustre_file_system.go:
// ForceNew on metadata_configuration.0.iops when it decreases).
export const LUSTRE_METADATA_IOPS_SMALL = [1500, 3000, 6000] as const;
export const LUSTRE_METADATA_IOPS_STEP = 12_000;
export const LUSTRE_METADATA_IOPS_MAX = 192_000;

// Each provisioned metadata IOPS serves 2 file creates, opens or closes per second (FSx for Lustre
// performance guide, "File system metadata performance" [P]); a file read or written is an open (or a
// create) and a close, so one file per second costs one metadata IOPS.
export const METADATA_OPS_PER_IOPS = 2;
export const METADATA_OPS_PER_FILE = 2;
// A sharded checkpoint writes at least one file per rank (PyTorch Distributed Checkpoint: one .distcp
// file per rank [P]); one GPU is one rank.
export const CHECKPOINT_FILES_PER_GPU = 1;
// Without a file count in the spec the dataset is taken as tokenised shards of 256 MB, the order of the
// shards training pipelines write (WebDataset and Megatron shards of 100 MB-1 GB) [U].
export const ASSUMED_DATASET_FILE_MB = 256;
// Keep the metadata servers at most 80% busy, as the capacity [U].
export const METADATA_HEADROOM = 1.25;

export function isValidMetadataIops(iops: number): boolean {
  if (!Number.isInteger(iops) || iops <= 0 || iops > LUSTRE_METADATA_IOPS_MAX) return false;
  return (LUSTRE_METADATA_IOPS_SMALL as readonly number[]).includes(iops) || iops % LUSTRE_METADATA_IOPS_STEP === 0;
}

/** The smallest valid IOPS at or above `iops`, or undefined above the maximum. */
export function metadataIopsAtLeast(iops: number): number | undefined {
  const small = LUSTRE_METADATA_IOPS_SMALL.find((v) => v >= iops);
  if (small !== undefined) return small;
  const stepped = Math.max(1, Math.ceil(iops / LUSTRE_METADATA_IOPS_STEP)) * LUSTRE_METADATA_IOPS_STEP;
  return stepped <= LUSTRE_METADATA_IOPS_MAX ? stepped : undefined;
}

/**
 * What AUTOMATIC mode provisions for a capacity (FSx for Lustre guide, managing-metadata-performance [P]):
 * 1,200 GiB 1,500; 2,400 GiB 3,000; 4,800-9,600 GiB 6,000; 12,000-45,600 GiB 12,000; from 48,000 GiB
 * 12,000 per 24,000 GiB, up to the maximum.
 */
export function automaticMetadataIops(capacityGiB: number): number {
  if (capacityGiB < 2400) return 1500;
  if (capacityGiB < 4800) return 3000;
  if (capacityGiB < 12_000) return 6000;
  if (capacityGiB < 48_000) return 12_000;
  return Math.min(LUSTRE_METADATA_IOPS_MAX, Math.floor(capacityGiB / 24_000) * LUSTRE_METADATA_IOPS_STEP);
}

export interface MetadataInput {
  totalGpus: number;
  checkpointSeconds: number;
  datasetTB: number;
  /** The dataset's file count from the spec; absent: assumed from the dataset size. */
  datasetFiles?: number;
  requiredReadMBps: number;
  capacityGiB: number;
  pinnedIops?: number;
}

export function planMetadata(input: MetadataInput): { metadata: StoragePlan["metadata"]; findings: Finding[] } {
  const datasetMB = input.datasetTB * 1e6;
  const datasetFiles = input.datasetFiles ?? Math.ceil(datasetMB / ASSUMED_DATASET_FILE_MB);
  // An epoch reads the whole dataset at the read rate the GPUs need, each file opened once: files are
  // opened at the read rate over the mean file size.
  const meanFileMB = input.datasetFiles === undefined ? ASSUMED_DATASET_FILE_MB : datasetMB / Math.max(1, input.datasetFiles);
  const datasetFilesPerSecond = datasetMB > 0 && input.requiredReadMBps > 0 ? input.requiredReadMBps / meanFileMB : 0;
  const epochSeconds = datasetFilesPerSecond > 0 ? datasetMB / input.requiredReadMBps : Infinity;
  const checkpointFilesPerSecond = (input.totalGpus * CHECKPOINT_FILES_PER_GPU) / input.checkpointSeconds;
  const iopsPerFile = METADATA_OPS_PER_FILE / METADATA_OPS_PER_IOPS;
  const requiredIops = Math.ceil((datasetFilesPerSecond + checkpointFilesPerSecond) * iopsPerFile * METADATA_HEADROOM);
  const automaticIops = automaticMetadataIops(input.capacityGiB);
  const sizing = {
    requiredIops,
    automaticIops,
    datasetFiles,
    datasetFilesSource: input.datasetFiles === undefined ? ("assumed" as const) : ("spec" as const),
    epochSeconds: Number.isFinite(epochSeconds) ? round(epochSeconds, 0) : 0,
    checkpointFiles: input.totalGpus * CHECKPOINT_FILES_PER_GPU,
  };

  const findings: Finding[] = [];
  const pinned = input.pinnedIops;
  if (pinned !== undefined) {
    if (!isValidMetadataIops(pinned)) {
      findings.push(invalidPinned(pinned));
      return { metadata: { mode: "AUTOMATIC", iops: automaticIops, choice: "pinned", ...sizing }, findings };
    }
    if (pinned < requiredIops) {
      const enough = metadataIopsAtLeast(requiredIops);
      findings.push(
        error(
          specPath("storage", "lustre", "metadataIops"),
          `${formatCount(pinned)} metadata IOPS is below the ${formatCount(requiredIops)} the objectives need (${why(sizing, datasetFilesPerSecond, checkpointFilesPerSecond)})`,
          enough === undefined
            ? `no figure is enough: ${tooMany(sizing, datasetFilesPerSecond, checkpointFilesPerSecond, input)}`
            : `use ${formatCount(enough)}, or leave it out to size it from the objectives`,
        ),
      );
    }
    return { metadata: { mode: "USER_PROVISIONED", iops: pinned, choice: "pinned", ...sizing }, findings };
  }
  if (requiredIops <= automaticIops) return { metadata: { mode: "AUTOMATIC", iops: automaticIops, choice: "from-objectives", ...sizing }, findings };
  const provisioned = metadataIopsAtLeast(requiredIops);
  if (provisioned === undefined) {
    const checkpointBound = checkpointFilesPerSecond > datasetFilesPerSecond;
    findings.push(
      error(
        checkpointBound ? specPath("storage", "checkpoint", "seconds") : specPath("storage", "datasetFiles"),
        `the objectives need ${formatCount(requiredIops)} metadata IOPS (${why(sizing, datasetFilesPerSecond, checkpointFilesPerSecond)}); one FSx for Lustre file system provisions at most ${formatCount(LUSTRE_METADATA_IOPS_MAX)}`,
        tooMany(sizing, datasetFilesPerSecond, checkpointFilesPerSecond, input),
      ),
    );
    return { metadata: { mode: "USER_PROVISIONED", iops: LUSTRE_METADATA_IOPS_MAX, choice: "from-objectives", ...sizing }, findings };
  }
  return { metadata: { mode: "USER_PROVISIONED", iops: provisioned, choice: "from-objectives", ...sizing }, findings };
}

function why(s: { datasetFiles: number; epochSeconds: number; checkpointFiles: number }, datasetPerSecond: number, checkpointPerSecond: number): string {
  const parts: string[] = [];
  if (datasetPerSecond > 0) parts.push(`${formatCount(s.datasetFiles)} dataset files read in an epoch of ${formatCount(s.epochSeconds)} s`);
  parts.push(`${formatCount(s.checkpointFiles)} checkpoint files written at ${formatCount(round(checkpointPerSecond, checkpointPerSecond < 10 ? 1 : 0))} per second`);
  return parts.join(", ");
}

/** What to change when no figure is enough: fewer, larger dataset files, or a longer checkpoint window. */
function tooMany(s: { datasetFiles: number; checkpointFiles: number }, datasetPerSecond: number, checkpointPerSecond: number, input: MetadataInput): string {
  const budgetFilesPerSecond = (LUSTRE_METADATA_IOPS_MAX / METADATA_HEADROOM) * (METADATA_OPS_PER_IOPS / METADATA_OPS_PER_FILE);
  if (checkpointPerSecond > datasetPerSecond) {
    const seconds = Math.ceil(s.checkpointFiles / Math.max(1, budgetFilesPerSecond - datasetPerSecond));
    return `set storage.checkpoint.seconds to at least ${formatCount(seconds)}, or write fewer checkpoint files per rank`;
  }
  // Files opened per second = read rate / mean file size: the budget left by checkpoints bounds the count.
  const maxFiles = Math.floor((Math.max(0, budgetFilesPerSecond - checkpointPerSecond) * (input.datasetTB * 1e6)) / input.requiredReadMBps);
  const minFileMB = maxFiles > 0 ? Math.ceil((input.datasetTB * 1e6) / maxFiles) : undefined;
  return `pack the dataset into at most ${formatCount(maxFiles)} files${minFileMB ? ` (shards of ${formatCount(minFileMB)} MB or more, e.g. WebDataset tar shards)` : ""}, and set storage.datasetFiles to the new count`;
}

function invalidPinned(iops: number): Finding {
  const next = metadataIopsAtLeast(iops);
  return error(
    specPath("storage", "lustre", "metadataIops"),
    `${formatCount(iops)} metadata IOPS is not a figure FSx accepts: 1,500, 3,000, 6,000, 12,000 or a multiple of 12,000 up to ${formatCount(LUSTRE_METADATA_IOPS_MAX)}`,
    next === undefined
      ? `use at most ${formatCount(LUSTRE_METADATA_IOPS_MAX)}, or leave it out to size it from the objectives`
      : `use ${formatCount(next)}, or leave it out to size it from the objectives; once set it can be raised, never lowered`,
  );
}
