import type { EnforcementLevel, Policies, Policy, ReportViolation, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import type { PlanSnapshot } from "../../plan/snapshot";
import { PolicyConfigError, reconcileConfig, type ReconciledPolicyConfig } from "./pack-config";
import { NotApplicable, resourceArgs, SnapshotProviders, stackArgs, UnknownValueError } from "./runtime-args";

// Runs policy packs over a PlanSnapshot the way @pulumi/policy's analyzer runs them in `pulumi preview`
// (server.js): each resource policy on every resource of the plan, then each stack policy on the whole plan;
// enforcement levels from config, then the policy, then the pack (default advisory); disabled policies skipped;
// a value unknown during preview turns that policy's result into an advisory "can't run during preview".
// One difference on purpose: where the runtime aborts the whole analysis when a policy throws, the harness
// reports the error against that policy and runs the others.

export interface PackUnderTest {
  name: string;
  version: string;
  enforcementLevel?: EnforcementLevel;
  policies: Policies;
}

export interface PolicyDiagnostic {
  pack: string;
  packVersion: string;
  policy: string;
  description: string;
  enforcementLevel: "mandatory" | "advisory";
  severity?: string;
  /** The policy's own message (the runtime prefixes it with the description). */
  message: string;
  urn?: string;
  resourceType?: string;
  resourceName?: string;
  remediation?: string;
  /** The policy could not run because a value is unknown during preview. */
  unknownDuringPreview?: boolean;
}

export interface PolicyFailure {
  pack: string;
  policy: string;
  urn?: string;
  message: string;
}

export interface PolicyRun {
  pack: string;
  policy: string;
  enforcementLevel: EnforcementLevel;
  kind: "resource" | "stack";
  /** Resources (or 1 for a stack policy) the policy applied to. */
  applied: number;
  notApplicable: number;
  violations: number;
}

export interface CheckResult {
  project: string;
  stack: string;
  resources: number;
  packs: { name: string; version: string }[];
  runs: PolicyRun[];
  diagnostics: PolicyDiagnostic[];
  failures: PolicyFailure[];
  durationMs: number;
}

export interface RunOptions {
  /** A `--policy-pack-config` document (policy name or "all" → level or settings). */
  config?: Record<string, unknown>;
  stackTags?: ReadonlyMap<string, string>;
}

function isResourcePolicy(p: Policy): p is ResourceValidationPolicy {
  const v = (p as ResourceValidationPolicy).validateResource;
  if (typeof v === "function") return true;
  if (Array.isArray(v)) return v.every((f) => typeof f === "function");
  return typeof (p as ResourceValidationPolicy).remediateResource === "function";
}

function isStackPolicy(p: Policy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

function pulumiTypeOf(fn: unknown): string | undefined {
  const t = (fn as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof t === "string" && t.length > 0 ? t : undefined;
}

interface Ctx {
  pack: PackUnderTest;
  snapshot: PlanSnapshot;
  byUrn: Map<string, { type: string; name: string }>;
  diagnostics: PolicyDiagnostic[];
  failures: PolicyFailure[];
}

/** server.js makeReportViolationFun, recording instead of sending. */
function reporter(ctx: Ctx, p: Policy, level: "mandatory" | "advisory", fixedUrn: string | undefined, count: () => void): ReportViolation {
  return (message: unknown, urn?: string) => {
    count();
    const info = typeof message === "object" && message !== null ? (message as Record<string, string | undefined>) : undefined;
    const target = fixedUrn ?? (info ? info.urn : urn);
    const resource = target ? ctx.byUrn.get(target) : undefined;
    ctx.diagnostics.push({
      pack: ctx.pack.name,
      packVersion: ctx.pack.version,
      policy: info?.name ?? p.name,
      description: info?.description ?? p.description,
      enforcementLevel: ((info?.enforcementLevel as "mandatory" | "advisory" | undefined) ?? level),
      severity: info?.severity ?? p.severity,
      message: info ? (info.message ?? info.description ?? p.description) : String(message ?? ""),
      urn: target,
      resourceType: resource?.type,
      resourceName: resource?.name,
      remediation: p.remediationSteps,
    });
  };
}

function runtimeLevel(level: EnforcementLevel): "mandatory" | "advisory" {
  // A remediation that still leaves a violation is reported as mandatory (server.js).
  return level === "advisory" ? "advisory" : "mandatory";
}

function caught(ctx: Ctx, p: Policy, e: unknown, urn: string | undefined, run: PolicyRun): void {
  if (e instanceof NotApplicable) {
    run.notApplicable++;
    return;
  }
  if (e instanceof UnknownValueError) {
    const resource = urn ? ctx.byUrn.get(urn) : undefined;
    ctx.diagnostics.push({
      pack: ctx.pack.name,
      packVersion: ctx.pack.version,
      policy: p.name,
      description: p.description,
      enforcementLevel: "advisory",
      severity: p.severity,
      message: `can't run policy '${p.name}' from policy pack '${ctx.pack.name}@v${ctx.pack.version}' during preview: ${(e as Error).message}`,
      urn,
      resourceType: resource?.type,
      resourceName: resource?.name,
      remediation: p.remediationSteps,
      unknownDuringPreview: true,
    });
    return;
  }
  const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  ctx.failures.push({ pack: ctx.pack.name, policy: p.name, urn, message: `Error validating ${urn ? `resource ${urn}` : "the stack"} with policy '${p.name}': ${error}` });
}

async function runPack(ctx: Ctx, options: RunOptions): Promise<PolicyRun[]> {
  const { pack, snapshot } = ctx;
  const packLevel = pack.enforcementLevel ?? "advisory";
  const config = reconcileConfig(pack.policies, packLevel, options.config ?? {});
  const providers = new SnapshotProviders(snapshot);
  const runs: PolicyRun[] = [];
  const configOf = (p: Policy): ReconciledPolicyConfig => config.get(p.name)!;

  for (const p of pack.policies) {
    const level = configOf(p).enforcementLevel;
    if (level === "disabled") {
      runs.push({ pack: pack.name, policy: p.name, enforcementLevel: level, kind: isStackPolicy(p) ? "stack" : "resource", applied: 0, notApplicable: 0, violations: 0 });
    }
  }

  for (const p of pack.policies) {
    const level = configOf(p).enforcementLevel;
    if (level === "disabled" || !isResourcePolicy(p)) continue;
    const run: PolicyRun = { pack: pack.name, policy: p.name, enforcementLevel: level, kind: "resource", applied: 0, notApplicable: 0, violations: 0 };
    runs.push(run);
    if (!p.validateResource) {
      run.notApplicable += snapshot.resources.length;
      continue;
    }
    const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
    const fastType = Array.isArray(p.validateResource) ? undefined : pulumiTypeOf(p.validateResource);
    const getConfig = () => configOf(p).properties;
    for (const r of snapshot.resources) {
      if (fastType && r.type !== fastType) {
        run.notApplicable++;
        continue;
      }
      const report = reporter(ctx, p, runtimeLevel(level), r.urn, () => run.violations++);
      let applied = true;
      for (const validation of validations) {
        try {
          await Promise.resolve(validation(resourceArgs(r, providers, getConfig, options.stackTags), report));
        } catch (e) {
          if (e instanceof NotApplicable) applied = false;
          caught(ctx, p, e, r.urn, run);
        }
      }
      if (applied) run.applied++;
    }
  }

  let shared: StackValidationArgs | undefined;
  for (const p of pack.policies) {
    const level = configOf(p).enforcementLevel;
    if (level === "disabled" || !isStackPolicy(p)) continue;
    const run: PolicyRun = { pack: pack.name, policy: p.name, enforcementLevel: level, kind: "stack", applied: 0, notApplicable: 0, violations: 0 };
    runs.push(run);
    const fastType = pulumiTypeOf(p.validateStack);
    if (fastType && !snapshot.resources.some((r) => r.type === fastType)) {
      run.notApplicable++;
      continue;
    }
    const report = reporter(ctx, p, runtimeLevel(level), undefined, () => run.violations++);
    try {
      // The plan's resources are read once for every stack policy of the pack; each policy gets its own config.
      shared ??= stackArgs(snapshot, providers, () => ({}), options.stackTags);
      await Promise.resolve(p.validateStack({ ...shared, getConfig: (<T extends object>() => structuredClone(configOf(p).properties) as T) as StackValidationArgs["getConfig"] }, report));
      run.applied++;
    } catch (e) {
      if (!(e instanceof NotApplicable)) run.applied++;
      caught(ctx, p, e, undefined, run);
    }
  }
  return runs;
}

/** Runs the packs over the snapshot. Throws PolicyConfigError when the config would be refused by the CLI. */
export async function runPacks(snapshot: PlanSnapshot, packs: readonly PackUnderTest[], options: RunOptions = {}): Promise<CheckResult> {
  const started = performance.now();
  // Every pack's config first, so one run names every problem of the document, not the first pack's only.
  const problems = packs.flatMap((pack) => {
    try {
      reconcileConfig(pack.policies, pack.enforcementLevel ?? "advisory", options.config ?? {});
      return [];
    } catch (e) {
      if (e instanceof PolicyConfigError) return e.problems;
      throw e;
    }
  });
  if (problems.length > 0) throw new PolicyConfigError(problems);
  new SnapshotProviders(snapshot).checkAll();
  const byUrn = new Map(snapshot.resources.map((r) => [r.urn, { type: r.type, name: r.name }]));
  const diagnostics: PolicyDiagnostic[] = [];
  const failures: PolicyFailure[] = [];
  const runs: PolicyRun[] = [];
  for (const pack of packs) {
    runs.push(...(await runPack({ pack, snapshot, byUrn, diagnostics, failures }, options)));
  }
  return {
    project: snapshot.project,
    stack: snapshot.stack,
    resources: snapshot.resources.length,
    packs: packs.map((p) => ({ name: p.name, version: p.version })),
    runs,
    diagnostics,
    failures,
    durationMs: Math.round(performance.now() - started),
  };
}

/** 0 clean (advisory diagnostics allowed), 1 a mandatory violation or a policy that failed to run. */
export function exitCodeOf(result: CheckResult): 0 | 1 {
  return result.failures.length > 0 || result.diagnostics.some((d) => d.enforcementLevel === "mandatory") ? 1 : 0;
}
