import type { Blueprint } from "../../blueprint/types";
import { yamlDocuments } from "../kubernetes/objects";
import { REGISTRY_VARIABLE, type RenderedFile } from "../files";
import { ACCEPTANCE_LINE_RATE_FRACTION, busBandwidthExpectation } from "./bandwidth";
import { acceptanceTargets, jobName, kubernetesJob, renderSlurmJob } from "./jobs";
import { renderResultsCheck } from "./results";
import { imageReference, slurmdImageByTag } from "../image/slurmd-recipe";

export * from "./bandwidth";
export * from "./jobs";
export * from "./results";

export const ACCEPTANCE_DIR = "acceptance";

/**
 * acceptance/: per scalable unit and per pool an NCCL all-reduce as a Slurm batch script (slurm/<job>.sbatch) and as
 * a Kubernetes MPIJob (kubernetes/<job>.yaml, the factory's slurmd image from its registry), the expectations with their
 * source (expectations.json), and check-results.sh, which says which of them pass.
 */
export function renderAcceptance(blueprint: Pick<Blueprint, "factory" | "pools" | "units" | "topology">): RenderedFile[] {
  const targets = acceptanceTargets(blueprint);
  // The factory's slurmd image by its recipe's immutable tag: what the stack's NodeSets run.
  const image = imageReference(slurmdImageByTag(REGISTRY_VARIABLE));
  const types = [...new Set(targets.map((t) => t.pool.instanceType))].sort();
  const expectations = {
    factory: blueprint.factory,
    lineRateFraction: ACCEPTANCE_LINE_RATE_FRACTION,
    instanceTypes: Object.fromEntries(types.map((t) => [t, busBandwidthExpectation(t)])),
    // Pools NCCL does not drive (Trainium) have no test: Neuron's collectives are tested with its own tools.
    untested: blueprint.pools.filter((p) => p.nodes > 0 && !busBandwidthExpectation(p.instanceType)).map((p) => p.name),
    jobs: targets.map((t) => ({ job: jobName(t), kind: t.kind, pool: t.pool.name, nodes: t.nodes, expectedBusBandwidthGBps: t.expectation.expectedBusBandwidthGBps })),
  };
  return [
    ...targets.map((t) => ({ path: `${ACCEPTANCE_DIR}/slurm/${jobName(t)}.sbatch`, content: renderSlurmJob(t), mode: 0o755 })),
    ...targets.map((t) => ({ path: `${ACCEPTANCE_DIR}/kubernetes/${jobName(t)}.yaml`, content: yamlDocuments([kubernetesJob(blueprint, t, image)]) })),
    { path: `${ACCEPTANCE_DIR}/expectations.json`, content: `${JSON.stringify(expectations, null, 2)}\n` },
    { path: `${ACCEPTANCE_DIR}/check-results.sh`, content: renderResultsCheck(blueprint.factory, targets), mode: 0o755 },
  ];
}
