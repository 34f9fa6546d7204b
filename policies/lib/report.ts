import type { ReportViolation } from "@pulumi/policy";
import { exemptionFor, type Exemption, type Subject } from "./config";

// One way to word a violation: what is wrong, then what to do, so every line a user reads is actionable.

export interface Problem {
  reason: string;
  fix: string;
}

export function sentence(problem: Problem): string {
  return `${problem.reason} — ${problem.fix}`;
}

/**
 * Reports a problem unless an exemption with a justification covers the subject. Stack policies pass the
 * subject's URN so the violation names the resource; resource policies' URN is the runtime's own.
 */
export function reportUnlessExempt(
  reportViolation: ReportViolation,
  exemptions: readonly Exemption[] | undefined,
  subject: Subject,
  problem: Problem,
  withUrn: boolean,
): void {
  if (exemptionFor(exemptions, subject)) return;
  if (withUrn) reportViolation(sentence(problem), subject.urn);
  else reportViolation(sentence(problem));
}
