// The shapes of a pool's rollout in waves (rollout.ts decides them), kept apart so the blueprint's types stay one read.

export type LaunchTemplateVersion = "latest" | "default";

/** Where a node group stands in its pool's rollout. */
export interface RolloutPlace {
  /** Its wave, from 1. */
  wave: number;
  /** The launch template version it runs: the newest, or the default one while its wave is still to come. */
  launchTemplateVersion: LaunchTemplateVersion;
}

/** One wave of a pool's rollout: node groups that drain in the same `pulumi up`. */
export interface RolloutWave {
  wave: number;
  nodeGroups: string[];
  units: number;
  nodes: number;
}

export interface PoolRolloutPlan {
  /** The most units one wave drains. */
  waveUnits: number;
  soakMinutes: number;
  /** Nodes of one node group drained at a time (updateConfig.maxUnavailable); null for a unit's worth. */
  maxUnavailable: number | null;
  waves: RolloutWave[];
  /** The rollout under way: waves 1..currentWave follow the newest template version; null when none is. */
  currentWave: number | null;
}
