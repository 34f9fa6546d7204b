import * as path from "node:path";
import { designFactoryOnce, formatFinding } from "../../core/design";
import type { ProvisionableBlueprint } from "../../core/blueprint/provisionable";
import { loadStack } from "../../core/spec/load";
import { CONFIG_KEY, type FactorySpec, type Finding } from "../../core/spec/schema";
import type { StackConfig } from "./config";
import type { PulumiProject } from "./project";

// The pure front of every verb that reads a stack: load the stack file, validate and size the spec.
// Nothing here loads Pulumi, so bad input stops before any program code runs. The design is made once per
// process: the program `plan` runs next asks for the same one and gets it (core/design.ts designFactoryOnce).

export interface DesignedStack {
  stack: string;
  file: string;
  config: StackConfig;
  spec: FactorySpec;
  blueprint: ProvisionableBlueprint;
  /** Warnings and infos: errors never get this far. */
  findings: Finding[];
  /** Each finding as the CLI prints it, with file:line:column where the YAML locates it. */
  messages: string[];
}

export interface RejectedStack {
  findings: Finding[];
  messages: string[];
}

export function designStack(project: PulumiProject, stack: string): DesignedStack | RejectedStack {
  const loaded = loadStack(project.stackDir, stack);
  const print = (f: Finding) => {
    const at = loaded.locate(f.path);
    return formatFinding(f, at ? `${path.relative(process.cwd(), loaded.file) || loaded.file}:${at.line}:${at.column}` : undefined);
  };
  if (loaded.findings.some((f) => f.level === "error")) return { findings: loaded.findings, messages: loaded.findings.map(print) };
  const region = loaded.config["aws:region"];
  const { design } = designFactoryOnce({
    raw: loaded.config[CONFIG_KEY],
    region: typeof region === "string" ? region : undefined,
    stack,
    stackDir: project.stackDir,
  });
  const findings = [...loaded.findings, ...design.findings];
  if (!design.spec || !design.blueprint || findings.some((f) => f.level === "error")) return { findings, messages: findings.map(print) };
  return { stack, file: loaded.file, config: loaded.config, spec: design.spec, blueprint: design.blueprint, findings, messages: findings.map(print) };
}

export function isDesigned(d: DesignedStack | RejectedStack): d is DesignedStack {
  return "blueprint" in d;
}
