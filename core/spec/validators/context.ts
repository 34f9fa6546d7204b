import type { Region } from "../../catalog/types";
import type { FactoryInput, FactorySpec, Finding, TenantInput } from "../schema";
import { filePath, specPath, type PathSegment } from "../paths";

/** What every validator past the schema reads: the sound part of the document, and the spec resolved from it. */
export interface SpecCheck {
  input: FactoryInput;
  spec: FactorySpec;
  /** Catalog facts of the stack's region; undefined when the region is missing or unknown (reported once, elsewhere). */
  region?: Region;
  fileTenants: Record<string, TenantInput>;
  /** The tenants file as the spec names it, when it was read. */
  tenantsFile?: string;
  /** Pool and tenant names the document writes, including any the schema rejected. */
  declaredPools: ReadonlySet<string>;
  declaredTenants: ReadonlySet<string>;
  /** A pool was rejected by the schema: totals over the pools would be understated, so they are not judged. */
  poolsIncomplete: boolean;
}

export type Validator = (check: SpecCheck) => Finding[];

/** The path of a tenant's field: in the spec, or in the tenants file when it comes from there. */
export function tenantPath(check: SpecCheck, name: string, ...segments: readonly PathSegment[]): string {
  if (check.input.tenants && Object.hasOwn(check.input.tenants, name)) return specPath("tenants", name, ...segments);
  if (check.tenantsFile !== undefined && Object.hasOwn(check.fileTenants, name)) return filePath(check.tenantsFile, "tenants", name, ...segments);
  return specPath("tenants", name, ...segments);
}

export function poolPath(name: string, ...segments: readonly PathSegment[]): string {
  return specPath("pools", name, ...segments);
}
