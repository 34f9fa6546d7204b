import type * as pulumi from "@pulumi/pulumi";
import { type Place, placeOf } from "./identity";
import { INVOKES } from "./invokes";
import { createResource } from "./outputs";

/** What a provider decides for the resources it manages: the region and the tags it adds. */
export interface ProviderFacts {
  region: string;
  defaultTags: Record<string, string>;
}

/**
 * The offline engine's answers to the SDK: realistic resource state and data-source results, placed in the
 * region of the provider each request names. Tokens with no answer are collected, never thrown: a rejected
 * `call` reaches the program as an error with an empty message.
 */
/** A stack's outputs as a stack reference reads them. */
export interface StackOutputs {
  outputs: Record<string, unknown>;
  secretOutputNames: string[];
  /** Per output leaf (`subnetIds.sys-a`), its value and the resources it came from (what the snapshot's `layers` keep). */
  sources: Record<string, OutputSource>;
}

/** Where one stack output (or one leaf of it) came from; a secret's value is left out. */
export interface OutputSource {
  value?: unknown;
  from: string[];
}

const STACK_REFERENCE = "pulumi:pulumi:StackReference";

export class OfflineMocks implements pulumi.runtime.Mocks {
  /** Provider reference (`<urn>::<id>`) → what that provider decides; "" is the default provider. */
  readonly providers = new Map<string, ProviderFacts>();
  readonly unmockedInvokes = new Set<string>();
  /** Packages whose default provider an invoke used (resources show it in their own request). */
  readonly invokedDefaultPackages = new Set<string>();
  constructor(
    private readonly defaults: ProviderFacts,
    private readonly stacks: ReadonlyMap<string, StackOutputs> = new Map(),
  ) {}

  private facts(providerRef: string | undefined): ProviderFacts {
    return (providerRef && this.providers.get(providerRef)) || this.defaults;
  }

  /** Pulumi's entry point (reads of existing resources): ids derived from the type and name. */
  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    if (args.type === STACK_REFERENCE) return this.stackReference(String(args.inputs.name ?? args.id ?? args.name));
    return this.create(`${args.type}::${args.name}`, args);
  }

  /** A stack reference reads the outputs of a stack planned before this one; a stack not planned has none. */
  private stackReference(stack: string): pulumi.runtime.MockResourceResult {
    const read = this.stacks.get(stack);
    if (!read) throw new Error(`stack reference ${stack}: no such stack was planned before this one`);
    return { id: stack, state: { name: stack, outputs: read.outputs, secretOutputNames: read.secretOutputNames } };
  }

  /** A registration's state, ids derived from its seed (type and name); `args.inputs` and the state are in the SDK's wire form. */
  create(seed: string, args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    let facts = this.facts(args.provider);
    if (args.type === "pulumi:providers:aws") facts = providerFactsOf(args.inputs, this.defaults);
    const place: Place = placeOf(facts.region);
    const created = createResource({ type: args.type, name: args.name, inputs: args.inputs, place, defaultTags: facts.defaultTags }, seed);
    return { id: created.id, state: created.state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const handler = INVOKES[args.token];
    if (!args.provider) this.invokedDefaultPackages.add(args.token.split(":")[0]);
    if (!handler) {
      this.unmockedInvokes.add(args.token);
      return {};
    }
    return handler(args.inputs, placeOf(this.facts(args.provider).region));
  }
}

/**
 * An aws provider's region and default tags from its inputs; an explicit provider inherits no stack config but
 * the region. The SDK sends a provider's object inputs as JSON text.
 */
export function providerFactsOf(inputs: Record<string, any>, fallback: ProviderFacts): ProviderFacts {
  const region = typeof inputs.region === "string" ? inputs.region : fallback.region;
  const tags = objectOf(inputs.defaultTags)?.tags;
  return { region, defaultTags: tags && typeof tags === "object" ? (tags as Record<string, string>) : {} };
}

function objectOf(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === "string") {
    try {
      return objectOf(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
