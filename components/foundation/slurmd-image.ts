import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IMAGE_BUILD_COMPUTE_TYPE, IMAGE_BUILD_TIMEOUT_MINUTES, RUNNER_ENVIRONMENT_TYPE, RUNNER_IMAGE } from "../../core/catalog/codebuild";
import { slurmdImageRecipe, type ImageRecipe } from "../../core/render/image/recipes";
import { imageBuildPermissionsPolicy, imageBuildTrustPolicy, imageProjectName, slurmdImageBuildSpec, type ImageBuildContext } from "../../core/render/aws/slurmd-image-build";

export interface SlurmdImageArgs {
  clusterName: string;
  region: string;
  partition: string;
  dnsSuffix: string;
  accountId: pulumi.Input<string>;
  /** The factory's registry host: the base comes from it, the image goes to it. */
  registry: pulumi.Input<string>;
  /** The factory's key: the repository, the build's logs and its data are encrypted with it. */
  keyArn: pulumi.Input<string>;
  logRetentionDays: number;
  /** Which of the factory's images (core/render/image/recipes.ts); the slurmd image when absent. */
  recipe?: ImageRecipe;
}

/** A factory image: repository and immutable tag; the platform layer resolves the digest. */
export interface SlurmdImageRef {
  repository: string;
  tag: string;
  /** The CodeBuild project that builds the tag (`aws codebuild start-build --project-name …`). */
  buildProject: string;
}

/**
 * One of the factory's images (core/render/image/recipes.ts: the slurmd image, the login image): its ECR repository,
 * immutable tags scanned on push and encrypted with the factory's key, and the CodeBuild project that builds
 * images/<name> into it under the recipe's hash. A project is not a build: the deploy runner starts it before the
 * platform layer (deploy-runner.ts), or an operator does; the platform layer resolves the tag's digest and fails until
 * it is built. The type token is the one the slurmd image was first published under, for every image.
 */
export class SlurmdImage extends pulumi.ComponentResource {
  readonly repository: aws.ecr.Repository;
  readonly project: aws.codebuild.Project;
  readonly ref: SlurmdImageRef;

  constructor(name: string, args: SlurmdImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:foundation:SlurmdImage", name, {}, opts);
    const recipe = args.recipe ?? slurmdImageRecipe();
    const { files, tag } = recipe;
    const projectName = imageProjectName(args.clusterName, recipe.name);

    this.repository = new aws.ecr.Repository(
      `${name}-repository`,
      {
        name: recipe.repository,
        // A tag is a recipe's hash: it never moves, so what a NodeSet names is what was built and scanned.
        imageTagMutability: "IMMUTABLE",
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.keyArn }],
        imageScanningConfiguration: { scanOnPush: true },
        forceDelete: false,
      },
      // The images running jobs run from: kept when the stack goes.
      { parent: this, protect: true, retainOnDelete: true },
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-build-logs`,
      { name: `/gigafactory/${args.clusterName}/${recipe.name}-image`, retentionInDays: args.logRetentionDays, kmsKeyId: args.keyArn, skipDestroy: true },
      // How each image was built, from which inputs: kept when the stack goes.
      { parent: this, protect: true, retainOnDelete: true },
    );
    const ctx = pulumi.all([args.accountId, logGroup.name, args.keyArn]).apply(
      ([accountId, logGroupName, keyArn]): ImageBuildContext => ({
        partition: args.partition,
        region: args.region,
        dnsSuffix: args.dnsSuffix,
        accountId,
        projectName,
        logGroupName,
        keyArn,
        repository: recipe.repository,
        baseRepository: recipe.base.localRepository,
      }),
    );
    const role = new aws.iam.Role(
      `${name}-build-role`,
      { assumeRolePolicy: ctx.apply((c) => JSON.stringify(imageBuildTrustPolicy(c))), description: `Builds the factory's ${recipe.name} image into its registry` },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(`${name}-build-policy`, { role: role.id, policy: ctx.apply((c) => JSON.stringify(imageBuildPermissionsPolicy(c))) }, { parent: this });
    this.project = new aws.codebuild.Project(
      `${name}-build`,
      {
        name: projectName,
        description: `Builds the factory's ${recipe.name} image (images/${recipe.name}) into ${recipe.repository}:${tag}`,
        serviceRole: role.arn,
        buildTimeout: IMAGE_BUILD_TIMEOUT_MINUTES,
        encryptionKey: args.keyArn,
        projectVisibility: "PRIVATE",
        source: { type: "NO_SOURCE", buildspec: slurmdImageBuildSpec({ region: args.region, repository: recipe.repository, tag, files, base: recipe.base, args: recipe.args }) },
        artifacts: { type: "NO_ARTIFACTS" },
        environment: {
          type: RUNNER_ENVIRONMENT_TYPE,
          image: RUNNER_IMAGE,
          computeType: IMAGE_BUILD_COMPUTE_TYPE,
          // Docker needs it; the build runs only the repository's recipe.
          privilegedMode: true,
          imagePullCredentialsType: "CODEBUILD",
          environmentVariables: [{ name: "REGISTRY", value: args.registry, type: "PLAINTEXT" }],
        },
        logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
      },
      { parent: this, dependsOn: [policy, this.repository] },
    );
    this.ref = { repository: recipe.repository, tag, buildProject: projectName };
    this.registerOutputs({ repositoryUrl: this.repository.repositoryUrl, tag, buildProject: this.project.name });
  }
}
