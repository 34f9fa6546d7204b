// The EKS control-plane scaling tier (Provisioned Control Plane, `controlPlaneScalingConfig.tier`;
// docs/sources.md#eks-provisioned-control-plane [P]). AWS publishes each tier's API request concurrency,
// database size and pod scheduling rate, not node counts; its guidance is to err on the larger tier for
// AI training [S: aws/agent-toolkit-for-aws eks-control-plane.md]. The rule here [U: project rule]:
// `standard` (which scales itself) up to 250 nodes, then one tier per step of roughly 2.5-4x in nodes,
// so an AI factory (~3,100 nodes) runs on tier-2xl and a gigafactory (~12,500) on tier-8xl.

export const CONTROL_PLANE_TIERS = ["standard", "tier-xl", "tier-2xl", "tier-4xl", "tier-8xl"] as const;
export type ControlPlaneTier = (typeof CONTROL_PLANE_TIERS)[number];

/** Upper node count (GPU and system nodes together) served by each tier; the last has no bound. */
export const TIER_NODE_LIMITS: readonly { tier: ControlPlaneTier; upToNodes: number }[] = [
  { tier: "standard", upToNodes: 250 },
  { tier: "tier-xl", upToNodes: 1000 },
  { tier: "tier-2xl", upToNodes: 4000 },
  { tier: "tier-4xl", upToNodes: 10000 },
  { tier: "tier-8xl", upToNodes: Number.POSITIVE_INFINITY },
];

export function controlPlaneTier(nodes: number): ControlPlaneTier {
  return (TIER_NODE_LIMITS.find((t) => nodes <= t.upToNodes) ?? TIER_NODE_LIMITS[TIER_NODE_LIMITS.length - 1]).tier;
}
