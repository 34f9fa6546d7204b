import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { POSIX_USER_NAME, SSH_PUBLIC_KEY } from "../../../core/spec/validators/tenant-users";
import { aiFactoryDoc, errorsOf, only, validate } from "../../fixtures/spec/specs";

// Tenants' users become POSIX accounts on Slurm's pods and Slurm users of the tenant's account: a name, uid or key
// those cannot take is an error at its YAML path, never a stack trace.

const P = "gigafactory:factory";
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh6o9yGqkYbnmDz2S0d4bQ0hX2pA5mLZgM8cJrYq1tE ada@acme";

function withUsers(users: unknown[]) {
  const doc = aiFactoryDoc();
  doc.tenants.acme.users = users;
  return doc;
}

describe("a tenant's users", () => {
  it("are valid with a POSIX name, a uid of their own and OpenSSH keys, and reach the blueprint", () => {
    const v = validate(withUsers([{ name: "ada", uid: 20001, sshKeys: [KEY] }]));
    expect(errorsOf(v)).toEqual([]);
  });

  it.each([
    ["a name no POSIX system takes", { name: "Ada!", uid: 20001 }, "name", /is no POSIX user name/],
    ["a name of the system's", { name: "root", uid: 20001 }, "name", /is an account of the system/],
    ["a system uid", { name: "ada", uid: 999 }, "uid", /is the system's or out of range/],
    ["nobody's uid", { name: "ada", uid: 65534 }, "uid", /is the system's or out of range/],
    ["the uid the Slurm images give their own user (ubuntu)", { name: "ada", uid: 1000 }, "uid", /is the system's or out of range/],
  ])("with %s is an error at that field", (_what, user, field, message) => {
    expect(only(validate(withUsers([user])), `${P}.tenants.acme.users[0].${field}`)).toMatchObject({ level: "error", message: expect.stringMatching(message) });
  });

  it("with a key that is not an OpenSSH public key is an error at the key", () => {
    const v = validate(withUsers([{ name: "ada", uid: 20001, sshKeys: [KEY, "-----BEGIN OPENSSH PRIVATE KEY-----"] }]));
    expect(only(v, `${P}.tenants.acme.users[0].sshKeys[1]`).message).toMatch(/not an OpenSSH public key/);
  });

  it("declared twice, by name or by uid, is an error at the second", () => {
    const doc = withUsers([{ name: "ada", uid: 20001 }]);
    doc.tenants.beta = { gpuQuota: 8, users: [{ name: "ada", uid: 20002 }, { name: "bob", uid: 20001 }] };
    const paths = errorsOf(validate(doc)).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining([`${P}.tenants.beta.users[0].name`, `${P}.tenants.beta.users[1].uid`]));
  });

  it("never crash the validation, whatever the names, uids and keys", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ name: fc.string(), uid: fc.integer(), sshKeys: fc.array(fc.string(), { maxLength: 2 }) }), { maxLength: 4 }), (users) => {
        const v = validate(withUsers(users));
        for (const [i, u] of users.entries()) {
          const named = POSIX_USER_NAME.test(u.name);
          expect(errorsOf(v).some((f) => f.path === `${P}.tenants.acme.users[${i}].name`) || named).toBe(true);
          for (const [k, key] of u.sshKeys.entries()) {
            if (!SSH_PUBLIC_KEY.test(key.trim())) expect(errorsOf(v).map((f) => f.path)).toContain(`${P}.tenants.acme.users[${i}].sshKeys[${k}]`);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
