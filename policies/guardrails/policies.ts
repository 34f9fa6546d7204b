import type { Policies } from "@pulumi/policy";
import { noCrossAccountPrincipals } from "./cross-account";
import { gpuEfaWiring } from "./efa-wiring";
import { eksPrivateEndpoint } from "./eks-endpoint";
import { dataStoreEncryption } from "./encryption";
import { helmPinnedVersions } from "./helm-versions";
import { imdsv2Required } from "./imdsv2";
import { stateProtected } from "./protection";
import { noPublicIps } from "./public-ips";
import { noInternetSecurityGroups } from "./security-groups";
import { requiredTags } from "./tags";

// The guardrails pack's policies, in the order a report lists them.
export const guardrailPolicies: Policies = [
  imdsv2Required,
  noPublicIps,
  eksPrivateEndpoint,
  dataStoreEncryption,
  stateProtected,
  gpuEfaWiring,
  requiredTags,
  noInternetSecurityGroups,
  helmPinnedVersions,
  noCrossAccountPrincipals,
];

export { dataStoreEncryption, noCrossAccountPrincipals, eksPrivateEndpoint, gpuEfaWiring, helmPinnedVersions, imdsv2Required, noInternetSecurityGroups, noPublicIps, requiredTags, stateProtected };
