// IAM policy documents of the control plane, its nodes and its controllers, as plain data: least
// privilege, read the same in review, tested without Pulumi. Service principals use the partition's DNS
// suffix (amazonaws.com; amazonaws.eu in the European Sovereign Cloud [U: by the same convention]).

export type PolicyDocument = { Version: "2012-10-17"; Statement: Record<string, unknown>[] };

function trust(service: string, actions: string[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: actions }] };
}

/** The EKS control plane assumes the cluster role (EKS cluster IAM role [P]). */
export function clusterTrustPolicy(dnsSuffix: string): PolicyDocument {
  return trust(`eks.${dnsSuffix}`, ["sts:AssumeRole", "sts:TagSession"]);
}

/** EC2 instances of the node groups assume the node role (EKS node IAM role [P]). */
export function nodeTrustPolicy(dnsSuffix: string): PolicyDocument {
  return trust(`ec2.${dnsSuffix}`, ["sts:AssumeRole"]);
}

/** EKS Pod Identity assumes a controller's role on behalf of its service account (EKS Pod Identity [P]). */
export function podIdentityTrustPolicy(dnsSuffix: string): PolicyDocument {
  return trust(`pods.eks.${dnsSuffix}`, ["sts:AssumeRole", "sts:TagSession"]);
}

/** Session tags EKS Pod Identity sets on every session it opens (docs/sources.md#eks-pod-identity). */
const POD_IDENTITY_TAGS = {
  clusterName: "eks-cluster-name",
  namespace: "kubernetes-namespace",
  serviceAccount: "kubernetes-service-account",
} as const;

export interface PodIdentitySubject {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
}

/** The session tags Pod Identity sends for one service account, keyed as a request's `aws:RequestTag/...` context. */
export function podIdentitySessionTags(s: PodIdentitySubject): Record<string, string> {
  return {
    [`aws:RequestTag/${POD_IDENTITY_TAGS.clusterName}`]: s.clusterName,
    [`aws:RequestTag/${POD_IDENTITY_TAGS.namespace}`]: s.namespace,
    [`aws:RequestTag/${POD_IDENTITY_TAGS.serviceAccount}`]: s.serviceAccount,
  };
}

/** Pod Identity may assume the role only for one service account of one namespace of one cluster. */
export function serviceAccountTrustPolicy(sid: string, dnsSuffix: string, subject: PodIdentitySubject): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: `pods.eks.${dnsSuffix}` },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: podIdentitySessionTags(subject) },
      },
    ],
  };
}

export function managedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}

// The cluster role: what EKS needs to run the control plane, nothing of the workloads.
export const CLUSTER_MANAGED_POLICIES = ["AmazonEKSClusterPolicy"] as const;
// The node role: join the cluster and pull images. The CNI's permissions are not here: the aws-node
// daemonset gets them through Pod Identity, so no pod can borrow them from the node. SSM lets operators
// reach a node through the VPC's ssm endpoints instead of SSH.
export const NODE_MANAGED_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"] as const;

/** Envelope encryption of Kubernetes secrets with the factory's key (EKS secrets encryption [P]). */
export function secretsEncryptionPolicy(keyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "EncryptSecrets", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants"], Resource: keyArn },
      {
        Sid: "GrantsForAwsResourcesOnly",
        Effect: "Allow",
        Action: "kms:CreateGrant",
        Resource: keyArn,
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ],
  };
}

/**
 * What a volume controller needs of the factory's key to create and attach volumes encrypted with it: data keys,
 * and grants EC2 holds for the attached volume (EKS user guide, EBS CSI driver role with a customer managed key [P]).
 */
export function volumeEncryptionPolicy(keyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GrantsForAwsResourcesOnly",
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: keyArn,
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
      { Sid: "EncryptVolumes", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: keyArn },
    ],
  };
}

/** A controller in the cluster that calls AWS, with the service account Pod Identity binds its role to. */
export interface ControllerIdentity {
  /** The key the blueprint counts associations by (POD_IDENTITY_CONTROLLERS). */
  controller: string;
  namespace: string;
  serviceAccount: string;
  managedPolicies: readonly string[];
  /** An inline policy where no AWS managed policy is narrow enough. */
  inlinePolicy?: PolicyDocument;
  /** It creates volumes encrypted with the factory's key (volumeEncryptionPolicy). */
  encryptsWithFactoryKey?: true;
}

// Service accounts as the add-ons and charts create them (vpc-cni: aws-node; aws-ebs-csi-driver:
// ebs-csi-controller-sa; aws-fsx-csi-driver: fsx-csi-controller-sa) [P: their manifests].
export const CONTROLLER_IDENTITIES: Readonly<Record<string, Omit<ControllerIdentity, "controller">>> = {
  "aws-node": { namespace: "kube-system", serviceAccount: "aws-node", managedPolicies: ["AmazonEKS_CNI_Policy"] },
  "ebs-csi-controller": {
    namespace: "kube-system",
    serviceAccount: "ebs-csi-controller-sa",
    managedPolicies: ["service-role/AmazonEBSCSIDriverPolicy"],
    encryptsWithFactoryKey: true,
  },
  // The factory's Lustre file system is created by the factory and mounted statically: the driver only
  // looks it up, so it gets no right to create or delete file systems.
  "fsx-csi-controller": {
    namespace: "kube-system",
    serviceAccount: "fsx-csi-controller-sa",
    managedPolicies: [],
    inlinePolicy: { Version: "2012-10-17", Statement: [{ Sid: "DescribeFileSystems", Effect: "Allow", Action: ["fsx:DescribeFileSystems"], Resource: "*" }] },
  },
};

/** The identities of the given controllers; a controller this file does not know is an error in the code. */
export function controllerIdentities(controllers: readonly string[]): ControllerIdentity[] {
  return controllers.map((controller) => {
    const known = CONTROLLER_IDENTITIES[controller];
    if (!known) throw new Error(`no IAM identity is defined for controller ${controller}`);
    return { controller, ...known };
  });
}

/**
 * The Auto Scaling service-linked role, which launches the node groups' instances and so must use the
 * factory's key for their encrypted root volumes (EC2 Auto Scaling "required KMS key policy" [P]).
 */
export function autoscalingServiceLinkedRoleArn(partition: string, accountId: string, dnsSuffix: string): string {
  return `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.${dnsSuffix}/AWSServiceRoleForAutoScaling`;
}

/** What a volume grant lets Auto Scaling do with the key: create and read encrypted volumes. */
export const VOLUME_GRANT_OPERATIONS = ["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKeyWithoutPlaintext", "DescribeKey", "CreateGrant"] as const;
