// A tenant's POSIX identity on the shared file system: one number that is its share's owner, group and Lustre
// project. It is derived from the tenant's name alone, so adding, removing or reordering other tenants never changes
// it (a changed id would orphan every file the tenant owns). Ids start above the range distributions give local users
// and systemd's dynamic users (up to 65535 [P: systemd "Users, Groups, UIDs and GIDs on systemd systems"]) and stay
// below 2^31, which every POSIX tool and Lustre's project ids take [P: lfs-project(1) project id is a 32-bit number].

export const TENANT_ID_BASE = 1_000_000;
export const TENANT_ID_RANGE = 2 ** 30;

/** FNV-1a, 32 bits, over the name's UTF-8 bytes: stable across runs and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function tenantPosixId(tenant: string): number {
  return TENANT_ID_BASE + (fnv1a(tenant) % TENANT_ID_RANGE);
}
