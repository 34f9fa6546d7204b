// The deploy runner's build environment (docs/sources.md#codebuild-images [P]): CodeBuild's managed Amazon Linux
// image, which carries the AWS CLI and Node.js, on the general-purpose medium machine (4 vCPUs, 7 GB), enough for
// `pulumi up` over the in-cluster layers. The image is pulled by CodeBuild itself, not through the VPC.

export const RUNNER_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0";
export const RUNNER_COMPUTE_TYPE = "BUILD_GENERAL1_MEDIUM";
export const RUNNER_ENVIRONMENT_TYPE = "LINUX_CONTAINER";
