import type { PackDefinition } from "../pack-definition";
import { secretPolicies } from "./policies";

// Run by `gigafactory check` over snapshots only. The policy runtime of `pulumi preview` hands a policy every
// Pulumi secret in plain text (@pulumi/policy deserialize.js unwraps them), so there a secret cannot be told from
// a value passed in the clear; a snapshot marks each secret "[secret]", so there it can.
export const SECRETS_PACK: PackDefinition = {
  name: "secrets",
  version: "0.1.0",
  description: "No secret in plain text in any input of a plan.",
  enforcementLevel: "mandatory",
  policies: secretPolicies,
};
