import type { PlanSnapshot, SnapshotResource } from "../../plan/snapshot";
import { parsePolicy, PolicyDocumentError } from "../lib/iam/evaluate";
import { planResourcesOf } from "../lib/plan";
import { proveFactory } from "../lib/proofs/prove";
import { proofsMarkdown } from "../lib/proofs/summary";
import { declaredOf } from "../tenant-isolation/declared";
import type { PackUnderTest } from "./run";
import { SnapshotProviders, stackArgs } from "./runtime-args";

// The isolation proofs for the auditor's file, over the plan as the stack policies see it; and the policy documents
// of a snapshot that do not parse, which `gigafactory check` refuses as bad input before any pack runs.

const DOCUMENT_INPUTS: Readonly<Record<string, string>> = {
  "aws:iam/role:Role": "assumeRolePolicy",
  "aws:iam/rolePolicy:RolePolicy": "policy",
  "aws:iam/policy:Policy": "policy",
  "aws:kms/key:Key": "policy",
  "aws:s3/bucketPolicy:BucketPolicy": "policy",
  "aws:s3/accessPoint:AccessPoint": "policy",
};

export function malformedDocuments(resources: readonly Pick<SnapshotResource, "urn" | "type" | "name" | "inputs">[]): { urn: string; message: string }[] {
  return resources.flatMap((r) => {
    const input = Object.hasOwn(DOCUMENT_INPUTS, r.type) ? DOCUMENT_INPUTS[r.type] : undefined;
    const value = input ? r.inputs[input] : undefined;
    // An unknown or secret value is not a document yet: the proofs say "cannot prove" for it.
    if (value === undefined || (typeof value === "string" && value.startsWith("["))) return [];
    try {
      parsePolicy(value, `${r.name}.${input}`);
      return [];
    } catch (e) {
      if (e instanceof PolicyDocumentError) return [{ urn: r.urn, message: e.message }];
      throw e;
    }
  });
}

/** The proofs section of the evidence, when the tenant-isolation pack is among those run. */
export function proofsEvidenceOf(snapshot: PlanSnapshot, packs: readonly PackUnderTest[], config: Record<string, unknown>): string {
  const pack = packs.find((p) => p.name === "tenant-isolation");
  if (!pack) return "";
  const settings = (config[pack.policies[0].name] ?? {}) as Record<string, unknown>;
  const args = stackArgs(snapshot, new SnapshotProviders(snapshot), () => settings);
  return proofsMarkdown(proveFactory(planResourcesOf(args.resources), declaredOf(args)));
}
