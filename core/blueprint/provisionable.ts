import type { FactorySpec, Finding } from "../spec/schema";
import { error } from "../spec/findings";
import { specPath } from "../spec/paths";
import type { Blueprint, ClusterPlan, PoolPlan, ScalableUnitPlan, StoragePlan, UnitLaunchPlan } from "./types";
import type { InterfaceSlot } from "./interfaces";

// A blueprint carries every figure it could compute, and null where a decision could not be made, which an error
// finding of the design explains. What the components receive has every decision made: this type says so, and
// `undecided` is the one place that checks it.

export type ProvisionablePool = PoolPlan & { interfaces: InterfaceSlot[] };
export type ProvisionableUnit = ScalableUnitPlan & { launch: UnitLaunchPlan };

export interface ProvisionableBlueprint extends Omit<Blueprint, "pools" | "units" | "cluster" | "storage"> {
  pools: ProvisionablePool[];
  units: ProvisionableUnit[];
  cluster: ClusterPlan & { serviceCidr: string };
  storage: StoragePlan & { subnet: string };
}

/** What the blueprint left undecided, in words; empty when the components can map every part of it. */
export function undecided(blueprint: Blueprint): string[] {
  const out: string[] = [];
  if (blueprint.cluster.serviceCidr === null) out.push("the cluster's Service CIDR");
  if (blueprint.storage.subnet === null) out.push("the Lustre file system's subnet");
  for (const p of blueprint.pools) if (p.interfaces === null) out.push(`the network interfaces of pool ${p.name}`);
  for (const u of blueprint.units) {
    if (u.subnet === "") out.push(`the subnet of unit ${u.name}`);
    if (u.nodeGroup === "") out.push(`the node group of unit ${u.name}`);
    if (u.launch === null) out.push(`the capacity of unit ${u.name}`);
  }
  return out;
}

export function isProvisionable(blueprint: Blueprint): blueprint is Blueprint & ProvisionableBlueprint {
  return undecided(blueprint).length === 0;
}

/** A decision left open that no check explains: a gap in the checks, never the user's to guess at. */
export function undecidedFinding(spec: Pick<FactorySpec, "name">, open: readonly string[]): Finding {
  return error(
    specPath(),
    `the blueprint of ${spec.name} leaves ${open.join(", ")} undecided, and no check said why`,
    "report this with the stack file: a check of gigafactory's design is missing",
  );
}
