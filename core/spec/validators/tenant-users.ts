import { error } from "../findings";
import type { Finding, TenantUser } from "../schema";
import { tenantPath, type SpecCheck } from "./context";

// Tenants' users: each a POSIX account on Slurm's login and slurmd pods (the same uid on every pod, so files on
// Lustre belong to one person) and a Slurm user of its tenant's account. A name or uid is one person's factory-wide.

// The portable user name (POSIX 3.437 [P]) as useradd takes it by default (NAME_REGEX, adduser.conf.5 [P]): lower case,
// a letter or '_' first, at most 32 characters.
export const POSIX_USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
// uids below 1000 are the system's, 65534 is nobody, and from 2^31 on some tools read them as negative (useradd
// UID_MIN default 1000, login.defs.5 [P]).
export const TENANT_UID_MIN = 1000;
export const TENANT_UID_MAX = 2_147_483_647;
const NOBODY_UID = 65_534;
// uids the Slurm images already give a user of their own: Ubuntu's images carry `ubuntu` at 1000 since 23.04
// (Slinky's images are Ubuntu, core/catalog/slinky-charts.ts; docs/sources.md#ubuntu-container-user [U]). A tenant's
// user there would be shadowed by the image's in the pods.
export const IMAGE_UIDS: readonly number[] = [1000];
// Accounts the images and Slurm already have: a tenant's user may not take their name.
export const RESERVED_USER_NAMES: readonly string[] = ["root", "slurm", "munge", "nobody", "daemon", "bin", "sys", "sshd", "ubuntu", "ec2-user"];
// An authorized_keys line's key: its type, the base64 blob, an optional comment (sshd.8 AUTHORIZED_KEYS FILE FORMAT [P]).
export const SSH_PUBLIC_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,2}( [^\n\r]*)?$/;

function checkUser(check: SpecCheck, tenant: string, user: TenantUser, i: number): Finding[] {
  const findings: Finding[] = [];
  const path = (...s: (string | number)[]) => tenantPath(check, tenant, "users", i, ...s);
  if (!POSIX_USER_NAME.test(user.name)) {
    findings.push(error(path("name"), `user name "${user.name}" of tenant ${tenant} is no POSIX user name`, "use at most 32 lower-case letters, digits, '_' or '-', starting with a letter or '_'"));
  } else if (RESERVED_USER_NAMES.includes(user.name)) {
    findings.push(error(path("name"), `user name "${user.name}" of tenant ${tenant} is an account of the system`, `choose another name (reserved: ${RESERVED_USER_NAMES.join(", ")})`));
  }
  if (user.uid < TENANT_UID_MIN || user.uid > TENANT_UID_MAX || user.uid === NOBODY_UID || IMAGE_UIDS.includes(user.uid)) {
    findings.push(error(path("uid"), `uid ${user.uid} of user ${user.name} is the system's or out of range`, `use a uid from ${TENANT_UID_MIN + 1} to ${TENANT_UID_MAX}, not ${[NOBODY_UID, ...IMAGE_UIDS].join(" or ")}`));
  }
  user.sshKeys.forEach((key, k) => {
    if (!SSH_PUBLIC_KEY.test(key.trim())) {
      findings.push(error(path("sshKeys", k), `key ${k + 1} of user ${user.name} is not an OpenSSH public key`, "paste one line of the user's id_ed25519.pub (or id_rsa.pub): `ssh-ed25519 AAAA... comment`"));
    }
  });
  return findings;
}

export function validateTenantUsers(check: SpecCheck): Finding[] {
  const findings: Finding[] = [];
  const byName = new Map<string, string>();
  const byUid = new Map<number, string>();
  for (const [tenant, spec] of Object.entries(check.spec.tenants)) {
    spec.users.forEach((user, i) => {
      findings.push(...checkUser(check, tenant, user, i));
      const owner = `${user.name} of tenant ${tenant}`;
      const sameName = byName.get(user.name);
      if (sameName !== undefined) {
        findings.push(error(tenantPath(check, tenant, "users", i, "name"), `user ${user.name} is declared twice: also ${sameName}`, "a person has one user in the factory: keep one, or give each its own name"));
      } else byName.set(user.name, owner);
      const sameUid = byUid.get(user.uid);
      if (sameUid !== undefined) {
        findings.push(error(tenantPath(check, tenant, "users", i, "uid"), `uid ${user.uid} of user ${user.name} is already ${sameUid}'s`, "give every user a uid of its own: files on the shared file system belong to a uid"));
      } else byUid.set(user.uid, owner);
    });
  }
  return findings;
}
