import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configOf, exemptionsOnlySchema, type Exemption } from "../lib/config";
import { planResourceOfArgs } from "../lib/plan";
import { reportUnlessExempt } from "../lib/report";
import { secretSightings, unmarkedSecretFields } from "../lib/secret-shapes";

// No secret in plain text anywhere in a plan (DESIGN.md "Nothing lost": secrets are Pulumi secrets, never plain
// text in state or in a snapshot). A snapshot shows a Pulumi secret as "[secret]", so any other value that looks
// like a key, a password or a token, in any field of any resource, is one the program passed in the clear.

export const noPlaintextSecrets: ResourceValidationPolicy = {
  name: "no-plaintext-secrets",
  description: "No input of any resource holds a secret in plain text: keys, passwords, tokens, PEM blocks, or random values in fields named like secrets.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Pass the value as a Pulumi secret (pulumi.secret(...), a random resource's result, or Secrets Manager), and rotate the exposed secret.",
  configSchema: exemptionsOnlySchema,
  validateResource: (args, reportViolation) => {
    const { exemptions } = configOf<{ exemptions: Exemption[] }>(args, exemptionsOnlySchema);
    const r = planResourceOfArgs(args);
    const holders = unmarkedSecretFields(r.type, r.props);
    for (const path of holders) {
      reportUnlessExempt(reportViolation, exemptions, r, { reason: `\`${path}\` holds a secret in plain text`, fix: "make it a Pulumi secret so the state and the plan show [secret], and rotate it" }, false);
    }
    // A field reported as a whole is not reported again for what is inside it.
    for (const s of secretSightings(r.props).filter((s) => !holders.some((h) => s.path === h || s.path.startsWith(`${h}.`)))) {
      reportUnlessExempt(reportViolation, exemptions, r, { reason: `\`${s.path || "(inputs)"}\` holds ${s.shape} in plain text`, fix: "pass it as a Pulumi secret (or read it from Secrets Manager at run time), and rotate it" }, false);
    }
  },
};
