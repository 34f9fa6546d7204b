import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ProvisionableBlueprint } from "../../core/blueprint/provisionable";
import type { FactorySpec } from "../../core/spec/schema";
import { factoryTags } from "../../core/spec/tags";
import type { Below } from "./exports";

export interface LayerArgs {
  spec: FactorySpec;
  blueprint: ProvisionableBlueprint;
  /** The layers below this one. */
  below: Below;
}

/**
 * The root of every layer's stack, the same type and name in each (the factory's name), so a resource keeps its
 * name whichever layer holds it. It owns the explicit AWS provider for the factory's region: every resource below
 * is pinned to that region and carries the factory's tags.
 */
export class GigaFactory extends pulumi.ComponentResource {
  readonly provider: aws.Provider;
  /** Options for a child on the factory's AWS provider. */
  readonly children: pulumi.ComponentResourceOptions;
  /** The factory's name, which every resource's name starts with. */
  readonly factoryName: string;

  constructor(name: string, spec: FactorySpec, blueprint: ProvisionableBlueprint, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:index:GigaFactory", name, {}, opts);
    this.factoryName = name;
    this.provider = new aws.Provider(`${name}-aws`, { region: blueprint.region, defaultTags: { tags: factoryTags(spec) } }, { parent: this });
    this.children = { parent: this, providers: [this.provider] };
  }

  accountId(): pulumi.Output<string> {
    return aws.getCallerIdentityOutput({}, { parent: this, provider: this.provider }).accountId;
  }

  /** The system subnets' ids, from the layer that made them. */
  static systemSubnetIds(blueprint: ProvisionableBlueprint, subnetIds: pulumi.Output<Record<string, string>>): pulumi.Output<string>[] {
    return blueprint.network.subnets.filter((s) => s.role === "system").map((s) => subnetIds.apply((ids) => ids[s.name]));
  }
}
