import type { ResourceValidationPolicy } from "@pulumi/policy";
import { carriesDataGuards, unguardedDataGuards } from "../../plan/data-guards";
import { DELETION_GUARDS, STATE_BEARING_TYPES } from "../../plan/state-bearing";
import { configOf, exemptionsOnlySchema, type Exemption } from "../lib/config";
import { planResourceOfArgs } from "../lib/plan";
import { reportUnlessExempt, type Problem } from "../lib/report";
import { asBoolean, asString, at, isOpaque } from "../lib/values";

// Data that outlives every deploy (DESIGN.md "Nothing lost"): each state-bearing resource is protected (the
// engine refuses to delete it) and retained by the service itself. The policy runtime shows a policy `protect`
// but not `retainOnDelete`, so "retained" is proven from the service's own settings: no force-destroy, deletion
// protection on, a final snapshot or backup, the longest KMS deletion window, log groups kept on destroy.

interface Guard {
  path: string;
  /** The value that leaves the data unguarded. */
  unguarded: unknown;
  /** What the service does when the input is not set. */
  defaultValue: unknown;
  fix: string;
}

// Guards the diff shares (plan/state-bearing.ts), plus the ones only deletion needs.
const EXTRA_GUARDS: Readonly<Record<string, Guard[]>> = {
  // FSx: "skipFinalBackup ... Defaults to `true`" (@pulumi/aws 7 fsx.LustreFileSystemArgs [P]).
  "aws:fsx/lustreFileSystem:LustreFileSystem": [{ path: "skipFinalBackup", unguarded: true, defaultValue: true, fix: "set skipFinalBackup: false" }],
  "aws:fsx/openZfsFileSystem:OpenZfsFileSystem": [{ path: "skipFinalBackup", unguarded: true, defaultValue: true, fix: "set skipFinalBackup: false" }],
  "aws:fsx/ontapFileSystem:OntapFileSystem": [{ path: "skipFinalBackup", unguarded: true, defaultValue: true, fix: "set skipFinalBackup: false" }],
  "aws:fsx/windowsFileSystem:WindowsFileSystem": [{ path: "skipFinalBackup", unguarded: true, defaultValue: true, fix: "set skipFinalBackup: false" }],
  // EBS: "finalSnapshot ... By default set to false" (@pulumi/aws 7 ebs.VolumeArgs [P]).
  "aws:ebs/volume:Volume": [{ path: "finalSnapshot", unguarded: false, defaultValue: false, fix: "set finalSnapshot: true" }],
  "aws:backup/vault:Vault": [{ path: "forceDestroy", unguarded: true, defaultValue: false, fix: "remove forceDestroy" }],
  // Secrets Manager: a recovery window of 0 deletes at once; the default is 30 days.
  "aws:secretsmanager/secret:Secret": [{ path: "recoveryWindowInDays", unguarded: 0, defaultValue: 30, fix: "leave recoveryWindowInDays at its 30-day default" }],
};

// KMS: 7 to 30 days, default 30 (@pulumi/aws 7 kms.KeyArgs [P]); anything shorter is less time to undo a mistake.
const KMS_LONGEST_DELETION_WINDOW_DAYS = 30;

function guardsOf(type: string): Guard[] {
  const shared = (DELETION_GUARDS[type] ?? []).map((g) => ({ path: g.path, unguarded: g.unguarded, defaultValue: g.defaultValue, fix: `set ${g.path}: ${!g.unguarded}` }));
  return [...shared, ...(EXTRA_GUARDS[type] ?? [])];
}

function normalised(value: unknown): unknown {
  const b = asBoolean(value);
  if (b !== undefined) return b;
  return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
}

export function protectionProblems(type: string, props: Record<string, unknown>, protect: boolean): Problem[] {
  const problems: Problem[] = [];
  // Any type: a property that keeps data (a reclaim policy, deletion protection, a final snapshot...) set to let
  // it go, wherever it sits in the inputs (plan/data-guards.ts). The type's own guards below say it their way.
  const own = new Set(guardsOf(type).map((g) => g.path));
  const holdsData = STATE_BEARING_TYPES.has(type) || protect;
  for (const g of unguardedDataGuards(props, holdsData).filter((g) => !own.has(g.path))) {
    problems.push({ reason: `\`${g.path}\`: ${g.what}`, fix: `set \`${g.path}\` to the value that keeps the data, or exempt the resource with a justification` });
  }
  if (!STATE_BEARING_TYPES.has(type)) return problems;
  if (!protect) problems.push({ reason: "it is not protected: a refactor or a destroy deletes it", fix: "create it with { protect: true, retainOnDelete: true }" });
  if (type === "aws:fsx/lustreFileSystem:LustreFileSystem" && (asString(props.deploymentType) ?? "SCRATCH_1").startsWith("SCRATCH")) {
    return problems;
  }
  for (const g of guardsOf(type)) {
    const raw = at(props, g.path);
    if (isOpaque(raw)) {
      problems.push({ reason: `\`${g.path}\` is not known at plan time`, fix: g.fix });
      continue;
    }
    const value = raw === undefined || raw === null ? g.defaultValue : normalised(raw);
    if (value === g.unguarded) {
      problems.push({ reason: `\`${g.path}\` is ${raw === undefined ? `not set (the service's default, ${String(g.defaultValue)}, lets the data go with the resource)` : String(raw)}`, fix: g.fix });
    }
  }
  if (type === "aws:kms/key:Key") {
    const days = props.deletionWindowInDays;
    if (typeof days === "number" && days < KMS_LONGEST_DELETION_WINDOW_DAYS) {
      problems.push({ reason: `deletionWindowInDays is ${days}: a key deleted by mistake is gone after ${days} days`, fix: `set deletionWindowInDays: ${KMS_LONGEST_DELETION_WINDOW_DAYS}` });
    }
  }
  return problems;
}

export const stateProtected: ResourceValidationPolicy = {
  name: "state-protected-and-retained",
  description: "Every state-bearing resource (buckets, file systems, volumes, keys, databases, log groups, registries, secrets) is protected and retained by the service's own deletion guards, and no resource of any type sets a reclaim policy, deletion protection, final snapshot or skip-destroy to let data go.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Create state-bearing resources with { protect: true, retainOnDelete: true } and turn on the service's guards (deletionProtection, no forceDestroy, final backups, skipDestroy on log groups).",
  configSchema: exemptionsOnlySchema,
  validateResource: (args, reportViolation) => {
    const r = planResourceOfArgs(args);
    if (!STATE_BEARING_TYPES.has(args.type) && args.opts?.protect !== true && !carriesDataGuards(r.props)) args.notApplicable("the resource holds no state a re-creation cannot bring back, and sets nothing that keeps data");
    const { exemptions } = configOf<{ exemptions: Exemption[] }>(args, exemptionsOnlySchema);
    for (const p of protectionProblems(r.type, r.props, args.opts?.protect === true)) reportUnlessExempt(reportViolation, exemptions, r, p, false);
  },
};
