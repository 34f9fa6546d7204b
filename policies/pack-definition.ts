import type { EnforcementLevel, Policies } from "@pulumi/policy";

/** A policy pack as the engine and the offline harness both run it. */
export interface PackDefinition {
  name: string;
  version: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  policies: Policies;
}
