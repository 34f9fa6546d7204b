import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { factoryKeyPolicy } from "../../core/render/aws/key-policy";

export interface FactoryKeyArgs {
  region: string;
  dnsSuffix: string;
  description: string;
}

/** The factory's customer-managed KMS key in its region: logs, volumes and file systems are encrypted with it. */
export class FactoryKey extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: FactoryKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:security:FactoryKey", name, {}, opts);
    const identity = aws.getCallerIdentityOutput({}, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this });
    const policy = pulumi
      .all([identity.accountId, partition.partition])
      .apply(([accountId, part]) =>
        JSON.stringify(factoryKeyPolicy({ partition: part, accountId, region: args.region, dnsSuffix: args.dnsSuffix })),
      );
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: args.description,
        enableKeyRotation: true,
        // The longest window AWS allows: a key scheduled for deletion by mistake can be recovered for 30 days.
        deletionWindowInDays: 30,
        multiRegion: false,
        policy,
      },
      // A lost key is lost data: the engine refuses to delete it and never deletes it on stack removal.
      { parent: this, protect: true, retainOnDelete: true },
    );
    new aws.kms.Alias(`${name}-alias`, { name: `alias/${name}`, targetKeyId: this.key.keyId }, { parent: this });
    this.arn = this.key.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
