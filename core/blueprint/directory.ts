import type { FactorySpec } from "../spec/schema";

// A directory of the factory's own (LDAP, Active Directory) behind Slurm's login and slurmd pods: its sssd.conf stays
// in the factory's Secrets Manager secret, and only the cluster reads it (core/render/slurm/directory.ts). What the
// blueprint decides is who may: one IAM role, for one service account of Slurm's namespace, that reads that one ARN.

export interface DirectoryPlan {
  /** The full ARN of the secret whose value is sssd.conf. */
  sssdSecretArn: string;
  /** The IAM role the copying pods run as (EKS Pod Identity), under the factory's path. */
  roleName: string;
}

/** The directory the spec names, or none. */
export function planDirectory(spec: Pick<FactorySpec, "name" | "slurm">): DirectoryPlan | undefined {
  const sssd = spec.slurm.identity.sssd;
  if (!sssd) return undefined;
  return { sssdSecretArn: sssd.secretArn, roleName: `${spec.name}-slurm-directory` };
}
