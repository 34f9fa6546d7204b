import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Below } from "./exports";
import type { GigaFactory } from "./root";

/** The slurmd image the NodeSets run, as the chart takes it: the registry's repository and `tag@digest`. */
export interface PinnedSlurmdImage {
  repository: string;
  tag: string;
}

/**
 * The foundation layer's slurmd image, its digest read from the registry now (ECR DescribeImages, through
 * `aws.ecr.getImage`): the NodeSets name the image by tag and digest, so a node pulls exactly what was built and
 * scanned. An image not built yet stops the platform layer here, saying how to build it.
 */
export function resolveSlurmdImage(root: GigaFactory, below: Below): pulumi.Output<PinnedSlurmdImage> {
  const registry = below.get("foundation", "registry");
  const image = below.get("foundation", "slurmdImage");
  return pulumi.all([registry, image]).apply(async ([host, { repository, tag, buildProject }]) => {
    let digest: string;
    try {
      digest = (await aws.ecr.getImage({ repositoryName: repository, imageTag: tag }, { parent: root, provider: root.provider })).imageDigest;
    } catch (err) {
      throw new Error(
        `the slurmd image ${repository}:${tag} is not in the registry ${host}: build it before the platform layer ` +
          `(aws codebuild start-build --project-name ${buildProject}, or run the deploy runner for the platform layer, which builds it) ` +
          `— ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
      );
    }
    return { repository: `${host}/${repository}`, tag: `${tag}@${digest}` };
  });
}
