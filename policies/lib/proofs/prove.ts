import { identityModel } from "../iam/plan-identities";
import type { PlanResource } from "../plan";
import { exposureProof, type Declared } from "./exposure";
import { deployPathProof, gpuNodesProof } from "./infrastructure";
import { lustreProof } from "./lustre-shares";
import { namespaceProof } from "./namespace-access";
import { networkModel } from "./network";
import { podNetworkProofs } from "./pod-network";
import { dataIsolation } from "./tenant-data";
import type { Proof, PropertyName } from "./types";
import { planView } from "./view";

// Every property over one plan: the models built once (the view, the network, the identities), then each proof.
// A policy document that does not parse makes every identity proof "cannot prove", naming it.

export interface Proofs {
  tenants: string[];
  complete: boolean;
  proofs: Record<PropertyName, Proof>;
}

export const NO_DECLARED: Declared = { cidrs: [], securityGroupIds: [], publicEndpointCidrs: [], accountIds: [] };

export function proveFactory(resources: readonly PlanResource[], declared: Declared = NO_DECLARED): Proofs {
  const view = planView(resources);
  const net = networkModel(view);
  const identities = identityModel(
    resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, inputs: r.props, dependencies: r.dependencies })),
    { partition: view.partition, region: view.region ?? "", account: view.account },
  );
  const data = dataIsolation(view, identities);
  const pods = podNetworkProofs(view, net);
  const malformed = identities.malformed.map((m) => ({ kind: "unproven" as const, urn: m.urn, message: `cannot prove: the policy document of ${m.name} is malformed (${m.message}) — write it as IAM's JSON` }));
  data.s3.findings.unshift(...malformed);
  data.kms.findings.unshift(...malformed);
  const proofs: Proof[] = [
    data.s3,
    data.kms,
    lustreProof(view),
    namespaceProof(view),
    pods.isolated,
    pods.reach,
    deployPathProof(view, net, { cidrs: declared.cidrs, securityGroupIds: declared.securityGroupIds }),
    gpuNodesProof(view, net),
    exposureProof(view, net, identities, declared),
  ];
  if (malformed.length) proofs[proofs.length - 1].findings.unshift(...malformed);
  return { tenants: view.tenants, complete: view.complete, proofs: Object.fromEntries(proofs.map((p) => [p.property, p])) as Record<PropertyName, Proof> };
}
