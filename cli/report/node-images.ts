import { formatAmiRelease, releaseOfParameter } from "../../core/catalog/ami";
import type { PlanSnapshot } from "../../plan/snapshot";
import type { Section } from "./types";

// The node images a plan pins: each pool's release and the system pool's, and the wave of a rollout under way.
// One section of the plan report; `--online` adds what AWS published since (cli/commands/node-images.ts).

export interface PinnedPool {
  pool: string;
  release: string;
  amiParameter: string;
  waves: number;
  currentWave: number | null;
}

export function pinnedPools(snapshot: PlanSnapshot): PinnedPool[] {
  const b = snapshot.blueprint as {
    pools?: { name: string; amiParameter: string; image?: { release: string }; rollout?: { waves: unknown[]; currentWave: number | null } }[];
    system?: { amiParameter: string };
  };
  const pools: PinnedPool[] = (b.pools ?? []).map((p) => ({
    pool: p.name,
    release: p.image?.release ?? "",
    amiParameter: p.amiParameter,
    waves: p.rollout?.waves.length ?? 1,
    currentWave: p.rollout?.currentWave ?? null,
  }));
  const system = b.system?.amiParameter ?? "";
  const systemRelease = releaseOfParameter(system);
  if (systemRelease) pools.push({ pool: "system", release: formatAmiRelease(systemRelease), amiParameter: system, waves: 1, currentWave: null });
  return pools;
}

/** A section of pool lines: the pool's name in a column of its own, then what is said of it. */
export function poolLinesSection(title: string, lines: { pool: string; text: string }[]): Section {
  return { title, facts: [], tables: [], notes: lines.map((l) => `${l.pool.padEnd(12)} ${l.text}`) };
}

export function nodeImagesSection(snapshot: PlanSnapshot): Section {
  return poolLinesSection(
    "Node images (pinned; a plan changes none unless the spec does)",
    pinnedPools(snapshot).map((p) => ({
      pool: p.pool,
      text: `${p.release}${p.currentWave === null ? "" : `, rollout under way: waves 1-${p.currentWave} of ${p.waves} on the newest launch template version`}`,
    })),
  );
}
