import type { Policies } from "@pulumi/policy";
import { noPlaintextSecrets } from "./plaintext-secrets";

// The secrets pack's policies, in the order a report lists them.
export const secretPolicies: Policies = [noPlaintextSecrets];

export { noPlaintextSecrets };
