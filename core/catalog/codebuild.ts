// The deploy runner's build environment (docs/sources.md#codebuild-images [P]): CodeBuild's managed Amazon Linux
// image, which carries the AWS CLI and Node.js, on the general-purpose medium machine (4 vCPUs, 7 GB), enough for
// `pulumi up` over the in-cluster layers. The image is pulled by CodeBuild itself, not through the VPC.

export const RUNNER_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0";
export const RUNNER_COMPUTE_TYPE = "BUILD_GENERAL1_MEDIUM";
export const RUNNER_ENVIRONMENT_TYPE = "LINUX_CONTAINER";

// The slurmd image's build (docs/sources.md#codebuild-docker [P]): the same managed image, privileged for Docker, on the
// large machine (8 vCPUs, 15 GB, 128 GB of disk) for NCCL's compile; NCCL for two GPU generations takes most of the
// build [U: project estimate], so it may run four hours before CodeBuild stops it.
export const IMAGE_BUILD_COMPUTE_TYPE = "BUILD_GENERAL1_LARGE";
export const IMAGE_BUILD_TIMEOUT_MINUTES = 240;
