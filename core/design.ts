import { buildBlueprint } from "./blueprint";
import type { Blueprint } from "./blueprint/types";
import { validateInterfaceLayouts, validateUnitPlacement } from "./checks/compute";
import { KUBERNETES_VALIDATORS } from "./checks/kubernetes";
import { validateSlurm } from "./checks/slurm";
import { formatFinding, hasErrors } from "./spec/format";
import { filePath, specPath } from "./spec/paths";
import { readTenantsFile } from "./spec/load";
import type { Finding, FactorySpec } from "./spec/schema";
import { validateSpec } from "./spec/validate";

export { formatFinding, hasErrors };

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
  blueprint?: Blueprint;
  findings: Finding[];
}

/**
 * The whole pure front of the flow: validate the spec, then size it. Errors at either stage stop here,
 * so no Pulumi resource is ever declared from a spec that does not hold.
 */
export function designFactory(input: DesignInput): Design {
  const findings: Finding[] = [];
  let tenantsFile: { path: string; raw: unknown } | undefined;
  const tenantsFilePath = tenantsFileOf(input.raw);
  if (tenantsFilePath !== undefined) {
    const read = readTenantsFile(input.stackDir, tenantsFilePath);
    findings.push(...read.findings);
    if (read.raw !== undefined) tenantsFile = { path: tenantsFilePath, raw: read.raw };
  }
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
  findings.push(...validateUnitPlacement(sized.blueprint), ...validateSlurm(sized.blueprint, { tenantPath }));
  if (hasErrors(findings)) return { spec: validated.spec, findings };
  return { spec: validated.spec, blueprint: sized.blueprint, findings };
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
