import type { PinnedImage } from "./images";

// A directory of the factory's own behind Slurm's pods (core/render/slurm/directory.ts): what the cluster runs to
// copy its sssd.conf out of Secrets Manager, and where Slinky's images read it.

// The AWS CLI's image on ECR Public (aws/aws-cli docker/Dockerfile: Amazon Linux 2 with jq, curl from the base) [P],
// through the factory's ECR Public pull-through cache. EKS Pod Identity credentials need AWS CLI 2.15.0 or later
// (docs/sources.md#eks-pod-identity-sdk [P]).
export const AWS_CLI_IMAGE: PinnedImage = { upstream: "ecrPublic", repository: "aws-cli/aws-cli", tag: "2.17.64" };

// Slinky mounts a LoginSet's (and an ssh NodeSet's) sssd.conf from a Secret's key at /etc/sssd/sssd.conf, mode 0600,
// and its images run sssd under supervisord (slurm-operator v1.2.1 internal/builder/loginbuilder/login_app.go
// SssdConfFilePath; SlinkyProject/containers schedmd/slurm/26.05 supervisor conf.d/sssd.conf,
// docs/sources.md#slinky-slurm-operator [P]). sssd refuses a sssd.conf that others may read (sssd.conf.5 [P]).
export const SSSD_CONF_DIR = "/etc/sssd";
export const SSSD_CONF_FILE = "sssd.conf";
export const SSSD_CONF_MODE = 0o600;
