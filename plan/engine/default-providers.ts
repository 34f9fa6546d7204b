import type { SnapshotResource } from "../snapshot";
import { uuidOf } from "./identity";
import { noResourceOptions } from "./record";

// `pulumi up` creates a provider for every package a resource (or data source) uses without naming one,
// configured from the stack's `<package>:*` keys. The snapshot lists it like any other provider, so every
// resource's region can be read from the snapshot alone.

export interface DefaultProvider {
  pkg: string;
  version: string;
  inputs: Record<string, unknown>;
}

/** `default_7_48_0`: the name the engine gives the default provider of a package version. */
export function defaultProviderName(version: string): string {
  return `default_${version.replace(/[.\-+]/g, "_")}`;
}

export function defaultProviderUrn(stack: string, project: string, pkg: string, version: string): string {
  return `urn:pulumi:${stack}::${project}::pulumi:providers:${pkg}::${defaultProviderName(version)}`;
}

/** Pulumi's built-in provider, which reads stack references: one per stack, named `default`, of no version. */
const BUILTIN = "pulumi";
const BUILTIN_READS = new Set(["pulumi:pulumi:StackReference"]);

/** The package a resource type belongs to; provider and component types (and `pulumi:*` but the built-in's reads) have no provider. */
export function packageOf(resource: Pick<SnapshotResource, "type" | "custom">): string | undefined {
  if (!resource.custom) return undefined;
  if (BUILTIN_READS.has(resource.type)) return BUILTIN;
  const pkg = resource.type.split(":")[0];
  return pkg === BUILTIN ? undefined : pkg;
}

/**
 * Inserts each needed default provider just before the first resource that uses it (where the engine would
 * create it) and points those resources at it. `alsoNeeded` are packages only a data source used.
 */
export function withDefaultProviders(
  resources: SnapshotResource[],
  scope: { stack: string; project: string },
  providerFor: (pkg: string) => DefaultProvider,
  alsoNeeded: Iterable<string> = [],
): SnapshotResource[] {
  const created = new Map<string, string>();
  const out: SnapshotResource[] = [];
  const ensure = (pkg: string): string => {
    const existing = created.get(pkg);
    if (existing) return existing;
    const p = pkg === BUILTIN ? { pkg, version: "", inputs: {} } : providerFor(pkg);
    const name = pkg === BUILTIN ? "default" : defaultProviderName(p.version);
    const urn = `urn:pulumi:${scope.stack}::${scope.project}::pulumi:providers:${pkg}::${name}`;
    const ref = `${urn}::${uuidOf(urn)}`;
    created.set(pkg, ref);
    out.push({
      urn,
      type: `pulumi:providers:${pkg}`,
      name,
      parent: null,
      provider: null,
      custom: true,
      inputs: pkg === BUILTIN ? {} : { ...p.inputs, version: p.version },
      dependencies: [],
      ...noResourceOptions(),
    });
    return ref;
  };
  for (const r of resources) {
    const pkg = packageOf(r);
    if (pkg && r.provider === null) out.push({ ...r, provider: ensure(pkg) });
    else out.push(r);
  }
  for (const pkg of [...alsoNeeded].sort()) if (pkg !== "pulumi") ensure(pkg);
  return out;
}
