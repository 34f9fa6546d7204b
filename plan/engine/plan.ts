import { SNAPSHOT_FORMAT, type PlanSnapshot } from "../snapshot";
import { maskedConfig, packageConfig, runtimeConfig } from "./config";
import { withDefaultProviders } from "./default-providers";
import { type DesignedStack, type RejectedStack, designStack, isDesigned } from "./design-stack";
import { type PulumiProject, toolVersions } from "./project";
import type { ProgramLog, ProgramResult } from "./run";

// `gigafactory plan`: validate and size the stack, then run the real program on the offline mocks and
// record what it declares as a PlanSnapshot.

export type PlanOutcome =
  /** The spec is wrong: every finding printed, exit 2. */
  | { kind: "rejected"; rejected: RejectedStack }
  /** The program itself failed on a valid spec: exit 1. */
  | { kind: "failed"; errors: string[]; logs: ProgramLog[] }
  | { kind: "planned"; snapshot: PlanSnapshot; design: DesignedStack; unmockedInvokes: string[]; logs: ProgramLog[] };

export async function planStack(project: PulumiProject, stack: string): Promise<PlanOutcome> {
  const design = designStack(project, stack);
  if (!isDesigned(design)) return { kind: "rejected", rejected: design };
  // Loaded only now: a spec with errors never reaches Pulumi.
  const { runProgram } = require("./run") as typeof import("./run");
  const { values, secretKeys } = runtimeConfig(design.config, project.name);
  const awsConfig = packageConfig(design.config, "aws", project.name);
  const result = await runProgram({
    project: project.name,
    stack,
    program: project.programFile,
    config: values,
    secretKeys,
    defaults: { region: design.blueprint.region, defaultTags: tagsOf(awsConfig.defaultTags) },
  });
  if (result.errors.length > 0) return { kind: "failed", errors: result.errors, logs: result.logs };
  return {
    kind: "planned",
    snapshot: snapshotOf(project, design, result),
    design,
    unmockedInvokes: result.unmockedInvokes,
    logs: result.logs,
  };
}

export function snapshotOf(project: PulumiProject, design: DesignedStack, result: ProgramResult): PlanSnapshot {
  const tool = toolVersions();
  const resources = withDefaultProviders(
    result.resources,
    { stack: design.stack, project: project.name },
    (pkg) => ({
      pkg,
      version: result.versions[pkg] ?? (pkg === "aws" ? tool.aws : pkg === "kubernetes" ? tool.kubernetes : "0.0.0"),
      inputs: providerInputs(packageConfig(design.config, pkg, project.name)),
    }),
    result.invokedDefaultPackages,
  );
  return {
    format: SNAPSHOT_FORMAT,
    project: project.name,
    stack: design.stack,
    tool,
    config: maskedConfig(design.config, project.name),
    spec: plain(design.spec),
    blueprint: plain(design.blueprint) as PlanSnapshot["blueprint"],
    findings: design.findings.filter((f) => f.level !== "error"),
    resources,
  };
}

/** A provider's inputs as the engine sends them: objects as JSON text, as the SDK sends an explicit provider's. */
function providerInputs(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

function tagsOf(value: unknown): Record<string, string> {
  const tags = (value as { tags?: unknown } | undefined)?.tags;
  return tags && typeof tags === "object" ? (tags as Record<string, string>) : {};
}

/** The spec and blueprint as JSON data: no undefined fields, no prototypes. */
function plain<T>(value: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
