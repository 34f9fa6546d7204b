import type { PackDefinition } from "../pack-definition";
import guardrailsPackage from "./package.json";
import { guardrailPolicies } from "./policies";

// The pack as one object: its entry point serves it to the engine, `gigafactory check` and the tests run it offline.
// Its version is its package.json's, as PolicyPack reads it.
export const GUARDRAILS_PACK: PackDefinition = {
  name: "guardrails",
  version: guardrailsPackage.version,
  description: guardrailsPackage.description,
  enforcementLevel: "mandatory",
  policies: guardrailPolicies,
};
