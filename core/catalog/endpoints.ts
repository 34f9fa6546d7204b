// The AWS services a private factory reaches through VPC endpoints instead of the internet.
// Node bootstrap needs EC2, ECR, STS, EKS and SSM; the EKS "private clusters" requirements list
// these endpoints (EKS user guide, private-clusters [P]); KMS for encrypted volumes, Logs for flow logs
// and control-plane log shipping, Auto Scaling and ELB for the cluster's controllers.

/** Interface endpoints, one network interface per endpoint subnet each. */
export const VPC_INTERFACE_ENDPOINTS: readonly string[] = [
  "ec2",
  "ecr.api",
  "ecr.dkr",
  "sts",
  "eks",
  "eks-auth",
  "ssm",
  "ssmmessages",
  "ec2messages",
  "logs",
  "kms",
  "autoscaling",
  "elasticloadbalancing",
  // The deploy runner starts the slurmd image's build before the platform layer (CodeBuild's API from the VPC [P]).
  "codebuild",
  // A directory's sssd.conf is read from Secrets Manager by a pod of the cluster (core/render/slurm/directory.ts): a
  // factory without a NAT gateway reaches the service only through its endpoint (docs/sources.md#secretsmanager-vpc-endpoint [P]).
  "secretsmanager",
];

/** Gateway endpoints: free, routed through the route tables, no interface. */
export const VPC_GATEWAY_ENDPOINTS: readonly string[] = ["s3"];

/**
 * The endpoint service name of a service in a region. The commercial partition uses `com.amazonaws.<region>.<svc>`;
 * the European Sovereign Cloud publishes its own DNS suffix (amazonaws.eu [P]) and, by the same convention,
 * `eu.amazonaws.<region>.<svc>` [U: confirm with `aws ec2 describe-vpc-endpoint-services` there].
 */
export function endpointServiceName(region: string, service: string): string {
  const prefix = region.startsWith("eusc-") ? "eu.amazonaws" : "com.amazonaws";
  return `${prefix}.${region}.${service}`;
}
