import type { PackDefinition } from "../pack-definition";
import euResidencyPackage from "./package.json";
import { euResidencyPolicies } from "./policies";

// The pack as one object: its entry point serves it to the engine, `gigafactory check` and the tests run it offline.
// Its version is its package.json's, as PolicyPack reads it.
export const EU_RESIDENCY_PACK: PackDefinition = {
  name: "eu-residency",
  version: euResidencyPackage.version,
  description: euResidencyPackage.description,
  enforcementLevel: "mandatory",
  policies: euResidencyPolicies,
};
