import { inputStrings, sourcesThrough, stackReferenceLeaves } from "../../plan/stack-references";
import type {
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import type { PlanSnapshot, SnapshotResource } from "../../plan/snapshot";
import { SnapshotError } from "../../plan/snapshot";
import { UNKNOWN_STRING } from "../lib/values";

// Builds, from a PlanSnapshot, the very arguments @pulumi/policy's analyzer builds from the engine's requests
// (server.js makeAnalyzeRpcFun / makeAnalyzeStackRpcFun): props behind the unknown-checking proxy, the resource's
// provider with its inputs (the default provider made from the stack's config when none is named), the options
// the runtime exposes (no retainOnDelete: the runtime does not pass it), isType/asType by type token, and
// notApplicable as a throw.

// The runtime's proxy: it throws UnknownValueError on a value unknown during preview.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeProxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(v: T): T; UnknownValueError: new (...a: unknown[]) => Error };

export const UnknownValueError = runtimeProxy.UnknownValueError;

/** What the offline engine writes for an input unknown at plan time (plan/engine/record.ts UNKNOWN_MARK). */
export const SNAPSHOT_UNKNOWN_MARK = "[unknown]";

export class NotApplicable extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

/** Inputs as the runtime deserialises them: plain JSON, with the snapshot's unknown mark turned into the runtime's sentinel. */
export function runtimeValue(value: unknown): unknown {
  if (value === SNAPSHOT_UNKNOWN_MARK) return UNKNOWN_STRING;
  if (Array.isArray(value)) return value.map(runtimeValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    // The runtime treats properties with undefined values as absent (deserialize.js).
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) out[k] = runtimeValue(v);
    return out;
  }
  return value;
}

function proxied(inputs: Record<string, unknown>): Record<string, unknown> {
  return runtimeProxy.unknownCheckingProxy(runtimeValue(inputs) as Record<string, unknown>);
}

interface TypeClass {
  __pulumiType?: unknown;
  isInstance?: (o: unknown) => boolean;
}

/** server.js isTypeOf: the class's attached type token, else its isInstance. */
export function isTypeOf(type: string, resourceClass: unknown): boolean {
  const token = (resourceClass as TypeClass | undefined)?.__pulumiType;
  if (typeof token === "string" && token.length > 0) return type === token;
  const isInstance = (resourceClass as TypeClass | undefined)?.isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

export function optionsOf(r: SnapshotResource): PolicyResourceOptions {
  const opts: PolicyResourceOptions = {
    protect: r.protect,
    ignoreChanges: [...r.ignoreChanges],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [...r.additionalSecretOutputs],
  };
  if (r.deleteBeforeReplace) opts.deleteBeforeReplace = true;
  if (r.parent) opts.parent = r.parent;
  return opts;
}

function nameOfUrn(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/** A provider reference `<urn>::<id>` → its URN. */
export function providerUrnOf(ref: string): string {
  const i = ref.lastIndexOf("::");
  return i > 0 ? ref.slice(0, i) : ref;
}

/** Resolves every resource's provider the way the engine does, from the snapshot alone. */
export class SnapshotProviders {
  private readonly byUrn = new Map<string, SnapshotResource>();
  private readonly defaults = new Map<string, { urn: string; name: string; inputs: Record<string, unknown> }>();

  constructor(private readonly snapshot: PlanSnapshot) {
    for (const r of snapshot.resources) this.byUrn.set(r.urn, r);
  }

  /** Resolves every resource's provider once, so a snapshot naming a provider it lacks is refused before any policy runs. */
  checkAll(): void {
    for (const r of this.snapshot.resources) this.providerOf(r);
  }

  /** The provider the runtime hands a policy for this resource, or undefined (components, providers, the stack). */
  providerOf(r: SnapshotResource): { urn: string; type: string; name: string; inputs: Record<string, unknown> } | undefined {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) return undefined;
    if (r.provider) {
      const urn = providerUrnOf(r.provider);
      const p = this.byUrn.get(urn);
      if (!p) throw new SnapshotError(`resource ${r.urn} names provider ${r.provider}, which the snapshot does not contain — a snapshot lists every provider, default ones included`);
      return { urn: p.urn, type: p.type, name: p.name, inputs: p.inputs };
    }
    return this.defaultProvider(r.type.split(":")[0]);
  }

  /** The default provider of a package: the snapshot's own, else the one the engine would build from the stack config. */
  private defaultProvider(pkg: string) {
    const cached = this.defaults.get(pkg);
    if (cached) return { ...cached, type: `pulumi:providers:${pkg}` };
    const listed = this.snapshot.resources.find((p) => p.type === `pulumi:providers:${pkg}` && p.name.startsWith("default"));
    const made = listed
      ? { urn: listed.urn, name: listed.name, inputs: listed.inputs }
      : {
          urn: `urn:pulumi:${this.snapshot.stack}::${this.snapshot.project}::pulumi:providers:${pkg}::default`,
          name: "default",
          inputs: Object.fromEntries(
            Object.entries(this.snapshot.config)
              .filter(([k]) => k.startsWith(`${pkg}:`))
              .map(([k, v]) => [k.slice(pkg.length + 1), typeof v === "string" ? v : JSON.stringify(v)]),
          ),
        };
    this.defaults.set(pkg, made);
    return { ...made, type: `pulumi:providers:${pkg}` };
  }
}

function policyProvider(p: ReturnType<SnapshotProviders["providerOf"]>): PolicyProviderResource | undefined {
  return p ? { type: p.type, urn: p.urn, name: p.name, props: proxied(p.inputs) } : undefined;
}

const EMPTY_TAGS: ReadonlyMap<string, string> = new Map();

/** The argument bag of one validateResource call. */
export function resourceArgs(
  r: SnapshotResource,
  providers: SnapshotProviders,
  getConfig: () => Record<string, unknown>,
  stackTags: ReadonlyMap<string, string> = EMPTY_TAGS,
): ResourceValidationArgs {
  const props = proxied(r.inputs);
  const args: ResourceValidationArgs = {
    type: r.type,
    props,
    urn: r.urn,
    name: r.name || nameOfUrn(r.urn),
    opts: optionsOf(r),
    stackTags,
    isType: (cls) => isTypeOf(r.type, cls),
    asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
    getConfig: (<T extends object>() => structuredClone(getConfig()) as T) as ResourceValidationArgs["getConfig"],
    notApplicable: throwNotApplicable,
  };
  const provider = policyProvider(providers.providerOf(r));
  if (provider) args.provider = provider;
  return args;
}

/** The argument bag of one validateStack call: every resource, linked to its parent and dependencies. */
export function stackArgs(
  snapshot: PlanSnapshot,
  providers: SnapshotProviders,
  getConfig: () => Record<string, unknown>,
  stackTags: ReadonlyMap<string, string> = EMPTY_TAGS,
): StackValidationArgs {
  const resources: PolicyResource[] = snapshot.resources.map((r) => {
    const props = proxied(r.inputs);
    const resource: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name || nameOfUrn(r.urn),
      opts: optionsOf(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => isTypeOf(r.type, cls),
      asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
    };
    const provider = policyProvider(providers.providerOf(r));
    if (provider) resource.provider = provider;
    return resource;
  });
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  // A stack reference stands for the resources of the layer below whose values it reads.
  const leaves = stackReferenceLeaves(snapshot);
  snapshot.resources.forEach((r, i) => {
    if (r.parent && byUrn.has(r.parent)) resources[i].parent = byUrn.get(r.parent);
    // The inputs' texts are read once, whichever of its stack references a resource reads.
    const reads = r.dependencies.filter((d) => leaves.has(d));
    const texts = reads.length > 0 ? inputStrings(r) : [];
    const urns = new Set([...r.dependencies, ...reads.flatMap((d) => sourcesThrough(r, leaves.get(d)!, texts))]);
    resources[i].dependencies = [...urns].map((d) => byUrn.get(d)).filter((d): d is PolicyResource => d !== undefined);
  });
  return {
    resources,
    stackTags,
    getConfig: (<T extends object>() => structuredClone(getConfig()) as T) as StackValidationArgs["getConfig"],
    notApplicable: throwNotApplicable,
  };
}
