import type { Finding } from "../spec/schema";
import { error } from "../spec/findings";
import { specPath } from "../spec/paths";
import type { SubnetPlan } from "./types";

// PERSISTENT_2 is a single-AZ file system: it lives in a subnet of the AZ the blueprint put it in.

/** A GPU subnet of the AZ (the file system sits with its clients), else a system subnet there. */
export function lustreSubnet(subnets: readonly SubnetPlan[], availabilityZone: string): SubnetPlan | undefined {
  return (
    subnets.find((s) => s.role === "gpu" && s.availabilityZone === availabilityZone) ??
    subnets.find((s) => s.role === "system" && s.availabilityZone === availabilityZone)
  );
}

/**
 * The file system's subnet by name, or null with an error when its AZ has no GPU or system subnet. A network that
 * could not be laid out has no subnets at all, which the addressing already reports.
 */
export function planLustreSubnet(
  subnets: readonly SubnetPlan[],
  availabilityZone: string,
  /** The pool whose AZ the file system follows, if any. */
  nextTo: string | undefined,
): { subnet: string | null; findings: Finding[] } {
  const subnet = lustreSubnet(subnets, availabilityZone);
  if (subnet) return { subnet: subnet.name, findings: [] };
  if (subnets.length === 0) return { subnet: null, findings: [] };
  const why = nextTo === undefined ? "the first system AZ" : `pool ${nextTo}, which has the most GPUs`;
  return {
    subnet: null,
    findings: [
      error(
        nextTo === undefined ? specPath("network", "systemAvailabilityZones") : specPath("pools", nextTo, "availabilityZone"),
        `the Lustre file system goes in ${availabilityZone || "no AZ"}, next to ${why}, but the network has no GPU or system subnet there`,
        `add ${availabilityZone || "an AZ"} to network.systemAvailabilityZones, so the file system has a subnet in its AZ`,
      ),
    ],
  };
}
