import type { PresetName } from "../spec/schema";
import type { ProtectionPlan } from "./types";

// A dev stack is a trial, torn down at will and cheap to rebuild; any other factory's control plane and accounting
// database hold months of work, so they survive a mistaken delete and the loss of an AZ.
export function planProtection(preset: PresetName): ProtectionPlan {
  const factory = preset !== "dev";
  return { deletionProtection: factory, highAvailability: factory };
}
