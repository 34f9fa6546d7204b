import type { PlanSnapshot } from "../../plan/snapshot";
import type { Exemption } from "../lib/config";
import { PlanIndex, planResourcesOf } from "../lib/plan";
import { EU_REGIONS } from "../lib/places";
import { residencyEvidence, type ResidencyEvidence } from "../eu-residency/evidence";
import { DEFAULT_LOCAL_PACKAGES } from "../eu-residency/whereabouts";
import { reconcileConfig } from "./pack-config";
import type { PackUnderTest } from "./run";
import { SnapshotProviders, stackArgs } from "./runtime-args";

// Residency evidence for a snapshot, with the plan seen exactly as the stack policies see it and the config
// reconciled exactly as the check runs it.

export function evidenceOf(snapshot: PlanSnapshot, packs: readonly PackUnderTest[], config: Record<string, unknown> = {}): ResidencyEvidence {
  const providers = new SnapshotProviders(snapshot);
  const index = new PlanIndex(planResourcesOf(stackArgs(snapshot, providers, () => ({})).resources));
  const exemptions: { policy: string; exemptions: Exemption[] }[] = [];
  let allowedRegions: string[] | undefined;
  let localPackages: string[] | undefined;
  for (const pack of packs) {
    const reconciled = reconcileConfig(pack.policies, pack.enforcementLevel ?? "advisory", config);
    for (const [policy, c] of reconciled) {
      if (c.enforcementLevel === "disabled") continue;
      if (Array.isArray(c.properties.exemptions) && c.properties.exemptions.length) exemptions.push({ policy, exemptions: c.properties.exemptions as Exemption[] });
      if (policy === "residency-resource-region") {
        allowedRegions = c.properties.allowedRegions as string[];
        localPackages = c.properties.localPackages as string[];
      }
    }
  }
  return residencyEvidence({
    snapshot,
    index,
    packs: packs.map((p) => ({ name: p.name, version: p.version })),
    allowedRegions: allowedRegions ?? [...EU_REGIONS],
    localPackages: localPackages ?? [...DEFAULT_LOCAL_PACKAGES],
    exemptions,
  });
}
