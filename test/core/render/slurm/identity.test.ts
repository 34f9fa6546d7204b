import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TenantPlan } from "../../../../core/blueprint/types";
import { slurmIdentityFindings, CONFIGMAP_MAX_BYTES } from "../../../../core/checks/slurm-identity";
import { identityPodParts } from "../../../../core/render/slurm/identity-pods";
import { IDENTITY_CONFIGMAP, LOGIN_SSHD_CONFIG, renderIdentitySync, tenantIdentityData, tenantIdentityPatch } from "../../../../core/render/slurm/identity";
import { POSIX_USER_NAME } from "../../../../core/spec/validators/tenant-users";
import { tenantPosixId } from "../../../../core/lib/tenant-ids";

// Tenants' users in Slurm's pods: what each tenant writes into the shared ConfigMap, and the sidecar's program run
// for real on a scratch /etc, as it runs beside slurmd, sshd and slurmctld.

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ada@laptop";
const tenant = (name: string, users: { name: string; uid: number; sshKeys?: string[] }[]): Pick<TenantPlan, "name" | "posixId" | "users"> => ({
  name,
  posixId: tenantPosixId(name),
  users: users.map((u) => ({ sshKeys: [KEY], ...u })),
});
const teamA = tenant("team-a", [{ name: "ada", uid: 20001 }]);
const teamB = tenant("team-b", [
  { name: "grace", uid: 20002 },
  { name: "alan", uid: 20003, sshKeys: [] },
]);

describe("a tenant's keys in the shared identity ConfigMap", () => {
  it("holds a passwd line per user in the tenant's group, the group with its members, and each user's keys", () => {
    const data = tenantIdentityData(teamB);
    const gid = tenantPosixId("team-b");
    expect(data["team-b.accounts"]).toBe(`grace:*:20002:${gid}:grace (team-b):/fsx/home/grace:/bin/bash\nalan:*:20003:${gid}:alan (team-b):/fsx/home/alan:/bin/bash\n`);
    expect(data["team-b.groups"]).toBe(`team-b:x:${gid}:grace,alan\n`);
    expect(data["grace.authorized_keys"]).toBe(`${KEY}\n`);
    expect(data["alan.authorized_keys"]).toBe("");
    expect(tenantIdentityData(tenant("empty", []))).toEqual({});
  });

  it("is a patch of the one ConfigMap with only the tenant's own keys", () => {
    const patch = tenantIdentityPatch(teamA, "slurm");
    expect(patch.metadata).toEqual({ name: IDENTITY_CONFIGMAP, namespace: "slurm" });
    expect(Object.keys(patch.data as object).sort()).toEqual(["ada.authorized_keys", "team-a.accounts", "team-a.groups"]);
  });

  it("renders, for any valid users, keys the API server takes and passwd lines that read back as declared", () => {
    const user = fc.record({ name: fc.stringMatching(POSIX_USER_NAME), uid: fc.integer({ min: 1001, max: 2 ** 31 - 1 }) });
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/), fc.uniqueArray(user, { selector: (u) => u.name, maxLength: 5 }), (name, users) => {
        const t = tenant(name, users);
        const data = tenantIdentityData(t);
        for (const k of Object.keys(data)) expect(k).toMatch(/^[-._a-zA-Z0-9]+$/);
        const lines = users.length ? data[`${name}.accounts`].trimEnd().split("\n") : [];
        expect(lines.map((l) => l.split(":"))).toEqual(users.map((u) => [u.name, "*", String(u.uid), String(t.posixId), `${u.name} (${name})`, `/fsx/home/${u.name}`, "/bin/bash"]));
      }),
    );
  });

  it("is refused by the design when the factory's users would not fit the ConfigMap's 1 MiB", () => {
    const rsa = `ssh-rsa ${"A".repeat(700)} someone`;
    const many = Array.from({ length: 40 }, (_, t) => tenant(`t${t}`, Array.from({ length: 40 }, (_, u) => ({ name: `u${t}x${u}`, uid: 30000 + t * 100 + u, sshKeys: [rsa] }))));
    const findings = slurmIdentityFindings({ tenants: many as TenantPlan[] });
    expect(findings).toHaveLength(1);
    expect(findings[0].level).toBe("error");
    expect(findings[0].message).toContain(`more than the ${CONFIGMAP_MAX_BYTES - 16 * 1024}`);
    expect(slurmIdentityFindings({ tenants: [teamA, teamB] as TenantPlan[] })).toEqual([]);
  });
});

describe("the identity sidecar's program, run on a scratch /etc", () => {
  let dir: string;
  const src = () => join(dir, "src");
  const out = () => join(dir, "out");
  const etc = () => join(dir, "etc");
  const home = () => join(dir, "fsx", "home");
  const BASE_PASSWD = "root:x:0:0:root:/root:/bin/bash\nslurm:x:401:401::/var/lib/slurm:/usr/sbin/nologin\nubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n";
  const BASE_GROUP = "root:x:0:\nslurm:x:401:\nubuntu:x:1000:\n";
  const write = (t: Pick<TenantPlan, "name" | "posixId" | "users">) => {
    for (const [k, v] of Object.entries(tenantIdentityData(t))) writeFileSync(join(src(), k), v);
  };
  const sync = (withHomes = false) => {
    const r = spawnSync("/bin/sh", ["-c", renderIdentitySync(), "sync", "once"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, GF_IDENTITY_SOURCE: src(), GF_IDENTITY_OUTPUT: out(), GF_IDENTITY_ETC: etc(), ...(withHomes ? { GF_IDENTITY_HOME: home() } : {}) },
    });
    expect(r.status, r.stderr).toBe(0);
  };
  const passwd = () => readFileSync(join(out(), "passwd"), "utf8");

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "gf-identity-"));
    for (const d of [src(), out(), etc(), join(dir, "fsx")]) mkdirSync(d);
    chmodSync(out(), 0o777); // as an emptyDir is made
    writeFileSync(join(etc(), "passwd"), BASE_PASSWD);
    writeFileSync(join(etc(), "group"), BASE_GROUP);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps the image's accounts and adds every tenant's users, groups and keys where sshd reads them", () => {
    write(teamA);
    write(teamB);
    sync();
    expect(passwd().startsWith(BASE_PASSWD)).toBe(true);
    for (const line of [...tenantIdentityData(teamA)["team-a.accounts"].split("\n"), ...tenantIdentityData(teamB)["team-b.accounts"].split("\n")].filter(Boolean)) expect(passwd()).toContain(`${line}\n`);
    expect(readFileSync(join(out(), "group"), "utf8")).toContain(`team-b:x:${teamB.posixId}:grace,alan\n`);
    expect(readFileSync(join(out(), "keys", "ada"), "utf8")).toBe(`${KEY}\n`);
    // sshd's StrictModes: no folder on the way, nor the file, writable by others.
    expect(statSync(out()).mode & 0o777).toBe(0o755);
    expect(statSync(join(out(), "keys")).mode & 0o777).toBe(0o755);
    expect(statSync(join(out(), "keys", "ada")).mode & 0o777).toBe(0o644);
    // sshd looks there (the sidecar's output folder in the pod).
    expect(LOGIN_SSHD_CONFIG).toBe("AuthorizedKeysFile .ssh/authorized_keys /run/gigafactory/identity/keys/%u");
  });

  it("never lets a tenant's line shadow an account of the image, by name or by id", () => {
    writeFileSync(join(src(), "evil.accounts"), "root:*:20009:20009:x:/:/bin/sh\nmallory:*:0:0:x:/:/bin/sh\nslurmish:*:401:401:x:/:/bin/sh\nok:*:20010:20010:x:/:/bin/sh\n");
    sync();
    const lines = passwd().split("\n");
    expect(lines.filter((l) => l.startsWith("root:"))).toEqual(["root:x:0:0:root:/root:/bin/bash"]);
    expect(lines.some((l) => l.startsWith("mallory:") || l.startsWith("slurmish:"))).toBe(false);
    expect(lines).toContain("ok:*:20010:20010:x:/:/bin/sh");
  });

  it("rewrites the merged files in place when a tenant comes or goes, so a subPath mount sees the change, and drops a gone user's keys", () => {
    write(teamA);
    sync();
    const inode = statSync(join(out(), "passwd")).ino;
    write(teamB);
    sync();
    expect(statSync(join(out(), "passwd")).ino).toBe(inode);
    expect(passwd()).toContain("grace:*:20002:");
    for (const k of Object.keys(tenantIdentityData(teamB))) unlinkSync(join(src(), k));
    sync();
    expect(statSync(join(out(), "passwd")).ino).toBe(inode);
    expect(passwd()).not.toContain("grace:");
    expect(passwd()).toContain("ada:*:20001:");
    expect(() => statSync(join(out(), "keys", "grace"))).toThrow();
    // The base stays the image's own even after the merged file replaced /etc/passwd's content.
    expect(readFileSync(join(out(), "passwd.base"), "utf8")).toBe(BASE_PASSWD);
  });

  it.skipIf(process.getuid?.() !== 0)("makes each user's home once on the login pods, owned by the user and the tenant's group", () => {
    write(teamA);
    sync(true);
    const st = statSync(join(home(), "ada"));
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([20001, teamA.posixId, 0o700]);
    sync();
    expect(() => statSync(join(home(), "grace"))).toThrow();
  });
});

describe("the identity parts of a Slurm pod", () => {
  it("run the sidecar from the pod's own image, before the main container, and mount the merged files over its passwd and group", () => {
    const parts = identityPodParts({ repository: "registry/ghcr/slinkyproject/login", tag: "26.05" }, { homesVolume: "lustre" });
    const [sidecar] = parts.initContainers;
    expect(sidecar.image).toBe("registry/ghcr/slinkyproject/login:26.05");
    expect(sidecar.restartPolicy).toBe("Always");
    expect(sidecar.startupProbe.exec.command).toEqual(["test", "-s", "/run/gigafactory/identity/passwd"]);
    expect(sidecar.volumeMounts).toContainEqual({ name: "lustre", mountPath: "/fsx" });
    expect(parts.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: "gf-identity", mountPath: "/etc/passwd", subPath: "passwd", readOnly: true },
        { name: "gf-identity", mountPath: "/etc/group", subPath: "group", readOnly: true },
      ]),
    );
    expect(parts.volumes).toContainEqual({ name: "gf-identity-source", configMap: { name: IDENTITY_CONFIGMAP, optional: true, defaultMode: 0o444 } });
  });
});
