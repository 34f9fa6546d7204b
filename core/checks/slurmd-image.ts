import { instanceType as catalogInstanceType } from "../catalog/instances";
import { SLURMD_IMAGE_ARCHITECTURE } from "../catalog/slurmd-image";
import type { Blueprint } from "../blueprint/types";
import { slurmPools } from "../render/slurm/slinky-conf";
import { warning } from "../spec/findings";
import { specPath } from "../spec/paths";
import type { Finding } from "../spec/schema";
import type { InstanceTypeLookup } from "../render/slurm/node";

/**
 * Every Slurm pool runs the factory's slurmd image (core/catalog/slurmd-image.ts), built for one architecture: a pool
 * of another (Grace, arm64) would get slurmd pods that cannot start there, so its nodes would serve Kubernetes only.
 */
export function slurmdImageFindings(blueprint: Pick<Blueprint, "pools">, lookup: InstanceTypeLookup = catalogInstanceType): Finding[] {
  return slurmPools(blueprint).flatMap((pool) => {
    const type = lookup(pool.instanceType);
    if (!type || type.architecture === SLURMD_IMAGE_ARCHITECTURE) return [];
    return [
      warning(
        specPath("pools", pool.name, "instanceType"),
        `pool ${pool.name}: ${pool.instanceType} is ${type.architecture}, and the factory's slurmd image is built for ${SLURMD_IMAGE_ARCHITECTURE} only: ` +
          "its slurmd pods cannot start, so Slurm gets none of its nodes (Kubernetes still does)",
        `run Slurm's jobs on an ${SLURMD_IMAGE_ARCHITECTURE} pool, or build the image for ${type.architecture} as well before relying on Slurm there`,
      ),
    ];
  });
}
