import { z } from "zod";

// Slurm's identity source beside the tenants' users: a directory of the factory's own (LDAP, Active Directory) through
// the sssd.conf held in a Secrets Manager secret of the factory's region (validators/slurm-identity.ts checks the ARN).
export const slurmSchema = z
  .object({
    identity: z
      .object({
        sssd: z.object({ secretArn: z.string() }).strict().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Slurm's identity sources beyond the tenants' users. */
export interface SlurmSpec {
  identity: {
    /** A directory of the factory's own: the full ARN of the Secrets Manager secret whose value is sssd.conf. */
    sssd?: { secretArn: string };
  };
}

