import { gzipSync } from "node:zlib";
import type { PolicyDocument } from "./iam";
import { type CodeBuildProject, codeBuildLogsStatement, codeBuildTrustPolicy } from "./codebuild-role";
import type { RenderedFile } from "../files";
import { SLURMD_BASE } from "../../catalog/slurmd-image";
import { RECIPE_ARGS } from "../image/slurmd-recipe";

// The slurmd image's build as plain data: a CodeBuild project that builds images/slurmd into the factory's registry
// under the recipe's tag (docs/sources.md#codebuild-docker [P]), its role's trust and permissions, and its build spec.
// Docker runs in CodeBuild's own network (the downloads are on the internet; the factory's VPC has no route there);
// what it pushes stays in the factory's region, encrypted with the factory's key.

export interface ImageBuildContext extends CodeBuildProject {
  keyArn: string;
  /** The repository the image is pushed to, and the mirrored base's repository it is built from. */
  repository: string;
  baseRepository: string;
}

/** CodeBuild assumes the role for builds of this project only. */
export const imageBuildTrustPolicy: (ctx: ImageBuildContext) => PolicyDocument = codeBuildTrustPolicy;

/** Its logs, the base's layers (read), the image's repository (push), the factory's key for the build's own data. */
export function imageBuildPermissionsPolicy(ctx: ImageBuildContext): PolicyDocument {
  const repository = (name: string) => `arn:${ctx.partition}:ecr:${ctx.region}:${ctx.accountId}:repository/${name}`;
  const pull = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:DescribeImages"];
  return {
    Version: "2012-10-17",
    Statement: [
      codeBuildLogsStatement(ctx),
      // GetAuthorizationToken names no repository (ECR's IAM reference [P]): it only logs Docker in.
      { Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      { Sid: "PullTheBase", Effect: "Allow", Action: pull, Resource: repository(ctx.baseRepository) },
      {
        Sid: "PushTheImage",
        Effect: "Allow",
        Action: [...pull, "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"],
        Resource: repository(ctx.repository),
      },
      { Sid: "FactoryKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], Resource: ctx.keyArn },
    ],
  };
}

export interface ImageBuildSpecInput {
  region: string;
  repository: string;
  tag: string;
  files: readonly RenderedFile[];
  /** The mirrored base and the build arguments of the recipe (image/recipes.ts); the slurmd image's when absent. */
  base?: { localRepository: string; tag: string; digest: string | null };
  args?: { registry: string; baseDigest: string };
}

const basename = (path: string): string => path.split("/").pop()!;

/**
 * The build: writes the recipe (carried in the spec, gzip and base64, so the project needs no source), resolves the
 * base's digest in the factory's registry (an immutable tag there), builds and pushes `<repository>:<tag>`. A tag that
 * is already there is left alone: tags are immutable, and the same recipe builds the same image.
 * `REGISTRY` comes from the project's environment.
 */
export function slurmdImageBuildSpec(input: ImageBuildSpecInput): string {
  const base = input.base ?? { localRepository: SLURMD_BASE.localRepository, tag: SLURMD_BASE.image.tag, digest: SLURMD_BASE.digest };
  const args = input.args ?? RECIPE_ARGS;
  const writes = input.files.map((f) => {
    const payload = gzipSync(Buffer.from(f.content, "utf8"), { level: 9 }).toString("base64");
    return `      - echo '${payload}' | base64 -d | gunzip > recipe/${basename(f.path)} && chmod ${(f.mode ?? 0o644).toString(8)} recipe/${basename(f.path)}`;
  });
  return [
    "version: 0.2",
    "env:",
    "  variables:",
    `    IMAGE_REPOSITORY: ${input.repository}`,
    `    IMAGE_TAG: ${input.tag}`,
    "phases:",
    "  pre_build:",
    "    commands:",
    '      - test -n "$REGISTRY"',
    `      - aws ecr get-login-password --region ${input.region} | docker login --username AWS --password-stdin "$REGISTRY"`,
    "      - mkdir -p recipe",
    ...writes,
    // The mirrored base's digest: its repository's tags are immutable, so the tag names one image for good.
    `      - BASE_DIGEST="$(aws ecr describe-images --repository-name ${base.localRepository} --image-ids imageTag=${base.tag} --region ${input.region} --query 'imageDetails[0].imageDigest' --output text)"`,
    // A block scalar: a plain YAML item holding ": " would be read as a mapping, not a command.
    "      - |",
    `        case "$BASE_DIGEST" in sha256:*) ;; *) echo "the base ${base.localRepository}:${base.tag} is not in the registry: run images/mirror.sh from gigafactory render"; exit 1 ;; esac`,
    ...(base.digest ? ["      - |", `        test "$BASE_DIGEST" = ${base.digest} || { echo "the mirrored base is $BASE_DIGEST, the catalog pins ${base.digest}"; exit 1; }`] : []),
    "  build:",
    "    commands:",
    '      - |',
    `        if aws ecr describe-images --repository-name "$IMAGE_REPOSITORY" --image-ids imageTag="$IMAGE_TAG" --region ${input.region} >/dev/null 2>&1; then`,
    '          echo "$IMAGE_REPOSITORY:$IMAGE_TAG is already built"',
    "        else",
    `          docker build --pull --build-arg ${args.registry}="$REGISTRY" --build-arg ${args.baseDigest}="$BASE_DIGEST" --tag "$REGISTRY/$IMAGE_REPOSITORY:$IMAGE_TAG" recipe`,
    '          docker push "$REGISTRY/$IMAGE_REPOSITORY:$IMAGE_TAG"',
    "        fi",
    "",
  ].join("\n");
}

/** An image build's CodeBuild project, by the cluster's name and the image's: the runner starts it by this name. */
export const imageProjectName = (clusterName: string, image: string): string => `${clusterName}-${image}-image`;
export const slurmdImageProjectName = (clusterName: string): string => imageProjectName(clusterName, "slurmd");

/**
 * What the deploy runner does before the platform layer: if the recipe's tag is not in the registry yet, build it
 * and wait, so no NodeSet ever names an image that is not there. The platform layer checks it again (its digest).
 */
export function ensureSlurmdImageCommands(input: { clusterName: string; region: string; repository: string; tag: string; image?: string }): string[] {
  const image = input.image ?? "slurmd";
  const project = imageProjectName(input.clusterName, image);
  return [
    "      - |",
    `        if [ "$GIGAFACTORY_LAYER" = platform ] && ! aws ecr describe-images --repository-name ${input.repository} --image-ids imageTag=${input.tag} --region ${input.region} >/dev/null 2>&1; then`,
    `          BUILD_ID="$(aws codebuild start-build --project-name ${project} --region ${input.region} --query build.id --output text)"`,
    `          echo "building ${input.repository}:${input.tag} ($BUILD_ID)"`,
    "          while :; do",
    `            STATUS="$(aws codebuild batch-get-builds --ids "$BUILD_ID" --region ${input.region} --query 'builds[0].buildStatus' --output text)"`,
    '            [ "$STATUS" = IN_PROGRESS ] || break',
    "            sleep 60",
    "          done",
    `          [ "$STATUS" = SUCCEEDED ] || { echo "the ${image} image build $BUILD_ID ended $STATUS"; exit 1; }`,
    "        fi",
  ];
}

/** The runner's rights for it: start and watch that one project, and ask whether the tag is in that one repository. */
export function runnerImageBuildStatements(ctx: { partition: string; region: string; accountId: string; clusterName: string; repository: string; image?: string }): PolicyDocument["Statement"] {
  const image = ctx.image ?? "slurmd";
  const sid = image.charAt(0).toUpperCase() + image.slice(1);
  return [
    {
      Sid: `BuildThe${sid}Image`,
      Effect: "Allow",
      Action: ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
      Resource: `arn:${ctx.partition}:codebuild:${ctx.region}:${ctx.accountId}:project/${imageProjectName(ctx.clusterName, image)}`,
    },
    { Sid: `FindThe${sid}Image`, Effect: "Allow", Action: "ecr:DescribeImages", Resource: `arn:${ctx.partition}:ecr:${ctx.region}:${ctx.accountId}:repository/${ctx.repository}` },
  ];
}
