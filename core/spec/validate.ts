import { boundFindings, documentBounds, specBounds } from "./bounds";
import { describeValue, issuesToFindings } from "./issues";
import { error } from "./findings";
import { filePrefix, joinPath, specPath } from "./paths";
import { resolveSpec } from "./resolve";
import { salvage } from "./salvage";
import { CONFIG_KEY, PRESETS, factoryInputSchema, tenantsFileSchema, type PresetName } from "./schema";
import type { FactorySpec, Finding, TenantInput } from "./schema";
import { validateAccess } from "./validators/access";
import { validateCapacity } from "./validators/capacity";
import type { SpecCheck, Validator } from "./validators/context";
import { validateMetadata } from "./validators/metadata";
import { validateNetwork } from "./validators/network";
import { validateNodeImages } from "./validators/node-images";
import { validatePools } from "./validators/pools";
import { validateRegion } from "./validators/region";
import { validateReservations } from "./validators/reservations";
import { validateStorage } from "./validators/storage";
import { validateTenants } from "./validators/tenants";
import { validateTenantUsers } from "./validators/tenant-users";
import { validateSlurmIdentity } from "./validators/slurm-identity";

// validateSpec: the document under gigafactory:factory → every finding, and the resolved spec when none is an error.
// Offline and pure: it reads only its arguments and the catalog.

export interface ValidateContext {
  stack: string;
  /** The stack's aws:region. */
  region: string | undefined;
  /** The tenants file the spec names, as read next to the stack (`raw` is the whole file). */
  tenantsFile?: { path: string; raw: unknown };
}

export interface Validated {
  /** Present only when no finding is an error. */
  spec?: FactorySpec;
  findings: Finding[];
}

/** The validators past the schema, one concern each. */
export const VALIDATORS: readonly Validator[] = [validatePools, validateCapacity, validateReservations, validateTenants, validateTenantUsers, validateNetwork, validateAccess, validateStorage, validateMetadata, validateNodeImages, validateSlurmIdentity];

/** The message a finding carries when validation itself failed; a test asserts no input ever produces it. */
export const VALIDATION_FAILED = "the spec could not be validated";

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function readTenantsDocument(file: { path: string; raw: unknown }): { tenants: Record<string, TenantInput>; declared: string[]; findings: Finding[] } {
  const prefix = filePrefix(file.path);
  if (!isMap(file.raw) || !Object.hasOwn(file.raw, "tenants")) {
    return {
      tenants: {},
      declared: [],
      findings: [error(file.path, `${file.path} holds ${describeValue(file.raw)} without a tenants: key`, "write tenants: and, indented under it, one entry per tenant (name: { gpuQuota: N, ... })")],
    };
  }
  const declared = isMap(file.raw.tenants) ? Object.keys(file.raw.tenants) : [];
  const salvaged = salvage(tenantsFileSchema, file.raw);
  const findings = issuesToFindings(salvaged.issues, { schema: tenantsFileSchema, document: file.raw, prefix });
  return { tenants: salvaged.value?.tenants ?? {}, declared, findings };
}

function outOfBounds(raw: Record<string, unknown>, file: ValidateContext["tenantsFile"]) {
  const shape = documentBounds(raw, (segments) => joinPath(CONFIG_KEY, ...segments));
  if (file) shape.push(...documentBounds(file.raw, (segments) => joinPath(filePrefix(file.path), ...segments)));
  if (shape.length > 0) return shape;
  return specBounds(raw, CONFIG_KEY, file ? { prefix: filePrefix(file.path), raw: file.raw } : undefined);
}

/** Every finding, and the spec resolved from the sound part of the document (even when findings are errors). */
function check(raw: unknown, ctx: ValidateContext): Validated {
  const findings: Finding[] = [];
  const region = validateRegion(ctx.region, ctx.stack);
  findings.push(...region.findings);

  if (raw === undefined || raw === null) {
    findings.push(error(CONFIG_KEY, `the stack ${ctx.stack} has no ${CONFIG_KEY}`, `add ${CONFIG_KEY}: under config: with at least preset: and pools:`));
    return { findings };
  }
  if (!isMap(raw)) {
    findings.push(error(CONFIG_KEY, `expected a map of keys (preset:, pools:, ...), got ${describeValue(raw)}`, `write ${CONFIG_KEY}: and indent its keys under it`));
    return { findings };
  }

  // Sizes first: a number or a list past what any factory can use is refused before anything reads it further.
  const bounded = outOfBounds(raw, ctx.tenantsFile);
  if (bounded.length > 0) return { findings: [...findings, ...boundFindings(bounded)] };

  const salvaged = salvage(factoryInputSchema, raw);
  findings.push(...issuesToFindings(salvaged.issues, { schema: factoryInputSchema, document: raw, prefix: CONFIG_KEY }));
  // Without a valid preset nothing parses; the rest of the document is still checked, on the smallest preset's defaults.
  const input = salvaged.value ?? (PRESETS.includes(raw.preset as PresetName) ? undefined : salvage(factoryInputSchema, { ...raw, preset: PRESETS[0] }).value);

  let fileTenants: Record<string, TenantInput> = {};
  let fileDeclared: string[] = [];
  if (ctx.tenantsFile) {
    const file = readTenantsDocument(ctx.tenantsFile);
    findings.push(...file.findings);
    fileTenants = file.tenants;
    fileDeclared = file.declared;
  } else if (typeof raw.tenantsFile === "string" && raw.tenantsFile.length > 0) {
    findings.push(error(specPath("tenantsFile"), `the tenants in ${raw.tenantsFile} were not read`, "make the file readable next to the stack file (see its own finding), or remove tenantsFile"));
  }

  if (!input) return { findings };
  const declaredPools = new Set(isMap(raw.pools) ? Object.keys(raw.pools) : []);
  const declaredTenants = new Set([...(isMap(raw.tenants) ? Object.keys(raw.tenants) : []), ...fileDeclared]);
  const spec = resolveSpec(input, { region: region.region?.name ?? ctx.region ?? "", stack: ctx.stack, fileTenants });
  const specCheck: SpecCheck = {
    input,
    spec,
    region: region.region,
    fileTenants,
    tenantsFile: ctx.tenantsFile?.path,
    declaredPools,
    declaredTenants,
    poolsIncomplete: declaredPools.size !== Object.keys(input.pools ?? {}).length,
  };
  for (const validator of VALIDATORS) findings.push(...validator(specCheck));
  return { spec, findings };
}

export function validateSpec(raw: unknown, ctx: ValidateContext): Validated {
  try {
    const { spec, findings } = check(raw, ctx);
    return findings.some((f) => f.level === "error") || !spec ? { findings } : { spec, findings };
  } catch (e) {
    return { findings: [error(CONFIG_KEY, `${VALIDATION_FAILED}: ${e instanceof Error ? e.message : String(e)}`, "report this with the stack file attached")] };
  }
}
