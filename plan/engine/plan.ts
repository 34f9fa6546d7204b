import { performance } from "node:perf_hooks";
import { LAYERS, type LayerName, layerStackName } from "../../core/blueprint/layers";
import { SNAPSHOT_FORMAT, type PlanSnapshot, type SnapshotLayer, type SnapshotResource } from "../snapshot";
import { maskedConfig, packageConfig, runtimeConfig } from "./config";
import { STACK_DIR_ENV } from "../../core/design";
import { withDefaultProviders } from "./default-providers";
import { type DesignedStack, type RejectedStack, designStack, isDesigned } from "./design-stack";
import { readLayerProjects } from "./layer-projects";
import { ProjectError, type PulumiProject, toolVersions } from "./project";
import type { ProgramLog, ProgramResult } from "./run";
import type { StackOutputs } from "./mocks";
import { formatFinding } from "../../core/spec/format";
import type { Finding } from "../../core/spec/schema";

// `gigafactory plan`: validate and size the stack, then run every layer's program on the offline mocks, in order,
// each layer's stack references answered from the plans of the layers below, and record what they declare as one
// PlanSnapshot whose resources name their layer.

export interface LayerTiming {
  layer: LayerName;
  resources: number;
  /** Wall-clock seconds the layer's program took offline. */
  seconds: number;
}

export type PlanOutcome =
  /** The spec is wrong: every finding printed, exit 2. */
  | { kind: "rejected"; rejected: RejectedStack }
  /** The program itself failed on a valid spec: exit 1. */
  | { kind: "failed"; layer?: LayerName; programFile: string; errors: string[]; logs: ProgramLog[] }
  | { kind: "planned"; snapshot: PlanSnapshot; design: DesignedStack; unmockedInvokes: string[]; logs: ProgramLog[]; timings: LayerTiming[] };

export interface PlanOptions {
  /** Record this layer only; the layers below still run, to answer its stack references. */
  layer?: LayerName;
  /** Told as each layer's program starts and ends (the CLI's progress line). */
  onLayer?: (event: { layer?: LayerName; resources?: number; seconds?: number }) => void;
  /** What the design alone already refuses (e.g. against a baseline): errors here end the plan before any program runs. */
  refuse?: (design: DesignedStack) => Finding[];
}

export async function planStack(project: PulumiProject, stack: string, options: PlanOptions = {}): Promise<PlanOutcome> {
  const design = designStack(project, stack);
  if (!isDesigned(design)) return { kind: "rejected", rejected: design };
  const refused = options.refuse?.(design) ?? [];
  if (refused.length > 0) return { kind: "rejected", rejected: { findings: refused, messages: refused.map((f) => formatFinding(f)) } };
  const layerProjects = readLayerProjects(project);
  if (options.layer && !layerProjects) throw new ProjectError(`${project.dir}: the project has no layers/ — plan it whole, without --layer`);
  // Loaded only now: a spec with errors never reaches Pulumi.
  const { runProgram, DEFAULT_ORGANIZATION } = require("./run") as typeof import("./run");
  const awsConfig = packageConfig(design.config, "aws", project.name);
  const answered = new Map<string, StackOutputs>();
  const planned: PlannedLayer[] = [];
  const timings: LayerTiming[] = [];
  const unmocked = new Set<string>();
  const logs: ProgramLog[] = [];
  const last = options.layer ? LAYERS.indexOf(options.layer) : LAYERS.length - 1;
  // A project without layers is one stack: its own program, planned once.
  const runs: { layer?: LayerName; project: PulumiProject }[] = layerProjects
    ? LAYERS.slice(0, last + 1).map((layer) => ({ layer, project: layerProjects[layer] }))
    : [{ project }];
  // The programs read the tenants file where the engine did (core/design.ts STACK_DIR_ENV).
  const stackDirBefore = process.env[STACK_DIR_ENV];
  process.env[STACK_DIR_ENV] = project.stackDir;
  try {
    for (const { layer, project: layerProject } of runs) {
      const { values, secretKeys } = runtimeConfig(design.config, layerProject.name);
      const started = performance.now();
      options.onLayer?.({ layer });
      const result = await runProgram({
        project: layerProject.name,
        stack,
        program: freshModule(layerProject.programFile),
        config: values,
        secretKeys,
        defaults: { region: design.blueprint.region, defaultTags: tagsOf(awsConfig.defaultTags) },
        stackOutputs: answered,
        organization: DEFAULT_ORGANIZATION,
      });
      options.onLayer?.({ layer, resources: result.resources.length, seconds: (performance.now() - started) / 1000 });
      if (result.errors.length > 0) return { kind: "failed", layer, programFile: layerProject.programFile, errors: result.errors, logs: result.logs };
      if (layer) answered.set(layerStackName(DEFAULT_ORGANIZATION, project.name, layer, stack), result.exports);
      result.unmockedInvokes.forEach((t) => unmocked.add(t));
      logs.push(...result.logs);
      if (options.layer && options.layer !== layer) continue;
      planned.push({ layer, project: layerProject, result });
      if (layer) timings.push({ layer, resources: result.resources.length, seconds: (performance.now() - started) / 1000 });
    }
  } finally {
    if (stackDirBefore === undefined) delete process.env[STACK_DIR_ENV];
    else process.env[STACK_DIR_ENV] = stackDirBefore;
  }
  return { kind: "planned", snapshot: snapshotOf(project, design, planned), design, unmockedInvokes: [...unmocked].sort(), logs, timings };
}

/** The program of a project, run afresh: Pulumi starts a process per stack, the offline engine one module load per layer. */
function freshModule(file: string): () => unknown {
  return () => {
    delete require.cache[require.resolve(file)];
    return require(file);
  };
}

/** One stack's plan: a layer's, or the whole program's where the project has no layers. */
interface PlannedLayer {
  layer?: LayerName;
  project: PulumiProject;
  result: ProgramResult;
}

export function snapshotOf(project: PulumiProject, design: DesignedStack, layers: readonly PlannedLayer[]): PlanSnapshot {
  const tool = toolVersions();
  const resources: SnapshotResource[] = [];
  const layerList: SnapshotLayer[] = [];
  for (const { layer, project: layerProject, result } of layers) {
    const withDefaults = withDefaultProviders(
      result.resources,
      { stack: design.stack, project: layerProject.name },
      (pkg) => ({
        pkg,
        version: result.versions[pkg] ?? (pkg === "aws" ? tool.aws : pkg === "kubernetes" ? tool.kubernetes : "0.0.0"),
        inputs: providerInputs(packageConfig(design.config, pkg, layerProject.name)),
      }),
      result.invokedDefaultPackages,
    );
    if (!layer) {
      resources.push(...withDefaults);
      continue;
    }
    for (const r of withDefaults) resources.push({ ...r, layer });
    layerList.push({ name: layer, project: layerProject.name, stack: design.stack, outputs: result.exports.sources });
  }
  return {
    format: SNAPSHOT_FORMAT,
    project: project.name,
    stack: design.stack,
    tool,
    config: maskedConfig(design.config, project.name),
    spec: plain(design.spec),
    blueprint: plain(design.blueprint) as PlanSnapshot["blueprint"],
    findings: design.findings.filter((f) => f.level !== "error"),
    ...(layerList.length > 0 ? { layers: layerList } : {}),
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
