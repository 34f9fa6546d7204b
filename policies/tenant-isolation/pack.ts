import type { PackDefinition } from "../pack-definition";
import isolationPackage from "./package.json";
import { isolationPolicies } from "./policies";

// The pack as one object: its entry point serves it to the engine, `gigafactory check` and the tests run it offline.
export const TENANT_ISOLATION_PACK: PackDefinition = {
  name: "tenant-isolation",
  version: isolationPackage.version,
  description: isolationPackage.description,
  enforcementLevel: "mandatory",
  policies: isolationPolicies,
};
