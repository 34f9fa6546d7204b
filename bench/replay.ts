import * as pulumi from "@pulumi/pulumi";
import type { PlanSnapshot } from "../plan/snapshot";

// The floor of a plan: the same registrations (types, names, parents, providers, inputs) sent through the bare
// SDK with no program logic, so the benchmark can tell the program's cost from the SDK's own bookkeeping.

class ReplayedProvider extends pulumi.ProviderResource {}
class ReplayedResource extends pulumi.CustomResource {}
class ReplayedComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.registerOutputs({});
  }
}

const isDefaultProvider = (r: PlanSnapshot["resources"][number]) => r.type.startsWith("pulumi:providers:") && r.name.startsWith("default_") && r.parent === null;

/** Registers every resource of the snapshot, in its order, except the root stack and the engine's default providers. */
export function replay(snapshot: PlanSnapshot): number {
  const byUrn = new Map<string, pulumi.Resource>();
  let count = 0;
  for (const r of snapshot.resources) {
    if (r.type === "pulumi:pulumi:Stack" || isDefaultProvider(r)) continue;
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    const provider = r.provider ? (byUrn.get(r.provider.slice(0, r.provider.lastIndexOf("::"))) as pulumi.ProviderResource | undefined) : undefined;
    const dependsOn = r.dependencies.map((d) => byUrn.get(d)).filter((d): d is pulumi.Resource => d !== undefined);
    const opts = {
      parent,
      dependsOn,
      protect: r.protect,
      retainOnDelete: r.retainOnDelete,
      ignoreChanges: r.ignoreChanges,
      deleteBeforeReplace: r.deleteBeforeReplace,
      additionalSecretOutputs: r.additionalSecretOutputs,
    };
    let resource: pulumi.Resource;
    if (r.type.startsWith("pulumi:providers:")) {
      resource = new ReplayedProvider(r.type.slice("pulumi:providers:".length), r.name, r.inputs, opts);
    } else if (r.custom) {
      resource = new ReplayedResource(r.type, r.name, r.inputs, { ...opts, provider });
    } else {
      resource = new ReplayedComponent(r.type, r.name, opts);
    }
    byUrn.set(r.urn, resource);
    count++;
  }
  return count;
}
