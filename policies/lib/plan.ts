import type { PolicyProviderResource, PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { asRecord, asString, decoded, plain } from "./values";

// One shape for a resource, whether a policy sees it alone (validateResource) or with the whole plan
// (validateStack), with plain (unproxied) inputs, and an index over the plan for the questions policies ask.

export interface PlanProvider {
  urn: string;
  type: string;
  name: string;
  /** Provider inputs with their JSON-encoded settings decoded. */
  props: Record<string, unknown>;
}

export interface PlanResource {
  urn: string;
  type: string;
  name: string;
  props: Record<string, unknown>;
  provider?: PlanProvider;
  parent?: string;
  dependencies: string[];
  /** Per top-level input, the URNs its value came from (the runtime knows them; a snapshot does not). */
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
}

export function planProviderOf(provider: PolicyProviderResource | undefined): PlanProvider | undefined {
  if (!provider) return undefined;
  return { urn: provider.urn, type: provider.type, name: provider.name, props: decodedProviderProps(provider.props) };
}

/** A provider's inputs with the settings the SDK JSON-encodes read back as values. */
export function decodedProviderProps(props: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plain(props) ?? {})) out[k] = decoded(v);
  return out;
}

/** A provider resource seen as the provider it is. */
export function asPlanProvider(r: Pick<PlanResource, "urn" | "type" | "name" | "props">): PlanProvider {
  return { urn: r.urn, type: r.type, name: r.name, props: decodedProviderProps(r.props) };
}

export function planResourceOfArgs(args: ResourceValidationArgs): PlanResource {
  return {
    urn: args.urn,
    type: args.type,
    name: args.name,
    props: plain(args.props) ?? {},
    provider: planProviderOf(args.provider),
    parent: args.opts?.parent,
    dependencies: [],
    propertyDependencies: {},
    protect: args.opts?.protect === true,
  };
}

export function planResourcesOf(resources: readonly PolicyResource[]): PlanResource[] {
  return resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    props: plain(r.props) ?? {},
    provider: planProviderOf(r.provider),
    parent: r.parent?.urn ?? r.opts?.parent,
    dependencies: (r.dependencies ?? []).map((d) => d.urn),
    propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.map((d) => d.urn)])),
    protect: r.opts?.protect === true,
  }));
}

/** The package a type token belongs to: `aws` for `aws:s3/bucket:Bucket`. */
export function packageOf(type: string): string {
  return type.split(":")[0];
}

export function isProviderType(type: string): boolean {
  return type.startsWith("pulumi:providers:");
}

/** The explicit names an S3 bucket goes by in the plan (its `bucket` input), if it has one. */
function bucketNameOf(r: PlanResource): string | undefined {
  return asString(r.props.bucket);
}

export const BUCKET_TYPES: ReadonlySet<string> = new Set(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:s3/directoryBucket:DirectoryBucket"]);
export const KMS_KEY_TYPES: ReadonlySet<string> = new Set(["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey", "aws:kms/replicaExternalKey:ReplicaExternalKey", "aws:kms/externalKey:ExternalKey"]);
export const KMS_ALIAS_TYPE = "aws:kms/alias:Alias";

export class PlanIndex {
  readonly resources: readonly PlanResource[];
  private readonly byUrn = new Map<string, PlanResource>();
  private readonly byType = new Map<string, PlanResource[]>();
  private readonly bucketsByName = new Map<string, PlanResource>();
  private dependents?: Map<string, PlanResource[]>;

  constructor(resources: readonly PlanResource[]) {
    this.resources = resources;
    for (const r of resources) {
      this.byUrn.set(r.urn, r);
      const list = this.byType.get(r.type) ?? [];
      list.push(r);
      this.byType.set(r.type, list);
      if (BUCKET_TYPES.has(r.type)) {
        const name = bucketNameOf(r);
        if (name) this.bucketsByName.set(name, r);
      }
    }
  }

  get(urn: string): PlanResource | undefined {
    return this.byUrn.get(urn);
  }

  ofType(type: string): readonly PlanResource[] {
    return this.byType.get(type) ?? [];
  }

  ofTypes(types: Iterable<string>): PlanResource[] {
    return [...types].flatMap((t) => [...this.ofType(t)]);
  }

  /** The plan resources that depend on a resource (built once, on first use). */
  dependentsOf(urn: string): readonly PlanResource[] {
    if (!this.dependents) {
      this.dependents = new Map();
      for (const r of this.resources) {
        for (const d of new Set([...r.dependencies, ...Object.values(r.propertyDependencies).flat()])) {
          const list = this.dependents.get(d) ?? [];
          list.push(r);
          this.dependents.set(d, list);
        }
      }
    }
    return this.dependents.get(urn) ?? [];
  }

  /** The plan resources a resource's input came from: per property when known, else all its dependencies. */
  sourcesOf(r: PlanResource, topLevelKey?: string): PlanResource[] {
    const urns = (topLevelKey && r.propertyDependencies[topLevelKey]?.length ? r.propertyDependencies[topLevelKey] : r.dependencies) ?? [];
    return urns.map((u) => this.byUrn.get(u)).filter((x): x is PlanResource => x !== undefined);
  }

  /**
   * The plan's bucket a name refers to: one the plan names explicitly, or an auto-named one the resource depends
   * on whose generated name (`<logical name>-<suffix>`, or its `bucketPrefix`) the value carries.
   */
  bucketNamed(name: string, from: PlanResource): PlanResource | undefined {
    const named = this.bucketsByName.get(name);
    if (named) return named;
    const lower = name.toLowerCase();
    return this.sourcesOf(from).find((d) => {
      if (!BUCKET_TYPES.has(d.type) || bucketNameOf(d)) return false;
      const prefix = asString(d.props.bucketPrefix);
      if (prefix) return lower.startsWith(prefix.toLowerCase());
      return lower.startsWith(`${d.name.toLowerCase()}-`);
    });
  }

  /** The type chain a URN records (`a$b$c`): a resource's ancestors' types, outermost first. */
  static typeChainOf(urn: string): string[] {
    const parts = urn.split("::");
    return parts.length >= 4 ? parts[2].split("$") : [];
  }
}

export function providerRegionInput(provider: PlanProvider | undefined): unknown {
  return provider ? provider.props.region : undefined;
}

/** Tags a provider adds to every taggable resource (`defaultTags.tags`, JSON-encoded or not). */
export function providerDefaultTags(provider: PlanProvider | undefined): Record<string, unknown> {
  const defaults = asRecord(decoded(provider?.props.defaultTags));
  return asRecord(decoded(defaults?.tags)) ?? {};
}
