import { buildBlueprint } from "./blueprint";
import { isProvisionable, type ProvisionableBlueprint, undecided, undecidedFinding } from "./blueprint/provisionable";
import { validateInterfaceLayouts, validateUnitPlacement } from "./checks/compute";
import { KUBERNETES_VALIDATORS } from "./checks/kubernetes";
import { validateSlurm } from "./checks/slurm";
import { slurmIdentityFindings } from "./checks/slurm-identity";
import { formatFinding, hasErrors } from "./spec/format";
import { filePath, specPath } from "./spec/paths";
import * as fs from "node:fs";
import * as path from "node:path";
import { canonicalJson } from "./lib/canonical-json";
import { readTenantsFile } from "./spec/load";
import type { Finding, FactorySpec } from "./spec/schema";
import { validateSpec } from "./spec/validate";

export { formatFinding, hasErrors };

/**
 * The folder of the stack files when it is not the program's own: a copy of the project whose layers run this
 * repository's programs. `gigafactory plan` sets it to the project's stackConfigDir, so a layer reads the copy's
 * tenants file, not the repository's.
 */
export const STACK_DIR_ENV = "GIGAFACTORY_STACK_DIR";

export interface DesignInput {
  /** The value of `gigafactory:factory` as the stack config holds it. */
  raw: unknown;
  /** The stack's `aws:region`. */
  region: string | undefined;
  stack: string;
  /** The folder that holds the stack files; a `tenantsFile` is read relative to it. */
  stackDir: string;
}

export interface Design {
  spec?: FactorySpec;
  /** Present when nothing is in error: every decision made, ready for the components. */
  blueprint?: ProvisionableBlueprint;
  findings: Finding[];
}

/** Everything a design is made from: the stack's input with the tenants file, if any, already read. */
interface DesignSource {
  raw: unknown;
  region: string | undefined;
  stack: string;
  tenantsFile?: { path: string; raw: unknown };
  readFindings: Finding[];
}

/**
 * The whole pure front of the flow: validate the spec, then size it. Errors at either stage stop here,
 * so no Pulumi resource is ever declared from a spec that does not hold.
 */
export function designFactory(input: DesignInput): Design {
  return designFrom(sourceOf(input));
}

let last: { key: string; design: Design } | undefined;

/**
 * The design of this input made once per process: `gigafactory plan` designs the stack, then runs the program,
 * which asks again and gets the same design. `fresh` says whether this call made it, so its findings are
 * reported once, by whoever designed first. Keyed by everything the design reads, the tenants file included.
 */
export function designFactoryOnce(input: DesignInput): { design: Design; fresh: boolean } {
  // Keyed by the tenants file's text, not its parse: the second caller reads bytes, the YAML is parsed once.
  const key = canonicalJson({ raw: input.raw, region: input.region, stack: input.stack, stackDir: input.stackDir, tenantsText: tenantsTextOf(input) });
  if (last?.key === key) return { design: last.design, fresh: false };
  // Shared by the engine and the program from here on: frozen, so neither can change what the other reads.
  last = { key, design: deepFreeze(designFrom(sourceOf(input))) };
  return { design: last.design, fresh: true };
}

/** The tenants file's text as it stands, or null when there is none or it cannot be read (sourceOf says why). */
function tenantsTextOf(input: DesignInput): string | null {
  const relPath = tenantsFileOf(input.raw);
  if (relPath === undefined) return null;
  try {
    return fs.readFileSync(path.join(input.stackDir, relPath), "utf8");
  } catch {
    return null;
  }
}

function sourceOf(input: DesignInput): DesignSource {
  const source: DesignSource = { raw: input.raw, region: input.region, stack: input.stack, readFindings: [] };
  const tenantsFilePath = tenantsFileOf(input.raw);
  if (tenantsFilePath !== undefined) {
    const read = readTenantsFile(input.stackDir, tenantsFilePath);
    source.readFindings = read.findings;
    if (read.raw !== undefined) source.tenantsFile = { path: tenantsFilePath, raw: read.raw };
  }
  return source;
}

function designFrom(input: DesignSource): Design {
  const findings: Finding[] = [...input.readFindings];
  const tenantsFile = input.tenantsFile;
  const validated = validateSpec(input.raw, { stack: input.stack, region: input.region, tenantsFile });
  findings.push(...validated.findings);
  if (!validated.spec || hasErrors(findings)) return { findings };
  // What the layers below would refuse, asked of the spec before anything is sized.
  findings.push(...validateInterfaceLayouts(validated.spec));
  for (const validate of KUBERNETES_VALIDATORS) findings.push(...validate(validated.spec));
  if (hasErrors(findings)) return { findings };

  const sized = buildBlueprint(validated.spec);
  findings.push(...sized.findings);
  // The blueprint as the node groups and Slurm will see it: every unit placeable, every node a Slurm node.
  const fromFile = new Set(tenantNamesIn(tenantsFile?.raw));
  const tenantPath = (t: string) => (fromFile.has(t) ? filePath(tenantsFile!.path, "tenants", t) : specPath("tenants", t));
  findings.push(...validateUnitPlacement(sized.blueprint), ...validateSlurm(sized.blueprint, { tenantPath }), ...slurmIdentityFindings(sized.blueprint, tenantPath));
  const open = undecided(sized.blueprint);
  if (open.length > 0 && !hasErrors(findings)) findings.push(undecidedFinding(validated.spec, open));
  if (hasErrors(findings) || !isProvisionable(sized.blueprint)) return { spec: validated.spec, findings };
  return { spec: validated.spec, blueprint: sized.blueprint, findings };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function tenantNamesIn(raw: unknown): string[] {
  const tenants = raw && typeof raw === "object" ? (raw as { tenants?: unknown }).tenants : undefined;
  return tenants && typeof tenants === "object" && !Array.isArray(tenants) ? Object.keys(tenants) : [];
}

function tenantsFileOf(raw: unknown): string | undefined {
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    const value = (raw as Record<string, unknown>).tenantsFile;
    if (typeof value === "string" && value.length > 0) return value;
  }
  return undefined;
}
