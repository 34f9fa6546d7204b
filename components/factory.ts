import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Blueprint } from "./blueprint/types";
import { region as regionFacts } from "./catalog/regions";
import { FactoryNetwork } from "./network/network";
import { FactoryKey } from "./security/factory-key";
import type { FactorySpec } from "./spec/schema";
import { factoryTags } from "./tags";

export interface GigaFactoryArgs {
  spec: FactorySpec;
  blueprint: Blueprint;
}

/**
 * The whole factory from one blueprint. It owns the explicit AWS provider for the factory's region,
 * so every resource below is pinned to that region and carries the factory's tags.
 */
export class GigaFactory extends pulumi.ComponentResource {
  readonly provider: aws.Provider;
  readonly key: FactoryKey;
  readonly network: FactoryNetwork;

  constructor(name: string, args: GigaFactoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:index:GigaFactory", name, {}, opts);
    const { spec, blueprint } = args;

    this.provider = new aws.Provider(
      `${name}-aws`,
      { region: blueprint.region, defaultTags: { tags: factoryTags(spec) } },
      { parent: this },
    );
    const children = { parent: this, providers: [this.provider] };

    this.key = new FactoryKey(
      `${name}-factory`,
      {
        region: blueprint.region,
        dnsSuffix: regionFacts(blueprint.region)?.dnsSuffix ?? "amazonaws.com",
        description: `gigafactory ${spec.name}: logs, volumes and file systems`,
      },
      children,
    );
    this.network = new FactoryNetwork(
      `${name}-net`,
      { region: blueprint.region, plan: blueprint.network, keyArn: this.key.arn, flowLogRetentionDays: spec.network.flowLogRetentionDays },
      children,
    );

    this.registerOutputs({ vpcId: this.network.vpcId, keyArn: this.key.arn });
  }
}
