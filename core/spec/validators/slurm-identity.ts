import { error } from "../findings";
import { specPath } from "../paths";
import { parseSecretArn } from "../secret-arn";
import type { Finding } from "../schema";
import type { SpecCheck } from "./context";

// A directory of the factory's own behind Slurm's pods: the Secrets Manager secret that holds its sssd.conf, named by
// its full ARN in the factory's region and partition. The factory's own Slurm secrets (`<factory>/slurm/…`,
// components/data/slurm-secrets.ts) are never a directory: the role that reads the directory's secret would then read
// Slurm's keys.

export function validateSlurmIdentity(check: SpecCheck): Finding[] {
  const sssd = check.input.slurm?.identity?.sssd;
  if (!sssd) return [];
  const path = specPath("slurm", "identity", "sssd", "secretArn");
  const parsed = parseSecretArn(sssd.secretArn, check.region);
  if (!parsed.ok) return [error(path, parsed.problem, parsed.hint)];
  const own = `${check.spec.name}/slurm/`;
  if (parsed.value.name.startsWith(own)) {
    return [error(path, `${parsed.value.name} is one of the factory's own Slurm secrets, not a directory's sssd.conf`, "store the directory's sssd.conf in a secret of its own and name that secret's ARN")];
  }
  return [];
}
