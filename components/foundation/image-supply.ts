import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { creationTemplatePolicy, creationTemplateTrustPolicy, pullThroughPolicy } from "../../core/render/aws/image-supply-policy";
import { pullThroughRegistries, registryHost, type MirrorCopy } from "../../core/catalog/images";

export interface ImageSupplyArgs {
  region: string;
  partition: string;
  dnsSuffix: string;
  accountId: pulumi.Input<string>;
  /** The factory's key: cached and mirrored repositories are encrypted with it. */
  keyArn: pulumi.Input<string>;
  /** What is copied into the registry (charts, and images no cache can serve): one repository each. */
  copies: readonly MirrorCopy[];
}

/**
 * The factory's own registry in its region, AWS side: a pull-through cache rule per public upstream the charts
 * use, with a creation template that encrypts what it caches with the factory's key, and the repositories that
 * hold mirrored charts and images. The cluster's add-ons take only `registry` (images.ts says what lives where).
 * The mirrored repositories must be filled before the add-ons install: on a new factory, deploy this component
 * first (`pulumi up --target` its URN), run images/mirror.sh from `gigafactory render`, then deploy the rest.
 */
export class ImageSupply extends pulumi.ComponentResource {
  /** `<account>.dkr.ecr.<region>.<dns suffix>`: every chart and image the cluster runs comes from here. */
  readonly registry: pulumi.Output<string>;
  readonly repositories: aws.ecr.Repository[];

  constructor(name: string, args: ImageSupplyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:kubernetes:ImageSupply", name, {}, opts);
    const upstreams = pullThroughRegistries();

    const templateRole = new aws.iam.Role(
      `${name}-template-role`,
      { assumeRolePolicy: JSON.stringify(creationTemplateTrustPolicy(args.dnsSuffix)), description: "gigafactory: ECR creates pull-through repositories encrypted with the factory key" },
      { parent: this },
    );
    const templatePolicy = new aws.iam.RolePolicy(
      `${name}-template-policy`,
      { role: templateRole.id, policy: pulumi.output(args.keyArn).apply((arn) => JSON.stringify(creationTemplatePolicy(arn))) },
      { parent: this },
    );

    for (const upstream of upstreams) {
      const template = new aws.ecr.RepositoryCreationTemplate(
        `${name}-${upstream.prefix}-template`,
        {
          prefix: upstream.prefix,
          appliedFors: ["PULL_THROUGH_CACHE"],
          description: `gigafactory: images cached from ${upstream.host}`,
          // A cached repository follows its upstream's tags, which stay mutable for that (pull-through-cache [P]).
          imageTagMutability: "MUTABLE",
          encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.keyArn }],
          customRoleArn: templateRole.arn,
        },
        { parent: this, dependsOn: [templatePolicy] },
      );
      new aws.ecr.PullThroughCacheRule(
        `${name}-${upstream.prefix}`,
        { ecrRepositoryPrefix: upstream.prefix, upstreamRegistryUrl: upstream.host },
        { parent: this, dependsOn: [template] },
      );
    }

    this.repositories = [...new Set(args.copies.map((c) => c.repository))].map(
      (repository) =>
        new aws.ecr.Repository(
          `${name}-${repository.replace(/[^a-z0-9-]+/g, "-")}`,
          {
            name: repository,
            // A pinned version is copied once and never changes under the same tag.
            imageTagMutability: "IMMUTABLE",
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.keyArn }],
            imageScanningConfiguration: { scanOnPush: true },
            forceDelete: false,
          },
          { parent: this, protect: true, retainOnDelete: true },
        ),
    );

    this.registry = pulumi.output(args.accountId).apply((accountId) => registryHost(accountId, args.region, args.dnsSuffix));
    this.registerOutputs({ registry: this.registry });
  }
}

/** Lets a role's nodes pull images, and so import them through the cache on first use. */
export function grantRegistryPull(
  name: string,
  role: pulumi.Input<string>,
  args: Pick<ImageSupplyArgs, "partition" | "region" | "accountId">,
  opts: pulumi.CustomResourceOptions,
): aws.iam.RolePolicy {
  const prefixes = pullThroughRegistries().map((u) => u.prefix);
  return new aws.iam.RolePolicy(
    name,
    {
      role,
      policy: pulumi
        .output(args.accountId)
        .apply((accountId) => JSON.stringify(pullThroughPolicy({ partition: args.partition, region: args.region, accountId, prefixes }))),
    },
    opts,
  );
}
