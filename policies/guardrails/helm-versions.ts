import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configOf, exemptionsOnlySchema, type Exemption } from "../lib/config";
import { planResourceOfArgs } from "../lib/plan";
import { reportUnlessExempt, type Problem } from "../lib/report";
import { asString, isOpaque } from "../lib/values";

// A chart without an exact version installs whatever is newest the day it runs: two deploys of the same commit
// differ. Every release names an exact version (SemVer 2.0) or an OCI digest (docs/sources.md#helm-chart-versions).

const HELM_TYPES = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"]);
const EXACT_SEMVER = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export function helmVersionProblem(props: Record<string, unknown>): Problem | undefined {
  const chart = asString(props.chart) ?? "";
  if (/^(\.{1,2}\/|\/)/.test(chart)) return undefined;
  if (/@sha256:[0-9a-f]{64}$/.test(chart)) return undefined;
  const version = props.version;
  if (version === undefined || version === null || version === "") {
    return { reason: `chart ${chart || "(unnamed)"} has no version: Helm installs the newest one`, fix: "set `version` to the exact chart version you tested" };
  }
  if (isOpaque(version)) return { reason: "the chart version is not known at plan time", fix: "set `version` as a plain exact version" };
  if (typeof version !== "string" || !EXACT_SEMVER.test(version)) {
    return { reason: `chart ${chart} version ${JSON.stringify(version)} is a range or a tag, not an exact version`, fix: "set `version` to an exact SemVer such as 1.2.3" };
  }
  return undefined;
}

export const helmPinnedVersions: ResourceValidationPolicy = {
  name: "helm-pinned-versions",
  description: "Every Helm release installs an exact chart version (or an OCI digest).",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: "Set `version` on every helm.v3.Release (and helm.v4.Chart) to the exact version tested, e.g. \"0.5.30\".",
  configSchema: exemptionsOnlySchema,
  validateResource: (args, reportViolation) => {
    if (!HELM_TYPES.has(args.type)) args.notApplicable("only Helm releases have chart versions");
    const { exemptions } = configOf<{ exemptions: Exemption[] }>(args, exemptionsOnlySchema);
    const r = planResourceOfArgs(args);
    const p = helmVersionProblem(r.props);
    if (p) reportUnlessExempt(reportViolation, exemptions, r, p, false);
  },
};
