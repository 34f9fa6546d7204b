import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Below, FoundationExports } from "./exports";

/**
 * The slurmd image the NodeSets run, as the chart takes it: the registry's repository and `tag@digest`. The chart writes
 * `repository:tag`, or `repository@digest` when given a digest alone (helm/slurm _helpers.tpl slurm.format-image,
 * docs/sources.md#slinky-slurm-operator [P]): the tag carries both, so a pod names the recipe and pulls by digest.
 */
export interface PinnedSlurmdImage {
  repository: string;
  tag: string;
}

/** Asks the registry for a tag's digest (ECR DescribeImages); rejects when the tag is not there. */
export type ImageDigestLookup = (repository: string, tag: string) => Promise<string>;

/** The image by tag and digest; an image not built yet is an error that says how to build it. */
export async function pinSlurmdImage(registry: string, image: FoundationExports["slurmdImage"], lookup: ImageDigestLookup, label = "slurmd"): Promise<PinnedSlurmdImage> {
  let digest: string;
  try {
    digest = await lookup(image.repository, image.tag);
  } catch (err) {
    const cause = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new Error(
      `the ${label} image ${image.repository}:${image.tag} is not in the registry ${registry}: build it before the platform layer ` +
        `(aws codebuild start-build --project-name ${image.buildProject}, or run the deploy runner for the platform layer, which builds it)` +
        (cause ? ` — ${cause}` : ""),
    );
  }
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`the registry answered ${image.repository}:${image.tag} with no image digest (${digest || "nothing"})`);
  return { repository: `${registry}/${image.repository}`, tag: `${image.tag}@${digest}` };
}

/**
 * The foundation layer's slurmd image, its digest read from the registry now (`aws.ecr.getImage`): the NodeSets name
 * the image by tag and digest, so a node pulls exactly what was built and scanned, and the platform layer stops here
 * while the image is not built.
 */
export function resolveSlurmdImage(below: Below, opts: pulumi.InvokeOptions, which: "slurmdImage" | "loginImage" = "slurmdImage"): pulumi.Output<PinnedSlurmdImage> {
  const lookup: ImageDigestLookup = async (repositoryName, imageTag) => (await aws.ecr.getImage({ repositoryName, imageTag }, opts)).imageDigest;
  const label = which === "loginImage" ? "login" : "slurmd";
  return pulumi.all([below.get("foundation", "registry"), below.get("foundation", which)]).apply(([registry, image]) => pinSlurmdImage(registry, image, lookup, label));
}
