import { LUSTRE_TIERS_MBPS_PER_TIB } from "../../catalog/lustre";
import { didYouMean } from "../did-you-mean";
import { error, warning } from "../findings";
import { specPath } from "../paths";
import type { Finding } from "../schema";
import type { SpecCheck } from "./context";

// Storage objectives: what to checkpoint and how fast. The schema keeps them positive; this keeps them meaningful.

/** A resumable checkpoint (weights and optimizer state) takes 12-14 bytes per parameter (docs/sources.md#zero-checkpoint-size, [inference]). */
export const RESUMABLE_BYTES_PER_PARAMETER = 12;

export function validateStorage(check: SpecCheck): Finding[] {
  const findings: Finding[] = [];
  const checkpoint = check.input.storage?.checkpoint;
  // "0B" passes the schema's pattern and means no model at all.
  if (checkpoint?.modelParameters !== undefined && !(checkpoint.modelParameters > 0)) {
    findings.push(error(specPath("storage", "checkpoint", "modelParameters"), "the model to checkpoint has no parameters", "give the parameters of the largest model trained, e.g. 70B or 1T"));
  }
  if (checkpoint?.bytesPerParameter !== undefined && checkpoint.bytesPerParameter < RESUMABLE_BYTES_PER_PARAMETER) {
    findings.push(
      warning(
        specPath("storage", "checkpoint", "bytesPerParameter"),
        `${checkpoint.bytesPerParameter} bytes per parameter holds the weights, not the optimizer state: training cannot resume from such a checkpoint`,
        `use ${RESUMABLE_BYTES_PER_PARAMETER}-14 for a resumable checkpoint`,
      ),
    );
  }
  const nextTo = check.input.storage?.lustre?.nextToPool;
  if (nextTo !== undefined && !Object.hasOwn(check.spec.pools, nextTo) && !check.poolsIncomplete) {
    const pools = Object.keys(check.spec.pools);
    findings.push(error(specPath("storage", "lustre", "nextToPool"), `the file system is to sit next to pool ${nextTo}, which does not exist`, `${didYouMean(nextTo, pools)}name one of the pools: ${pools.join(", ")}`));
  }
  const tier = check.input.storage?.lustre?.tierMBpsPerTiB;
  if (tier !== undefined && !(LUSTRE_TIERS_MBPS_PER_TIB as readonly number[]).includes(tier)) {
    findings.push(error(specPath("storage", "lustre", "tierMBpsPerTiB"), `FSx for Lustre has no ${tier} MB/s per TiB tier`, `use one of ${LUSTRE_TIERS_MBPS_PER_TIB.join(", ")}`));
  }
  return findings;
}
