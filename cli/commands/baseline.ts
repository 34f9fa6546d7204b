import { error } from "../../core/spec/findings";
import { formatFinding } from "../../core/spec/format";
import type { Finding } from "../../core/spec/schema";
import { analyseDrains } from "../../plan/drains";
import { kubernetesUpgrade } from "../../plan/kubernetes-upgrade";
import { type PlanSnapshot, readSnapshot } from "../../plan/snapshot";
import { tolerationsFirst } from "../../plan/tolerations-first";
import { InputError } from "../exit";
import { formatMinutes, formatWaves } from "../diff/drains";
import { sectionLines } from "../report/text";

// `gigafactory plan --baseline SNAPSHOT`: the plan judged against the one deployed, as `diff` judges a pull request's
// head against its base: a Kubernetes downgrade or skip, or a wave past its pool's rollout, is refused (exit 2).

export function readBaseline(file: string): PlanSnapshot {
  return readSnapshot(file, "--baseline");
}

/**
 * What the baseline refuses before any program runs: another stack's plan, or a Kubernetes downgrade or skip (the
 * spec alone says so). A wave past its rollout needs the plan's node groups, so judgeAgainstBaseline finds it after.
 */
export function refusedBeforePlan(baseline: PlanSnapshot, stack: string, spec: unknown): Finding[] {
  if (baseline.stack !== stack) return [error("--baseline", `the baseline is a plan of stack ${baseline.stack}, not ${stack}`, "give a plan of the same stack")];
  const refused = kubernetesUpgrade(baseline, { spec: spec as PlanSnapshot["spec"] })?.refused;
  return refused ? [refused] : [];
}

/**
 * The lines the plan prints about the change from the baseline, as a section of its report; throws an InputError
 * (exit 2) for a wave past its rollout. The stack and the Kubernetes step were judged by refusedBeforePlan.
 */
export function judgeAgainstBaseline(baseline: PlanSnapshot, plan: PlanSnapshot): string[] {
  const upgrade = kubernetesUpgrade(baseline, plan);
  const drains = analyseDrains(baseline, plan);
  if (drains.findings.length > 0) throw new InputError(drains.findings.map((f) => formatFinding(f)));
  const notes: string[] = [];
  if (upgrade) notes.push(`Kubernetes ${upgrade.before} → ${upgrade.after}, in order:`, ...upgrade.order.map((o) => `  ${o}`));
  const first = tolerationsFirst(baseline, plan);
  if (first) {
    const layers = first.firstLayers.join(" and ");
    notes.push(
      `apply ${layers} before ${first.nodeLayer}: nodes gain ${first.taints.map((t) => t.taint).join(", ")}, which ${first.resources.length} resources of ${layers} learn to tolerate in this change`,
    );
  }
  if (drains.nodes === 0) notes.push("no GPU node is drained");
  for (const p of drains.pools) {
    notes.push(
      `${p.pool}: ${p.nodes} nodes (${p.gpus} GPUs) in ${p.units} units drained, wave ${formatWaves(p.waves)} of ${p.wavesInPool}, ${formatMinutes(p.minutes)}; ${p.clusterQueues.length} tenants' queues lose capacity meanwhile`,
    );
  }
  return [...sectionLines({ title: "Against the baseline", facts: [], tables: [], notes }), ""];
}
