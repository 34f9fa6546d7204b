import type { TenantPlan, TenantUserPlan } from "../../blueprint/types";
import type { KubernetesObject } from "../kubernetes/objects-types";
import { LUSTRE_MOUNT_POINT } from "../aws/lustre-mount";

// Tenants' users as POSIX accounts in Slurm's pods: the login pods (sshd, sackd), the slurmd pods (the jobs run as
// the user) and slurmctld (it maps an association's user name to its uid). Each tenant writes its users into one
// shared ConfigMap of Slurm's namespace with a server-side-apply patch of its own keys (its Tenant component, the
// tenants layer), so adding a tenant changes the tenants layer only. Each pod mounts that ConfigMap as a folder
// (the kubelet refreshes it in place) and runs a sidecar from its own image that merges the users into the image's
// /etc/passwd and /etc/group, and copies their SSH keys where sshd reads them.
//
// A user's primary group is its tenant's (the tenant's POSIX id, core/lib/tenant-ids.ts): the id that owns the
// tenant's share of the file system (setgid 2770), so what a user writes there stays the tenant's.

export const IDENTITY_CONFIGMAP = "slurm-identity";
/** Where the pods see the shared ConfigMap (read-only, refreshed by the kubelet). */
export const IDENTITY_SOURCE_DIR = "/etc/gigafactory/identity";
/** The sidecar's output, an emptyDir: passwd, group, and keys/<user>. */
export const IDENTITY_OUTPUT_DIR = "/run/gigafactory/identity";
export const IDENTITY_KEYS_DIR = `${IDENTITY_OUTPUT_DIR}/keys`;
/** Users' home folders, on the shared file system, as the jobs see it. */
export const HOME_ROOT = `${LUSTRE_MOUNT_POINT}/home`;
export const USER_SHELL = "/bin/bash";
// The kubelet refreshes a mounted ConfigMap within its sync period, about a minute (Kubernetes "ConfigMaps",
// mounted ConfigMaps are updated automatically [P], docs/sources.md#kubernetes-configmaps); the sidecar looks twice as often.
export const IDENTITY_SYNC_SECONDS = 30;
// A POSIX group name is at most 32 characters, like a user name (useradd/groupadd NAME_REGEX, login.defs.5 [P]).
const GROUP_NAME_MAX = 32;

/** The tenant's POSIX group: its name where it fits a group name, otherwise named by its id. */
export function tenantGroupName(tenant: Pick<TenantPlan, "name" | "posixId">): string {
  return tenant.name.length <= GROUP_NAME_MAX ? tenant.name : `t${tenant.posixId}`;
}

/** A passwd(5) line: no password (`*`: keys only), the tenant's group, a home on the shared file system. */
export function passwdLine(tenant: Pick<TenantPlan, "name" | "posixId">, user: Pick<TenantUserPlan, "name" | "uid">): string {
  return `${user.name}:*:${user.uid}:${tenant.posixId}:${user.name} (${tenant.name}):${HOME_ROOT}/${user.name}:${USER_SHELL}`;
}

/** The tenant's group(5) line, its users as members. */
export function groupLine(tenant: Pick<TenantPlan, "name" | "posixId" | "users">): string {
  return `${tenantGroupName(tenant)}:x:${tenant.posixId}:${tenant.users.map((u) => u.name).join(",")}`;
}

/** An authorized_keys file (sshd.8 AUTHORIZED_KEYS FILE FORMAT [P]): one key a line. */
export function authorizedKeys(user: Pick<TenantUserPlan, "sshKeys">): string {
  return user.sshKeys.map((k) => `${k.trim()}\n`).join("");
}

/**
 * The tenant's keys in the shared ConfigMap: `<tenant>.accounts` (passwd lines), `<tenant>.groups` (group lines) and
 * `<user>.authorized_keys`. Names are unique factory-wide (a user name once, a tenant name once) and the suffixes keep
 * the kinds apart.
 */
export function tenantIdentityData(tenant: Pick<TenantPlan, "name" | "posixId" | "users">): Record<string, string> {
  if (tenant.users.length === 0) return {};
  return {
    [`${tenant.name}.accounts`]: tenant.users.map((u) => `${passwdLine(tenant, u)}\n`).join(""),
    [`${tenant.name}.groups`]: `${groupLine(tenant)}\n`,
    ...Object.fromEntries(tenant.users.map((u) => [`${u.name}.authorized_keys`, authorizedKeys(u)])),
  };
}

/** The ConfigMap the tenants patch, made once by the platform with content that never changes (so it is never replaced). */
export function identityConfigMap(namespace: string): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: IDENTITY_CONFIGMAP, namespace, labels: { "app.kubernetes.io/managed-by": "gigafactory", "app.kubernetes.io/part-of": "slurm" } },
    data: { "README.txt": "Tenants' Slurm users: each tenant's keys are written by its own patch (the tenants layer).\n" },
  };
}

/** One tenant's patch of the shared ConfigMap: only its own keys (server-side apply, a field manager per tenant). */
export function tenantIdentityPatch(tenant: Pick<TenantPlan, "name" | "posixId" | "users">, namespace: string): KubernetesObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: IDENTITY_CONFIGMAP, namespace }, data: tenantIdentityData(tenant) };
}

/** Everything one tenant adds to the ConfigMap, in bytes as the API server counts them (keys and values). */
export function tenantIdentityBytes(tenant: Pick<TenantPlan, "name" | "posixId" | "users">): number {
  return Object.entries(tenantIdentityData(tenant)).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
}

/**
 * The sidecar's program (POSIX sh, coreutils and awk, as every Slurm image has). It keeps the image's own passwd and
 * group as the base, adds the tenants' lines whose name and id the base does not have (a tenant never shadows an
 * account of the image), and rewrites the merged file in place (same inode: the main containers see it through a
 * subPath mount) only when it changed. With an argument `once` it merges once and exits.
 */
export function renderIdentitySync(): string {
  return `set -eu
src="\${GF_IDENTITY_SOURCE:-${IDENTITY_SOURCE_DIR}}"
out="\${GF_IDENTITY_OUTPUT:-${IDENTITY_OUTPUT_DIR}}"
etc="\${GF_IDENTITY_ETC:-/etc}"
home="\${GF_IDENTITY_HOME:-}"
every="\${GF_IDENTITY_EVERY:-${IDENTITY_SYNC_SECONDS}}"
# sshd's StrictModes refuses keys below a folder others may write: the emptyDir is made 0777.
chmod 0755 "$out"
mkdir -p "$out/keys" && chmod 0755 "$out/keys"
[ -f "$out/passwd.base" ] || cp "$etc/passwd" "$out/passwd.base"
[ -f "$out/group.base" ] || cp "$etc/group" "$out/group.base"
merge() { # base extra target: base lines, then extra lines whose name (field 1) and id (field 3) the base lacks
  awk -F: 'FNR == NR { name[$1] = 1; id[$3] = 1; print; next } !($1 in name) && !($3 in id) && NF >= 4 { name[$1] = 1; id[$3] = 1; print }' "$1" "$2" > "$3.next"
  if ! cmp -s "$3.next" "$3"; then
    [ -f "$3" ] || : > "$3"
    cat "$3.next" > "$3"
  fi
  rm -f "$3.next"
}
sync_once() {
  cat "$src"/*.accounts 2>/dev/null > "$out/passwd.tenants" || :
  cat "$src"/*.groups 2>/dev/null > "$out/group.tenants" || :
  merge "$out/passwd.base" "$out/passwd.tenants" "$out/passwd"
  merge "$out/group.base" "$out/group.tenants" "$out/group"
  chmod 0644 "$out/passwd" "$out/group"
  for f in "$src"/*.authorized_keys; do
    [ -f "$f" ] || continue
    user="$(basename "$f" .authorized_keys)"
    if ! cmp -s "$f" "$out/keys/$user"; then cp "$f" "$out/keys/$user.next" && chmod 0644 "$out/keys/$user.next" && mv "$out/keys/$user.next" "$out/keys/$user"; fi
  done
  for k in "$out/keys"/*; do
    [ -f "$k" ] || continue
    [ -f "$src/$(basename "$k").authorized_keys" ] || rm -f "$k"
  done
  # Homes on the shared file system, by the login pods only (GF_IDENTITY_HOME): made once, owned by the user and
  # its tenant's group.
  if [ -n "$home" ] && [ -d "$(dirname "$home")" ]; then
    awk -F: '{ print $1, $3, $4 }' "$out/passwd.tenants" | while read -r name uid gid; do
      grep -q "^$name:[^:]*:$uid:" "$out/passwd" || continue
      [ -d "$home/$name" ] || { mkdir -p "$home/$name" && chown "$uid:$gid" "$home/$name" && chmod 0700 "$home/$name"; }
    done
  fi
}
sync_once
[ "\${1:-}" = once ] && exit 0
while sleep "$every"; do sync_once; done
`;
}

/** sshd on the login pods also reads the users' keys the sidecar copies (sshd_config.5 AuthorizedKeysFile, %u [P]). */
export const LOGIN_SSHD_CONFIG = `AuthorizedKeysFile .ssh/authorized_keys ${IDENTITY_KEYS_DIR}/%u`;
