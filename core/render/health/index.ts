import type { Blueprint } from "../../blueprint/types";
import { yamlDocuments } from "../kubernetes/objects";
import { REGISTRY_VARIABLE, type RenderedFile } from "../files";
import { HEALTH_PHASES } from "./expectations";
import { nodeHealthObjects } from "./node-agent";
import { healthScriptName, renderHealthScript } from "./script";
import { GATE_PHASES, renderSlinkyGate, slinkyGateName } from "./slinky-gate";
import { slurmdImageByTag } from "../image/slurmd-recipe";

export * from "./expectations";
export * from "./agent-paths";
export * from "./agent-scripts";
export * from "./node-agent";
export * from "./script";
export * from "./slinky-gate";

export const HEALTH_DIR = "health";

export { REGISTRY_VARIABLE };

/**
 * health/<phase>.sh for every node (installed under /etc/slurm/health, where slurm.conf looks), and
 * health/kubernetes/node-health.yaml, the agent that runs the same checks on Kubernetes (in the factory's slurmd image,
 * named by its recipe's immutable tag) and taints a failing node, and
 * health/slinky/<phase>.sh, Slurm's health programs on Kubernetes, which act on the agent's report.
 */
export function renderHealth(blueprint: Pick<Blueprint, "factory" | "pools" | "nodeGroups" | "units">): RenderedFile[] {
  return [
    ...HEALTH_PHASES.map((phase) => ({ path: `${HEALTH_DIR}/${healthScriptName(phase)}`, content: renderHealthScript(blueprint, phase), mode: 0o755 })),
    { path: `${HEALTH_DIR}/kubernetes/node-health.yaml`, content: yamlDocuments(nodeHealthObjects(blueprint, REGISTRY_VARIABLE, slurmdImageByTag(REGISTRY_VARIABLE))) },
    ...GATE_PHASES.map((phase) => ({ path: `${HEALTH_DIR}/slinky/${slinkyGateName(phase)}`, content: renderSlinkyGate(phase), mode: 0o755 })),
  ];
}
