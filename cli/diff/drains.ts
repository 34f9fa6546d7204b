import type { DrainAnalysis, PoolDrain } from "../../plan/drains";
import type { KubernetesUpgrade } from "../../plan/kubernetes-upgrade";
import { cell, formatNumber } from "./format";
import { clipMarkdown } from "./markdown-blocks";
import type { DiffResult } from "./types";

// The review's first screen on what a change does to running jobs: the nodes and GPUs it drains, in how many units
// and waves, whose queues lose capacity meanwhile and for how long; and a Kubernetes version change with its order.

const QUEUES_NAMED = 8;

/** `95` → "about 1 h 35 min"; under an hour in minutes. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `about ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `about ${h} h${m > 0 ? ` ${m} min` : ""}`;
}

export function drainsSection(diff: DiffResult, maxChars = Number.POSITIVE_INFINITY): string {
  const lines: string[] = [];
  if (diff.kubernetes) lines.push(...upgradeLines(diff.kubernetes));
  const d = diff.drains;
  if (d && d.nodes > 0) lines.push(...drainLines(d));
  else if (d && diff.kubernetes) lines.push("**No GPU node is drained by this change:** the node groups keep their launch template versions.", "");
  return clipMarkdown(lines.join("\n"), maxChars);
}

function upgradeLines(k: KubernetesUpgrade): string[] {
  const lines = [`### Kubernetes ${k.before} → ${k.after}`, ""];
  if (k.refused) lines.push(`**Refused** at \`${k.refused.path}\`: ${k.refused.message} — ${k.refused.hint}.`, "");
  lines.push("In order:", "", ...k.order, "");
  if (k.notes.length > 0) lines.push(...k.notes.map((n) => `- ${n}`), "");
  return lines;
}

function drainLines(d: DrainAnalysis): string[] {
  const pools = d.pools.length === 1 ? `pool \`${d.pools[0].pool}\`` : `${formatNumber(d.pools.length)} pools`;
  const lines = [
    "### What gets drained",
    "",
    `**${formatNumber(d.nodes)} GPU nodes (${formatNumber(d.gpus)} GPUs) in ${formatNumber(d.units)} scalable units are drained and replaced**, ` +
      `${formatNumber(d.nodeGroups)} node group${d.nodeGroups === 1 ? "" : "s"} of ${pools} in ${formatNumber(d.waves)} wave${d.waves === 1 ? "" : "s"}, ${formatMinutes(d.minutes)} for this \`pulumi up\`.`,
    "",
    "| pool | nodes | GPUs | units | node groups | waves | at a time | time | queues losing capacity |",
    "|---|---:|---:|---:|---:|---|---:|---|---|",
    ...d.pools.map(poolRow),
    "",
  ];
  for (const f of d.findings) lines.push(`**Refused** at \`${f.path}\`: ${f.message} — ${f.hint}.`, "");
  lines.push(
    "<sub>Time: each node group drains `maxUnavailable` nodes at a time (its updateConfig) and replaces them before the next batch; a batch takes up to 15 min to drain and about 15 min to boot (core/catalog/node-updates.ts). Node groups of one `pulumi up` update side by side.</sub>",
    "",
  );
  return lines;
}

/** `[1, 2, 3, 5]` → "1–3, 5". */
export function formatWaves(waves: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < waves.length; ) {
    let j = i;
    while (j + 1 < waves.length && waves[j + 1] === waves[j] + 1) j++;
    runs.push(j > i ? `${waves[i]}–${waves[j]}` : String(waves[i]));
    i = j + 1;
  }
  return runs.join(", ");
}

function poolRow(p: PoolDrain): string {
  const waves = `${formatWaves(p.waves)} of ${formatNumber(p.wavesInPool)}${p.soakMinutes > 0 && p.wavesInPool > 1 ? `, ${p.soakMinutes} min soak after` : ""}`;
  const queues = p.clusterQueues.length > QUEUES_NAMED ? [...p.clusterQueues.slice(0, QUEUES_NAMED), `${formatNumber(p.clusterQueues.length - QUEUES_NAMED)} more`] : p.clusterQueues;
  const atATime = [...new Set(p.nodeGroups.map((g) => g.maxUnavailable))].join("/");
  return `| ${cell(p.pool)} | ${formatNumber(p.nodes)} | ${formatNumber(p.gpus)} | ${formatNumber(p.units)} | ${formatNumber(p.nodeGroups.length)} | ${waves} | ${atATime} | ${formatMinutes(p.minutes)} | Kueue ${cell(queues.join(", "))}; Slurm ${cell(p.partitions.join(", "))} |`;
}
