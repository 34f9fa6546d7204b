import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { planResourcesOf } from "../lib/plan";
import { proveFactory, type Proofs } from "../lib/proofs/prove";
import { PROPERTIES, type PropertyName } from "../lib/proofs/types";
import { declaredOf, declaredSchema } from "./declared";

// One property as a stack policy: the analysis runs once per plan (policies/lib/proofs/prove.ts), and the policy
// reports its property's findings that break it or cannot be proven, each on the resource it names. What a layer's
// preview cannot see is the `proof-coverage` policy's to report, as advice.

export function propertyPolicy(property: PropertyName): StackValidationPolicy {
  return {
    name: property,
    description: `Proven over the plan: ${PROPERTIES[property]}.`,
    configSchema: declaredSchema,
    validateStack: (args, reportViolation) => {
      const proof = proofsFor(args).proofs[property];
      for (const f of proof.findings) if (f.kind !== "unseen") reportViolation(f.message, f.urn);
    },
  };
}

// One analysis per plan: the offline harness hands every stack policy of a pack the same resources.
const cache = new WeakMap<readonly PolicyResource[], { key: string; proofs: Proofs }>();

export function proofsFor(args: StackValidationArgs): Proofs {
  const declared = declaredOf(args);
  const key = JSON.stringify(declared);
  const hit = cache.get(args.resources);
  if (hit && hit.key === key) return hit.proofs;
  const proofs = proveFactory(planResourcesOf(args.resources), declared);
  cache.set(args.resources, { key, proofs });
  return proofs;
}

/** What a layer's preview cannot see, as advice: `gigafactory check` proves it over every layer. */
export const proofCoverage: StackValidationPolicy = {
  name: "proof-coverage",
  description: "What the proofs could not see from this view (a layer's preview): reported, not failed.",
  enforcementLevel: "advisory",
  configSchema: declaredSchema,
  validateStack: (args, reportViolation) => {
    for (const proof of Object.values(proofsFor(args).proofs)) for (const f of proof.findings) if (f.kind === "unseen") reportViolation(`${proof.property}: ${f.message}`, f.urn);
  },
};
