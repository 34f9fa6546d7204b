import { INSTANCE_TYPES } from "../../core/catalog/instances";

// The one place the guardrails read instance facts: the catalog's EFA card counts (docs/sources.md#karpenter-instance-types,
// docs/sources.md#efa-multi-card [P]).

export interface EfaFacts {
  name: string;
  gpus: number;
  /** null where no primary source gives the layout: such a type cannot be wired, only reported. */
  networkCards: number | null;
  efaInterfaces: number;
}

export function efaFactsOf(instanceType: string): EfaFacts | undefined {
  const t = Object.prototype.hasOwnProperty.call(INSTANCE_TYPES, instanceType) ? INSTANCE_TYPES[instanceType] : undefined;
  return t ? { name: t.name, gpus: t.gpus, networkCards: t.networkCards, efaInterfaces: t.efaInterfaces } : undefined;
}

/** Accelerated families the catalog may not list yet: a launch template of one is still a GPU template. */
export function looksAccelerated(instanceType: string): boolean {
  return /^(p\d|p\de|p\den|p\d-|p\de-|g\d|trn\d|inf\d|dl\d)/.test(instanceType);
}
