import { oxford } from "../did-you-mean";
import { error, info, warning } from "../findings";
import { specPath } from "../paths";
import type { Finding } from "../schema";
import { poolPath, type SpecCheck } from "./context";

// Capacity sources and placement: Capacity Blocks within AWS's limits and without a placement group, spot kept out
// of cluster placement groups. Named reservations and blocks' ids: reservations.ts.

/** Capacity Blocks for ML: at most 64 instances per block, 256 across all blocks (docs/sources.md#ec2-capacity-blocks [P]). */
export const CAPACITY_BLOCK_MAX_INSTANCES = 64;
export const CAPACITY_BLOCKS_MAX_TOTAL_INSTANCES = 256;
/** The block sizes AWS sells (docs/sources.md#ec2-capacity-blocks [P]). */
export const CAPACITY_BLOCK_SIZES: readonly number[] = [1, 2, 4, 8, 16, 32, 64];

export function validateCapacity(check: SpecCheck): Finding[] {
  const findings: Finding[] = [];
  const blockTotals: [pool: string, instances: number][] = [];

  for (const [name, pool] of Object.entries(check.input.pools ?? {})) {
    const resolved = check.spec.pools[name];
    const capacity = resolved.capacity;
    const placementPath = pool.placement !== undefined ? poolPath(name, "placement") : poolPath(name, "capacity", "source");

    if (capacity.source === "capacity-block") {
      let total = 0;
      capacity.blocks.forEach((block, i) => {
        total += block.instances;
        const path = poolPath(name, "capacity", "blocks", i, "instances");
        if (block.instances > CAPACITY_BLOCK_MAX_INSTANCES) {
          findings.push(error(path, `a Capacity Block holds at most ${CAPACITY_BLOCK_MAX_INSTANCES} instances, not ${block.instances}`, `split it into blocks of ${oxford(CAPACITY_BLOCK_SIZES.map(String))} instances`));
        } else if (!CAPACITY_BLOCK_SIZES.includes(block.instances)) {
          findings.push(warning(path, `Capacity Blocks are sold in ${oxford(CAPACITY_BLOCK_SIZES.map(String))} instances, not ${block.instances}`, "give the instance count of the block you bought"));
        }
      });
      blockTotals.push([name, total]);
      if (pool.nodes !== undefined && pool.nodes !== total) {
        findings.push(error(poolPath(name, "nodes"), `pool ${name} has ${pool.nodes} nodes but its capacity blocks hold ${total} instances`, `set nodes: ${total}, or list the blocks that make up ${pool.nodes}`));
      } else if (pool.nodes === undefined && pool.gpus !== undefined && resolved.nodes !== total) {
        findings.push(error(poolPath(name, "gpus"), `pool ${name} has ${resolved.nodes} nodes (${pool.gpus} GPUs) but its capacity blocks hold ${total} instances`, `size the pool by its blocks: nodes: ${total}`));
      }
      if (resolved.placement === "cluster") {
        findings.push(error(placementPath, `pool ${name} takes Capacity Blocks and asks for a cluster placement group: AWS places a block's instances itself, and a placement group fights it`, "remove placement: cluster (capacity blocks use placement: none)"));
      }
      // No EU region is listed for Capacity Blocks in the pages read (docs/sources.md#ec2-capacity-blocks).
      findings.push(
        info(
          poolPath(name, "capacity", "source"),
          `Capacity Blocks were not documented for any EU region when the catalog was written`,
          `confirm with aws ec2 describe-capacity-block-offerings --region ${check.spec.region} before relying on them`,
        ),
      );
    }

    if (capacity.source === "spot" && resolved.placement === "cluster") {
      findings.push(warning(placementPath, `pool ${name} runs spot instances in cluster placement groups: spot capacity that fits one group is rare, and a reclaimed node leaves a hole in its unit`, "use placement: none for spot, or ODCRs for capacity that stays"));
    }
    const madeHere = capacity.source === "on-demand" || (capacity.source === "odcr" && capacity.reservations === undefined);
    if (madeHere && resolved.placement === "none") {
      findings.push(info(placementPath, `pool ${name} has no placement group: the nodes of a scalable unit may land far apart in the fabric`, "use placement: cluster for tightly coupled training"));
    }
  }

  const total = blockTotals.reduce((n, [, i]) => n + i, 0);
  if (total > CAPACITY_BLOCKS_MAX_TOTAL_INSTANCES) {
    findings.push(
      error(
        specPath("pools"),
        `the capacity blocks add up to ${total} instances (${blockTotals.map(([p, i]) => `${p} ${i}`).join(", ")}); AWS allows at most ${CAPACITY_BLOCKS_MAX_TOTAL_INSTANCES} across all Capacity Blocks`,
        "take the rest as ODCRs AWS delivers (capacity: { source: odcr, reservations: [...] }): Capacity Blocks are for bursts",
      ),
    );
  }
  return findings;
}
