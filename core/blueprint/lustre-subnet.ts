import type { Finding } from "../spec/schema";
import { error, warning } from "../spec/findings";
import { specPath } from "../spec/paths";
import type { SubnetPlan } from "./types";

// PERSISTENT_2 is a single-AZ file system: it lives in a subnet of the AZ the blueprint put it in, and another AZ is
// another file system. So the AZ follows a pool the spec pins (storage.lustre.nextToPool); left out, the pool with the
// most GPUs, with a warning where several pools could overtake each other as they grow.

/** The pool the file system sits next to: the pinned one, else the one with the most GPUs (the first of equals). */
export function lustreAnchor<P extends { name: string; gpus: number }>(pools: readonly P[], pinned: string | undefined): { pool: P | undefined; findings: Finding[] } {
  const named = pinned === undefined ? undefined : pools.find((p) => p.name === pinned);
  if (named) return { pool: named, findings: [] };
  const largest = pools.reduce<P | undefined>((m, p) => (!m || p.gpus > m.gpus ? p : m), undefined);
  if (!largest || pools.length < 2) return { pool: largest, findings: [] };
  return {
    pool: largest,
    findings: [
      warning(
        specPath("storage", "lustre", "nextToPool"),
        `the Lustre file system sits in pool ${largest.name}'s AZ because it has the most GPUs; another pool grown past it would move the file system to its AZ, which is a new file system and every byte copied`,
        `set storage.lustre.nextToPool: ${largest.name} to keep it where it is whatever the pools become`,
      ),
    ],
  };
}

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
