import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { STACK_FRAME, tempDir, gigafactoryServed } from "../../support/cli-run";
import { aiFactoryDoc, at, errorsOf, only, validate } from "../../fixtures/spec/specs";
import { TENANT_ID_BASE, tenantPosixId } from "../../../core/lib/tenant-ids";

// Bad tenants never reach a plan: each is an error at its YAML path, and the command exits 2 without a trace.

const P = "gigafactory:factory";

describe("a tenant the cluster cannot have", () => {
  it("in a pool that does not exist is an error at the pool's place in the tenant's list", () => {
    const doc = aiFactoryDoc();
    doc.tenants.acme.pools = ["trian"];
    expect(only(validate(doc), `${P}.tenants.acme.pools[0]`)).toMatchObject({ level: "error", message: "tenant acme names pool trian, which does not exist" });
  });

  it("with a quota above the GPUs of its pools is an error at its quota", () => {
    const doc = aiFactoryDoc();
    doc.tenants.acme.gpuQuota = 513;
    expect(only(validate(doc), `${P}.tenants.acme.gpuQuota`).level).toBe("error");
  });

  it("whose name is not a DNS-1123 label (it becomes a namespace) is an error at its name", () => {
    for (const name of ["Acme", "acme_ai", "-acme", "acme-", "a".repeat(41)]) {
      const doc = aiFactoryDoc();
      doc.tenants[name] = { gpuQuota: 8 };
      const v = validate(doc);
      expect(errorsOf(v).map((f) => f.path), name).toContain(`${P}.tenants${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`}`);
    }
  });

  it("with a priority that does not exist is an error at its priority", () => {
    const doc = aiFactoryDoc();
    doc.tenants.acme.priority = "urgent";
    expect(only(validate(doc), `${P}.tenants.acme.priority`).level).toBe("error");
  });

  it("named like a namespace Kubernetes or the factory's add-ons keep is an error at the tenant", () => {
    for (const name of ["kube-system", "kube-anything", "default", "kueue-system", "gpu-operator", "monitoring", "slurm", "slinky"]) {
      const doc = aiFactoryDoc();
      doc.tenants[name] = { gpuQuota: 8 };
      const f = only(validate(doc), `${P}.tenants.${name}`);
      expect(f.level, name).toBe("error");
      expect(f.message).toMatch(new RegExp(`would get the namespace ${name}`));
    }
    const doc = aiFactoryDoc();
    doc.tenants["kubeflow-team"] = { gpuQuota: 8 };
    expect(at(validate(doc), `${P}.tenants.kubeflow-team`)).toEqual([]);
  });

  it("whose cost centre cannot label its namespace is an error at the cost centre it has", () => {
    const doc = aiFactoryDoc();
    doc.tenants.acme.costCenter = "R&D / Lisbon";
    expect(only(validate(doc), `${P}.tenants.acme.costCenter`).level).toBe("error");
    doc.tenants.acme.costCenter = "rnd-lisbon";
    expect(errorsOf(validate(doc))).toEqual([]);
  });

  it("inheriting a factory cost centre that cannot be a label is told once, at the factory's cost centre", () => {
    const doc = aiFactoryDoc();
    doc.costCenter = "Finance & Ops";
    expect(only(validate(doc), `${P}.costCenter`).message).toMatch(/which tenants without their own inherit/);
    for (const t of Object.values<Record<string, unknown>>(doc.tenants)) t.costCenter = "cc-1";
    expect(at(validate(doc), `${P}.costCenter`)).toEqual([]);
  });
});

describe("gigafactory plan with a bad tenant", () => {
  it("exits 2 with the finding's YAML path and no stack trace", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "stacks"));
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: gigafactory\nruntime: nodejs\nmain: stacks/index.ts\nstackConfigDir: stacks\n");
    writeFileSync(
      path.join(dir, "stacks", "Pulumi.bad.yaml"),
      [
        "config:",
        "  aws:region: eu-north-1",
        "  gigafactory:factory:",
        "    preset: dev",
        "    pools:",
        "      try: { instanceType: p5.48xlarge, nodes: 2, availabilityZone: eu-north-1a }",
        "    tenants:",
        "      kube-team: { gpuQuota: 8 }",
        "      acme: { gpuQuota: 8, pools: [tri] }",
        "",
      ].join("\n"),
    );
    const run = await gigafactoryServed(["plan", "--stack", "bad", "--dir", dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error gigafactory:factory\.tenants\.kube-team: tenant kube-team would get the namespace kube-team/);
    expect(run.stderr).toMatch(/error gigafactory:factory\.tenants\.acme\.pools\[0\]: tenant acme names pool tri, which does not exist/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });
});

describe("tenants' identities on the shared file system", () => {
  it("are derived from the name alone, so other tenants never move them", () => {
    expect(tenantPosixId("acme")).toBe(tenantPosixId("acme"));
    expect(tenantPosixId("acme")).toBeGreaterThanOrEqual(TENANT_ID_BASE);
    expect(tenantPosixId("acme")).toBeLessThan(2 ** 31);
  });

  it("that collide are an error at the second tenant, which a rename resolves", () => {
    // Two names whose ids collide, found the way a factory could stumble on them.
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const name = `t${i.toString(36)}`;
      const id = tenantPosixId(name);
      if (seen.has(id)) pair = [seen.get(id)!, name];
      seen.set(id, name);
    }
    const doc = aiFactoryDoc();
    const [first, second] = pair.sort();
    doc.tenants[first] = { gpuQuota: 8 };
    doc.tenants[second] = { gpuQuota: 8 };
    expect(only(validate(doc), `${P}.tenants.${second}`)).toMatchObject({ level: "error", message: expect.stringMatching(new RegExp(`tenants ${first} and ${second} map to the same file-system owner`)) });
  });

  it("refuse a person whose uid owns another tenant's share, at the user's uid", () => {
    const doc = aiFactoryDoc();
    const [owner, other] = Object.keys(doc.tenants);
    doc.tenants[other].users = [{ name: "mallory", uid: tenantPosixId(owner) }];
    expect(only(validate(doc), `${P}.tenants.${other}.users[0].uid`)).toMatchObject({ level: "error", message: expect.stringMatching(new RegExp(`owner of tenant ${owner}'s share`)) });
  });
});
