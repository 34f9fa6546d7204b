import type { DirectoryPlan } from "../../blueprint/directory";
import { type PolicyDocument, serviceAccountTrustPolicy } from "./iam";

// Who reads the directory's sssd.conf in AWS: one role, assumed through EKS Pod Identity by one service account of
// Slurm's namespace, that may read one secret and decrypt it only through Secrets Manager, for that secret.

/** The role's path: the factory's own, apart from the tenants' (the deploy runner may not pass it). */
export const DIRECTORY_ROLE_PATH = "/gigafactory/slurm/";

export interface DirectoryTrustContext {
  dnsSuffix: string;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
}

/** Pod Identity may assume the role only for the copier's service account in Slurm's namespace of this cluster. */
export function directoryTrustPolicy(c: DirectoryTrustContext): PolicyDocument {
  return serviceAccountTrustPolicy("DirectoryCopierOnly", c.dnsSuffix, c);
}

/**
 * Read the one secret, and decrypt its value when a key of the customer's encrypts it: only through Secrets Manager
 * of the secret's region, and only for that secret (Secrets Manager's encryption context is the secret's ARN,
 * docs/sources.md#secretsmanager-kms [P]). No other secret, no listing, no write.
 */
export function directoryReadPolicy(plan: Pick<DirectoryPlan, "sssdSecretArn">, dnsSuffix: string): PolicyDocument {
  const region = plan.sssdSecretArn.split(":")[3];
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadTheDirectorysSssdConf", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: plan.sssdSecretArn },
      {
        Sid: "DecryptItThroughSecretsManager",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": `secretsmanager.${region}.${dnsSuffix}`, "kms:EncryptionContext:SecretARN": plan.sssdSecretArn },
        },
      },
    ],
  };
}
