import { MAX_UNAVAILABLE_LIMIT } from "../catalog/node-updates";
import { error, warning } from "../spec/findings";
import { specPath } from "../spec/paths";
import type { Finding, RolloutSpec } from "../spec/schema";
import { formatCount } from "./figures";
import type { PoolRolloutPlan, RolloutWave } from "./rollout-types";
import type { GpuNodeGroupPlan } from "./types";

// How a change of a pool's launch template reaches its units: in waves of whole node groups, one wave per `pulumi up`.
//
// The mechanics are EC2's launch template versions. A pool's template (one per reservation, shared by its node groups)
// always holds what the spec says now; a change makes a new version. While a rollout is under way (`rollout.wave: k`)
// the template keeps its default version where it was (`updateDefaultVersion: false`), the node groups of waves 1..k
// follow the newest version and the others stay on the default one, so only they drain. Raising `wave` by one per
// `pulumi up` moves the next wave's groups; once every wave has run, `wave` goes and the default follows the newest.
// No node group is added or replaced, so a rollout needs no room under EKS's ceiling of node groups per cluster or
// nodes per group (node-groups.ts): each group drains and refills in place, `maxUnavailable` nodes at a time
// (updateStrategy MINIMAL drains before it launches, so a full reservation has room: docs/sources.md#eks-node-update-behavior [P]).
//
// Verified against the AWS provider's code and the EC2 and EKS APIs (docs/sources.md#launch-template-versions [P]):
// - a content change of the template (image, user data) makes a new version; with `updateDefaultVersion: false` the
//   provider never calls ModifyLaunchTemplate, so the default stays, and its plan keeps `defaultVersion` known: groups
//   on the default show no change in `pulumi preview` and are not touched by the up;
// - raising `wave` changes no template content, so no version is made: only the next wave's groups change their
//   `launchTemplate.version` (default → latest number), each an in-place UpdateNodegroupVersion that drains it;
// - an unrelated up changes neither, so it moves no node; tags and `updateDefaultVersion` alone make no version;
// - the last wave turns `updateDefaultVersion` back on: that update alone makes no version and sets the default to the
//   latest, so every group then runs the same number, and the next template change reaches them all unless `wave` is set.
// test/core/blueprint/rollout-versions.test.ts replays the ups on a model of exactly these rules.

export interface RolloutDesign {
  plan: PoolRolloutPlan;
  findings: Finding[];
}

/**
 * Cuts a pool's node groups (in pool order) into waves of at most the spec's units, sets each group's wave and the
 * launch template version it follows, and names what the spec asks that a wave cannot give.
 */
export function planPoolRollout(
  pool: string,
  rollout: RolloutSpec,
  groups: GpuNodeGroupPlan[],
  poolUnits: number,
  unitsPerNodeGroup: number,
): RolloutDesign {
  const findings: Finding[] = [];
  const waveUnits =
    rollout.waveUnits ?? (rollout.wavePercent !== undefined ? Math.max(1, Math.floor((poolUnits * rollout.wavePercent) / 100)) : Math.max(1, unitsPerNodeGroup));
  const waves: RolloutWave[] = [];
  for (const g of groups) {
    const last = waves[waves.length - 1];
    if (last && last.units + g.units.length <= waveUnits) {
      last.nodeGroups.push(g.name);
      last.units += g.units.length;
      last.nodes += g.nodes;
    } else {
      waves.push({ wave: waves.length + 1, nodeGroups: [g.name], units: g.units.length, nodes: g.nodes });
    }
    g.wave = waves.length;
  }
  const largest = groups.reduce((m, g) => Math.max(m, g.units.length), 0);
  if (largest > waveUnits) {
    const field = rollout.waveUnits !== undefined ? "waveUnits" : "wavePercent";
    const asked = rollout.waveUnits !== undefined ? `${formatCount(waveUnits)} units` : `${rollout.wavePercent}% of ${formatCount(poolUnits)} units (${formatCount(waveUnits)})`;
    findings.push(
      error(
        specPath("pools", pool, "rollout", field),
        `a wave drains whole node groups, and pool ${pool}'s hold up to ${formatCount(largest)} units: more than the ${asked} a wave may drain`,
        `allow at least ${formatCount(largest)} units a wave (waveUnits: ${largest}), or make node groups smaller (scalableUnit.unitsPerNodeGroup)`,
      ),
    );
  }
  let currentWave: number | null = rollout.wave ?? null;
  if (currentWave !== null && currentWave >= waves.length) {
    if (currentWave > waves.length) {
      findings.push(
        warning(
          specPath("pools", pool, "rollout", "wave"),
          `pool ${pool} has ${formatCount(waves.length)} waves; wave ${formatCount(currentWave)} is past the last, so every node group follows the newest launch template`,
          "remove rollout.wave: the rollout is done",
        ),
      );
    }
    currentWave = null;
  }
  for (const g of groups) g.launchTemplateVersion = currentWave === null || g.wave <= currentWave ? "latest" : "default";
  return {
    plan: {
      waveUnits,
      soakMinutes: rollout.soakMinutes,
      maxUnavailable: rollout.maxUnavailable === undefined ? null : Math.min(rollout.maxUnavailable, MAX_UNAVAILABLE_LIMIT),
      waves,
      currentWave,
    },
    findings,
  };
}
