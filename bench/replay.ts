import * as pulumi from "@pulumi/pulumi";
import type { PlanSnapshot } from "../plan/snapshot";

// The floor of a plan: the same registrations (types, names, parents, providers, inputs) sent through the bare
// SDK with no program logic, so the benchmark can tell the program's cost from the SDK's own bookkeeping.
// With `classes`, each aws and kubernetes resource goes through its own class in the provider SDK
// (`@pulumi/aws/ec2/launchTemplate`'s LaunchTemplate...), as any program has to send it: that also counts loading
// those classes and the SDK's bookkeeping for every output they declare, which no program can avoid.

class ReplayedProvider extends pulumi.ProviderResource {}
class ReplayedResource extends pulumi.CustomResource {}
class ReplayedComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.registerOutputs({});
  }
}

type ResourceClass = new (name: string, args: Record<string, unknown>, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

const isDefaultProvider = (r: PlanSnapshot["resources"][number]) =>
  r.type.startsWith("pulumi:providers:") && (r.name.startsWith("default_") || r.name === "default") && r.parent === null;
const camel = (s: string) => s[0].toLowerCase() + s.slice(1);

/**
 * The provider SDK's class for a type token, loaded alone (`aws:ec2/vpc:Vpc` → `@pulumi/aws/ec2/vpc`); a
 * kubernetes object of a custom resource definition goes through `apiextensions.CustomResource`, as programs send
 * them. Undefined when the SDK has no class of that exact type (it then goes through a bare CustomResource).
 */
function providerClass(type: string, classes: Map<string, ResourceClass | undefined>): ResourceClass | undefined {
  if (classes.has(type)) return classes.get(type);
  const [pkg, mod, name] = type.split(":");
  let found: ResourceClass | undefined;
  try {
    if (pkg === "aws") {
      found = (require(`@pulumi/aws/${mod.split("/")[0]}/${camel(name)}`) as Record<string, ResourceClass>)[name];
    } else if (pkg === "kubernetes") {
      const [group, version] = mod.split("/");
      const dir = group === "core" ? "core" : group.split(".")[0];
      try {
        found = (require(`@pulumi/kubernetes/${dir}/${version}/${camel(name)}`) as Record<string, ResourceClass>)[name];
      } catch {
        const { CustomResource } = require("@pulumi/kubernetes/apiextensions/customResource") as { CustomResource: ResourceClass };
        found = CustomResource;
      }
    }
  } catch {
    found = undefined;
  }
  // Only a class that registers this very type (a CustomResource's type comes from its apiVersion and kind).
  const token = (found as unknown as { __pulumiType?: string } | undefined)?.__pulumiType;
  if (found && token !== undefined && token !== type) found = undefined;
  classes.set(type, found);
  return found;
}

/** Registers every resource of the snapshot, in its order, except the root stack and the engine's default providers. */
export function replay(snapshot: PlanSnapshot, options: { classes?: boolean } = {}): number {
  const byUrn = new Map<string, pulumi.Resource>();
  const classes = new Map<string, ResourceClass | undefined>();
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
      // Not through aws.Provider: the snapshot holds a provider's inputs as the SDK sends them (objects as JSON text).
      resource = new ReplayedProvider(r.type.slice("pulumi:providers:".length), r.name, r.inputs, opts);
    } else if (r.custom) {
      const Class = options.classes ? providerClass(r.type, classes) : undefined;
      resource = Class ? new Class(r.name, r.inputs, { ...opts, provider }) : new ReplayedResource(r.type, r.name, r.inputs, { ...opts, provider });
    } else {
      resource = new ReplayedComponent(r.type, r.name, opts);
    }
    byUrn.set(r.urn, resource);
    count++;
  }
  return count;
}
