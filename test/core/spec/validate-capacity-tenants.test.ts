import { describe, expect, it } from "vitest";
import { aiFactoryDoc, at, errorsOf, only, validate } from "../../fixtures/spec/specs";

// Every finding validateSpec knows of the capacity and the tenants, each with a spec that draws it and the nearest
// spec that does not.

const P = "gigafactory:factory";

describe("capacity", () => {
  const blocks = (...sizes: number[]) => sizes.map((instances, i) => ({ reservationId: `cr-0123456789abcde${i.toString(16).padStart(2, "0")}`, instances }));
  const cbDoc = (sizes: number[], nodes = sizes.reduce((a, b) => a + b, 0)) => {
    const doc = aiFactoryDoc();
    doc.pools.train = { instanceType: "p5en.48xlarge", nodes, availabilityZone: "eu-north-1a", capacity: { source: "capacity-block", blocks: blocks(...sizes) } };
    doc.tenants = { acme: { gpuQuota: 8 } };
    return doc;
  };

  it("a pool of capacity blocks plans without a placement group", () => {
    const v = validate(cbDoc([32, 32]));
    expect(errorsOf(v)).toEqual([]);
    expect(v.spec?.pools.train.placement).toBe("none");
  });

  it("a block of more than 64 instances is an error", () => {
    expect(only(validate(cbDoc([65])), `${P}.pools.train.capacity.blocks[0].instances`).message).toBe("a Capacity Block holds at most 64 instances, not 65");
  });

  it("a block size AWS does not sell is a warning", () => {
    expect(only(validate(cbDoc([12])), `${P}.pools.train.capacity.blocks[0].instances`).level).toBe("warning");
  });

  it("more than 256 instances across all blocks is an error", () => {
    const doc = cbDoc([64, 64, 64, 64]);
    doc.pools.burst = { instanceType: "p5.48xlarge", nodes: 8, availabilityZone: "eu-north-1b", capacity: { source: "capacity-block", blocks: [{ reservationId: "cr-0fedcba987654321f", instances: 8 }] } };
    const f = only(validate(doc), `${P}.pools`);
    expect(f.message).toMatch(/add up to 264 instances \(train 256, burst 8\); AWS allows at most 256/);
    delete doc.pools.burst;
    expect(at(validate(doc), `${P}.pools`)).toEqual([]);
  });

  it("pool nodes that differ from the blocks' instances are an error", () => {
    expect(only(validate(cbDoc([32, 32], 60)), `${P}.pools.train.nodes`).message).toBe("pool train has 60 nodes but its capacity blocks hold 64 instances");
  });

  it("a capacity block with placement: cluster is an error", () => {
    const doc = cbDoc([32]);
    doc.pools.train.placement = "cluster";
    expect(only(validate(doc), `${P}.pools.train.placement`).message).toMatch(/asks for a cluster placement group/);
  });

  it("the same reservation in two blocks is an error", () => {
    const doc = cbDoc([32, 32]);
    doc.pools.train.capacity.blocks[1].reservationId = doc.pools.train.capacity.blocks[0].reservationId;
    expect(only(validate(doc), `${P}.pools.train.capacity.blocks[1].reservationId`).level).toBe("error");
  });

  it("capacity blocks in an EU region carry an info to confirm the offering", () => {
    expect(only(validate(cbDoc([32])), `${P}.pools.train.capacity.source`).level).toBe("info");
  });

  it("ODCRs with neither named reservations nor create are an error saying what to write", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.capacity = { source: "odcr" };
    const f = only(validate(doc), `${P}.pools.train.capacity`);
    expect(f.message).toBe("pool train takes ODCRs but names none, and creating them is not asked for");
    expect(f.hint).toMatch(/pools\.train\.capacity\.reservations .* or, for a small stack, set create: true/);
  });

  it("created ODCRs and on-demand default to a cluster placement group", () => {
    const doc = aiFactoryDoc();
    doc.pools.spare = { instanceType: "p5.48xlarge", nodes: 4, availabilityZone: "eu-north-1b", capacity: { source: "on-demand" } };
    const spec = validate(doc).spec;
    expect(spec?.pools.train.placement).toBe("cluster");
    expect(spec?.pools.spare.placement).toBe("cluster");
  });

  it("spot in a cluster placement group is a warning; spot defaults to none", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.capacity = { source: "spot" };
    expect(validate(doc).spec?.pools.train.placement).toBe("none");
    doc.pools.train.placement = "cluster";
    const v = validate(doc);
    expect(only(v, `${P}.pools.train.placement`).level).toBe("warning");
    expect(v.spec).toBeDefined();
  });
});

describe("tenants", () => {
  it("a tenant naming a pool that does not exist is an error with a did-you-mean", () => {
    const doc = aiFactoryDoc();
    doc.tenants.acme.pools = ["trian"];
    const f = only(validate(doc), `${P}.tenants.acme.pools[0]`);
    expect(f.message).toBe("tenant acme names pool trian, which does not exist");
    expect(f.hint).toMatch(/^did you mean train\?/);
  });

  it("a tenant whose priority is not defined is an error; the preset's priorities exist", () => {
    const doc = aiFactoryDoc();
    doc.tenants.acme.priority = "urgent";
    expect(only(validate(doc), `${P}.tenants.acme.priority`).hint).toMatch(/critical, standard, preemptible/);
    doc.priorities = { urgent: 5000 };
    expect(at(validate(doc), `${P}.tenants.acme.priority`)).toEqual([]);
  });

  it("a quota above the factory's GPUs is an error", () => {
    const doc = aiFactoryDoc();
    doc.tenants.acme.gpuQuota = 513;
    expect(only(validate(doc), `${P}.tenants.acme.gpuQuota`).message).toBe("tenant acme's quota of 513 GPUs is more than the factory's 512");
    doc.tenants = { acme: { gpuQuota: 512 } };
    expect(errorsOf(validate(doc))).toEqual([]);
  });

  it("a quota above the GPUs of the pools the tenant may use is an error", () => {
    const doc = aiFactoryDoc();
    doc.pools.small = { instanceType: "p5.48xlarge", nodes: 2, availabilityZone: "eu-north-1b" };
    doc.tenants.acme = { gpuQuota: 32, pools: ["small"] };
    expect(only(validate(doc), `${P}.tenants.acme.gpuQuota`).message).toBe("tenant acme's quota of 32 GPUs is more than the 16 GPUs of the pools it may use (small)");
    doc.tenants.acme.gpuQuota = 16;
    expect(at(validate(doc), `${P}.tenants.acme.gpuQuota`)).toEqual([]);
  });

  it("a pool naming an unknown tenant is an error", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.tenants = ["acme", "acne"];
    const f = only(validate(doc), `${P}.pools.train.tenants[1]`);
    expect(f.message).toBe("pool train names tenant acne, which does not exist");
    expect(f.hint).toMatch(/^did you mean acme\?/);
  });

  it("names that are also JavaScript's own (constructor, toString) are names like any other", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.tenants = ["constructor"];
    doc.tenants.acme.priority = "toString";
    const v = validate(doc);
    expect(only(v, `${P}.pools.train.tenants[0]`).message).toBe("pool train names tenant constructor, which does not exist");
    expect(only(v, `${P}.tenants.acme.priority`).message).toBe("tenant acme has priority toString, which is not defined");
  });

  it("a tenant asking for a pool that does not admit it is an error", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.tenants = ["beta"];
    doc.tenants.acme.pools = ["train"];
    expect(only(validate(doc), `${P}.tenants.acme.pools[0]`).message).toBe("tenant acme asks for pool train, which admits only beta");
  });

  it("a tenant lending more than its quota is an error (Kueue refuses it)", () => {
    const doc = aiFactoryDoc();
    doc.tenants.acme.lendingLimitGpus = 300;
    expect(only(validate(doc), `${P}.tenants.acme.lendingLimitGpus`).level).toBe("error");
  });

  it("quotas adding up to more than the factory is a warning, not an error", () => {
    const doc = aiFactoryDoc();
    doc.tenants = { acme: { gpuQuota: 400 }, beta: { gpuQuota: 400 } };
    const v = validate(doc);
    expect(only(v, `${P}.tenants`).level).toBe("warning");
    expect(v.spec).toBeDefined();
  });

  describe("from a tenants file", () => {
    const file = (tenants: unknown) => ({ path: "tenants.test.yaml", raw: { tenants } });
    const docWithFile = () => {
      const doc = aiFactoryDoc();
      delete doc.tenants;
      doc.tenantsFile = "tenants.test.yaml";
      return doc;
    };

    it("adds the file's tenants to the spec", () => {
      const v = validate(docWithFile(), "eu-north-1", file({ acme: { gpuQuota: 64 }, beta: { gpuQuota: 8 } }));
      expect(errorsOf(v)).toEqual([]);
      expect(Object.keys(v.spec?.tenants ?? {})).toEqual(["acme", "beta"]);
    });

    it("names the file in the path of a tenant's finding", () => {
      const v = validate(docWithFile(), "eu-north-1", file({ acme: { gpuQuota: 1000 } }));
      expect(only(v, "tenants.test.yaml:tenants.acme.gpuQuota").level).toBe("error");
    });

    it("an unknown key in the file is an error at the file's path", () => {
      const v = validate(docWithFile(), "eu-north-1", file({ acme: { gpuQuota: 8, prioirty: "critical" } }));
      expect(only(v, "tenants.test.yaml:tenants.acme.prioirty").hint).toMatch(/^did you mean priority\?/);
    });

    it("a tenant defined both in the spec and in the file is an error", () => {
      const doc = docWithFile();
      doc.tenants = { acme: { gpuQuota: 8 } };
      const v = validate(doc, "eu-north-1", file({ acme: { gpuQuota: 16 } }));
      expect(only(v, "tenants.test.yaml:tenants.acme").message).toBe("tenant acme is defined both here and in gigafactory:factory.tenants.acme");
    });

    it("a file without tenants: is an error", () => {
      const v = validate(docWithFile(), "eu-north-1", { path: "tenants.test.yaml", raw: { acme: { gpuQuota: 8 } } });
      expect(only(v, "tenants.test.yaml").message).toMatch(/without a tenants: key/);
    });

    it("a tenantsFile that was not read is an error, never a spec without its tenants", () => {
      const v = validate(docWithFile());
      expect(only(v, `${P}.tenantsFile`).level).toBe("error");
      expect(v.spec).toBeUndefined();
    });
  });
});

