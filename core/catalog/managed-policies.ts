// What the AWS managed policies the factory attaches to its roles grant on S3 objects and KMS keys, the two kinds of
// resource that hold a tenant's data (AWS Managed Policy Reference Guide, each policy's JSON document [P];
// docs/sources.md#aws-managed-policies). Only those statements are kept: an isolation proof asks no more of them.
// A policy not listed here cannot be read offline, and a proof that needs it says "cannot prove".

export interface ManagedDataStatement {
  Effect: "Allow";
  Action: string[];
  Resource: string;
}

/** By the policy's name (the last part of its ARN); an empty list: the policy grants nothing on S3 objects or keys. */
export const MANAGED_POLICY_DATA_ACCESS: Readonly<Record<string, readonly ManagedDataStatement[]>> = {
  // EC2 and EKS descriptions, eks-auth:AssumeRoleForPodIdentity.
  AmazonEKSWorkerNodePolicy: [],
  // ecr:GetAuthorizationToken, BatchGetImage, GetDownloadUrlForLayer (layers come from ECR's own S3, by presigned URL).
  AmazonEC2ContainerRegistryPullOnly: [],
  // ssm, ssmmessages and ec2messages actions for Session Manager.
  AmazonSSMManagedInstanceCore: [],
  // EC2 network interfaces and addresses for the VPC CNI.
  AmazonEKS_CNI_Policy: [],
  // EC2 volumes, snapshots and their tags; keys are granted separately (the factory's key policy role policy).
  AmazonEBSCSIDriverPolicy: [],
  // The control plane's EC2, ELB and Auto Scaling actions, and grants on keys for the AWS resources it makes.
  AmazonEKSClusterPolicy: [{ Effect: "Allow", Action: ["kms:CreateGrant", "kms:DescribeKey"], Resource: "*" }],
};

/** The managed policy's data statements by its ARN (`arn:<partition>:iam::aws:policy/[path/]<name>`), if known. */
export function managedPolicyDataAccess(policyArn: string): readonly ManagedDataStatement[] | undefined {
  const m = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(policyArn);
  return m && Object.hasOwn(MANAGED_POLICY_DATA_ACCESS, m[1]) ? MANAGED_POLICY_DATA_ACCESS[m[1]] : undefined;
}
