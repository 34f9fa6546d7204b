// The policy result of the AFTER plan, as the review shows it. The packs render their own markdown;
// this section only places it, and says so when the packs were not run.

export interface PolicyOutcome {
  /** The packs' own markdown report of the AFTER plan. */
  markdown: string;
  /** Mandatory violations: the plan must not be applied while this is above zero; absent when the report does not say. */
  mandatoryViolations?: number;
  advisoryViolations?: number;
  /** The proofs' one line (cli/diff/proven.ts), when the tenant-isolation pack ran. */
  proven?: string;
}

export function policyHeadline(outcome: PolicyOutcome | undefined): string {
  if (!outcome) return "Policy packs not run for this diff — run `gigafactory check --snapshot AFTER.json`.";
  if (outcome.mandatoryViolations === undefined) return "The policy packs' report of the plan after the change:";
  if (outcome.mandatoryViolations > 0) {
    return `**${outcome.mandatoryViolations} mandatory violation${outcome.mandatoryViolations === 1 ? "" : "s"}**: the plan must not be applied as it is.`;
  }
  if ((outcome.advisoryViolations ?? 0) > 0) {
    return `No mandatory violation; ${outcome.advisoryViolations} advisory finding${outcome.advisoryViolations === 1 ? "" : "s"}.`;
  }
  return "Every policy passes.";
}
