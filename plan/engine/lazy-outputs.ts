import * as pulumi from "@pulumi/pulumi";
import { isGrpcError } from "@pulumi/pulumi/errors";

// A custom resource gets an Output for every property its class declares (an aws.ec2.LaunchTemplate has ~40),
// each four promises and a chain of a dozen more, resolved when its registration returns. A gigafactory plan
// makes 57,000 of them and its program reads 2,100. Offline, each property's Output is made when the program
// first reads it, with the same four pending promises, resolved by the same calls in the same order: every
// continuation the program attaches runs in the same microtask as it would have, so resources register in the
// same order; the chains of the Outputs nobody reads never exist (nothing the program can see waits on them).
// An Output first read only after its resource registered is made already resolved, and what the program
// attaches to it runs a few microtasks later than with the SDK's own (no program in this project does that).

type Resolver = (value: unknown, isKnown: boolean, isSecret: boolean, deps?: pulumi.Resource[], err?: Error) => void;
type Transfer = (onto: object, label: string, props: Record<string, unknown>) => Record<string, Resolver>;

const OutputClass = pulumi.Output as unknown as new (
  resources: unknown,
  promise: Promise<unknown>,
  isKnown: Promise<boolean>,
  isSecret: Promise<boolean>,
  allResources: Promise<pulumi.Resource[]>,
) => pulumi.Output<unknown>;

/** One property of one resource: its resolution, kept until the program reads it; then its Output's settlers. */
class LazyProperty {
  /** The registration's answer, when it came before the first read. */
  answer: Parameters<Resolver> | undefined = undefined;
  /** resolve value, isKnown, isSecret, deps; then the four rejects (set once the Output exists). */
  settlers: ((v: any) => void)[] | undefined = undefined;
  constructor(readonly onto: object) {}

  output(): pulumi.Output<unknown> {
    const settlers: ((v: any) => void)[] = new Array(8);
    const promise = <T>(i: number) =>
      new Promise<T>((resolve, reject) => {
        settlers[i] = resolve;
        settlers[i + 4] = reject;
      });
    const output = new OutputClass(this.onto, promise(0), promise(1), promise(2), promise(3));
    this.settlers = settlers;
    if (this.answer) this.settle(...this.answer);
    this.answer = undefined;
    return output;
  }

  /** What rpc.transferProperties' resolver does with the registration's answer. */
  settle(value: unknown, isKnown: boolean, isSecret: boolean, deps: pulumi.Resource[] = [], err?: Error): void {
    const s = this.settlers;
    if (!s) {
      this.answer = [value, isKnown, isSecret, deps, err];
      return;
    }
    if (err) {
      if (isGrpcError(err)) return;
      for (let i = 4; i < 8; i++) s[i](err);
    } else {
      s[0](value);
      s[1](isKnown);
      s[2](isSecret);
      s[3](deps);
    }
  }
}

const LAZY = Symbol("gigafactory.lazyProperties");
type Lazy = { [LAZY]: Record<string, LazyProperty> };

// One getter and setter per property name, shared by every resource, so resources of a class keep sharing
// hidden classes (a closure per resource and property gave each resource its own, and 1.7 kB per property).
const accessors = new Map<string, PropertyDescriptor>();
function accessorsOf(key: string): PropertyDescriptor {
  let descriptor = accessors.get(key);
  if (!descriptor) {
    descriptor = {
      enumerable: true,
      configurable: true,
      get(this: Lazy) {
        const property = this[LAZY][key];
        const output = property.output();
        Object.defineProperty(property.onto, key, { value: output, writable: true, enumerable: true, configurable: true });
        return output;
      },
      set(this: Lazy, value: unknown) {
        Object.defineProperty(this[LAZY][key].onto, key, { value, writable: true, enumerable: true, configurable: true });
      },
    };
    accessors.set(key, descriptor);
  }
  return descriptor;
}

/** What rpc.transferProperties does, each Output made on first read. */
function transferPropertiesOnRead(onto: object, label: string, props: Record<string, unknown>): Record<string, Resolver> {
  const resolvers: Record<string, Resolver> = {};
  let lazy: Record<string, LazyProperty> | undefined;
  for (const k of Object.keys(props)) {
    if (k === "id" || k === "urn") continue;
    if (Object.prototype.hasOwnProperty.call(onto, k)) throw new Error(`Property '${k}' is already initialized on target '${label}`);
    if (!lazy) {
      lazy = Object.create(null) as Record<string, LazyProperty>;
      Object.defineProperty(onto, LAZY, { value: lazy });
    }
    const property = new LazyProperty(onto);
    lazy[k] = property;
    Object.defineProperty(onto, k, accessorsOf(k));
    resolvers[k] = (value, isKnown, isSecret, deps, err) => property.settle(value, isKnown, isSecret, deps, err);
  }
  return resolvers;
}

/** Makes resource properties' Outputs on first read until the returned function is called. */
export function outputsOnRead(): () => void {
  // The module object itself (an import would be a copy): the SDK calls it as `rpc_1.transferProperties`.
  const module = require("@pulumi/pulumi/runtime/rpc") as { transferProperties: Transfer };
  const original = module.transferProperties;
  module.transferProperties = transferPropertiesOnRead;
  return () => {
    module.transferProperties = original;
  };
}
