import { describe, expect, it } from "vitest";
import { aiFactoryDoc, at, errorsOf, only, validate, validateWithoutRegion } from "../../fixtures/spec/specs";

// Every finding validateSpec knows, each with a spec that draws it and the nearest spec that does not.

const P = "gigafactory:factory";

describe("a valid spec", () => {
  it("validates with no error and returns the resolved spec", () => {
    const v = validate(aiFactoryDoc());
    expect(errorsOf(v)).toEqual([]);
    expect(v.spec?.pools.train.nodes).toBe(64);
    expect(v.spec?.region).toBe("eu-north-1");
  });

  it("returns no spec as soon as one finding is an error", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.nodes = 0;
    const v = validate(doc);
    expect(errorsOf(v).length).toBeGreaterThan(0);
    expect(v.spec).toBeUndefined();
  });
});

describe("the document", () => {
  it("a missing gigafactory:factory is an error naming the key", () => {
    const v = validate(undefined);
    expect(only(v, P).message).toMatch(/has no gigafactory:factory/);
    expect(v.spec).toBeUndefined();
  });

  it("a gigafactory:factory that is not a map is an error saying what it is", () => {
    expect(only(validate(["preset", "dev"]), P).message).toMatch(/expected a map .* got a list/);
    expect(only(validate("dev"), P).message).toMatch(/got the text "dev"/);
  });

  it("an unknown preset is an error with a did-you-mean", () => {
    const doc = aiFactoryDoc();
    doc.preset = "gigafactroy";
    const f = only(validate(doc), `${P}.preset`);
    expect(f.level).toBe("error");
    expect(f.hint).toMatch(/did you mean gigafactory\?/);
    expect(f.hint).toMatch(/dev, ai-factory, gigafactory/);
  });

  it("a spec with an unknown preset is still checked beyond it", () => {
    const doc = aiFactoryDoc();
    doc.preset = "huge";
    doc.pools.train.instanceType = "p6-b200.48xlarge";
    expect(at(validate(doc), `${P}.pools.train.instanceType`)).toHaveLength(1);
  });

  it("a typo in a key is an unknown key with a did-you-mean from the schema", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.instanceTyp = doc.pools.train.instanceType;
    delete doc.pools.train.instanceType;
    const v = validate(doc);
    const f = only(v, `${P}.pools.train.instanceTyp`);
    expect(f.message).toBe("unknown key instanceTyp");
    expect(f.hint).toMatch(/^did you mean instanceType\?/);
    expect(only(v, `${P}.pools.train.instanceType`).message).toBe("instanceType is missing");
  });

  it("an unknown key far from any known key lists the keys that are known there", () => {
    const doc = aiFactoryDoc();
    doc.network = { zzz: 1 };
    const f = only(validate(doc), `${P}.network.zzz`);
    expect(f.hint).not.toMatch(/did you mean/);
    expect(f.hint).toMatch(/keys here: vpcCidrs, podAddressing/);
  });

  it("a region written into the spec is told to live in aws:region", () => {
    const doc = { ...aiFactoryDoc(), region: "eu-north-1" };
    expect(only(validate(doc), `${P}.region`).hint).toMatch(/aws:region/);
  });

  it("a key of another capacity source names the source it belongs to", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.capacity = { source: "on-demand", reservations: [] };
    expect(only(validate(doc), `${P}.pools.train.capacity.reservations`).hint).toBe("reservations belongs to source: odcr");
  });

  it("a wrong type says what was expected and what was given", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.nodes = "eight";
    const f = only(validate(doc), `${P}.pools.train.nodes`);
    expect(f.message).toBe('expected a number, got the text "eight"');
    expect(f.hint).toMatch(/whole number of nodes/);
  });

  it("a fractional node count asks for a whole number", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.nodes = 2.5;
    expect(only(validate(doc), `${P}.pools.train.nodes`).message).toBe("expected a whole number, got the number 2.5");
  });

  it("an unknown capacity source gets a did-you-mean", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.capacity = { source: "odcrr" };
    const f = only(validate(doc), `${P}.pools.train.capacity.source`);
    expect(f.hint).toMatch(/^did you mean odcr\?/);
  });

  it("a capacity without a source asks for one", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.capacity = {};
    expect(only(validate(doc), `${P}.pools.train.capacity.source`).message).toBe("capacity needs a source");
  });

  it("a pool name that is not a DNS label is refused with the rule", () => {
    const doc = aiFactoryDoc();
    doc.pools.Train_1 = doc.pools.train;
    delete doc.pools.train;
    const f = only(validate(doc), `${P}.pools.Train_1`);
    expect(f.message).toBe('"Train_1" is not a valid pool name');
    expect(f.hint).toMatch(/lower-case letters/);
  });

  it("an empty key (YAML null) says it is empty", () => {
    const doc = aiFactoryDoc();
    doc.tenants = null;
    expect(only(validate(doc), `${P}.tenants`).message).toMatch(/tenants is empty/);
  });

  it("model parameters written wrongly name both accepted forms", () => {
    const doc = aiFactoryDoc();
    doc.storage = { checkpoint: { modelParameters: "1Q" } };
    expect(only(validate(doc), `${P}.storage.checkpoint.modelParameters`).message).toBe('expected a number, or a number with K, M, B or T (e.g. 70B, 1T), got the text "1Q"');
    doc.storage = { checkpoint: { modelParameters: "70B" } };
    expect(validate(doc).spec?.storage.checkpoint.modelParameters).toBe(70e9);
  });

  it("reports every problem of a document at once, not only the first", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.instanceTyp = "p5en.48xlarge";
    doc.pools.other = { instanceType: "p5.48xlarge", nodes: 4, availabilityZone: "eu-north-1d" };
    doc.tenants.acme.priority = "hihg";
    const paths = errorsOf(validate(doc)).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining([`${P}.pools.train.instanceTyp`, `${P}.pools.other.availabilityZone`, `${P}.tenants.acme.priority`]));
  });

  it("a tenant on a pool the schema rejected is not told the pool does not exist", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.nodes = "many";
    doc.tenants.acme.pools = ["train"];
    expect(at(validate(doc), `${P}.tenants.acme.pools[0]`)).toEqual([]);
  });
});

describe("the region", () => {
  it("a missing aws:region is an error listing the EU regions", () => {
    const f = only(validateWithoutRegion(aiFactoryDoc()), "aws:region");
    expect(f.message).toMatch(/sets no aws:region/);
    expect(f.hint).toMatch(/eu-north-1/);
  });

  it("eu-nort-1 is not an AWS region, and the hint guesses eu-north-1", () => {
    const f = only(validate(aiFactoryDoc(), "eu-nort-1"), "aws:region");
    expect(f.message).toBe('"eu-nort-1" is not an AWS region');
    expect(f.hint).toMatch(/^did you mean eu-north-1\?/);
  });

  it("a name an object carries of itself (constructor, toString) is no AWS region", () => {
    for (const name of ["constructor", "toString", "__proto__"]) expect(only(validate(aiFactoryDoc(), name), "aws:region").message).toBe(`${JSON.stringify(name)} is not an AWS region`);
  });

  it("eu-west-2 is an AWS region in the United Kingdom, not the EU, and the hint lists the EU regions", () => {
    const f = only(validate(aiFactoryDoc(), "eu-west-2"), "aws:region");
    expect(f.level).toBe("error");
    expect(f.message).toMatch(/the United Kingdom, which is not an EU member state/);
    expect(f.hint).toBe("use an EU region: eu-north-1, eu-south-2, eu-central-1, eu-west-1, eu-west-3, eu-south-1, eusc-de-east-1");
  });

  it("Zurich is not EU either", () => {
    expect(only(validate(aiFactoryDoc(), "eu-central-2"), "aws:region").message).toMatch(/Switzerland/);
  });

  it("a region outside Europe is outside the EU", () => {
    expect(only(validate(aiFactoryDoc(), "us-east-1"), "aws:region").message).toMatch(/outside the EU/);
  });

  it("every EU region passes the region check", () => {
    for (const region of ["eu-north-1", "eu-south-2", "eu-central-1", "eu-west-1", "eu-west-3", "eu-south-1"]) {
      expect(at(validate(aiFactoryDoc(), region), "aws:region").filter((f) => f.level === "error")).toEqual([]);
    }
  });

  it("the sovereign cloud is EU, with an info on its separate partition", () => {
    const f = only(validate(aiFactoryDoc(), "eusc-de-east-1"), "aws:region");
    expect(f.level).toBe("info");
    expect(f.message).toMatch(/aws-eusc/);
  });
});

describe("pools", () => {
  it("a factory without pools is an error", () => {
    const doc = aiFactoryDoc();
    delete doc.pools;
    delete doc.tenants;
    expect(only(validate(doc), `${P}.pools`).message).toBe("the factory has no GPU pool");
  });

  it("a type not offered in the region is an error naming what is offered there", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.instanceType = "p6-b200.48xlarge";
    const f = only(validate(doc), `${P}.pools.train.instanceType`);
    expect(f.message).toBe("p6-b200.48xlarge is not offered in eu-north-1");
    expect(f.hint).toBe("use p5en.48xlarge or p5.48xlarge, or choose another region");
  });

  it("a type offered elsewhere in the EU names the regions that offer it", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.availabilityZone = "eu-central-1a";
    const f = only(validate(doc, "eu-central-1"), `${P}.pools.train.instanceType`);
    expect(f.hint).toMatch(/a region that offers p5en\.48xlarge: eu-north-1, eu-south-2$/);
  });

  it("a region that offers no GPU says so", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.availabilityZone = "eu-west-3a";
    expect(only(validate(doc, "eu-west-3"), `${P}.pools.train.instanceType`).hint).toMatch(/^eu-west-3 offers no accelerated instance type/);
  });

  it("an unknown instance type is an error with a did-you-mean", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.instanceType = "p5en.48xlarg";
    const f = only(validate(doc), `${P}.pools.train.instanceType`);
    expect(f.message).toBe("unknown instance type p5en.48xlarg");
    expect(f.hint).toMatch(/^did you mean p5en\.48xlarge\?/);
  });

  it("a type whose EFA layout the catalog does not know cannot be wired", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.instanceType = "p6e-gb200.36xlarge";
    const messages = at(validate(doc), `${P}.pools.train.instanceType`).map((f) => f.message);
    expect(messages).toContain("the catalog does not know how p6e-gb200.36xlarge lays out its network cards for EFA, so its launch template cannot be wired");
    expect(at(validate(aiFactoryDoc()), `${P}.pools.train.instanceType`)).toEqual([]);
  });

  it("a pool with both nodes and gpus is an error", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.gpus = 512;
    expect(only(validate(doc), `${P}.pools.train.gpus`).message).toBe("pool train gives both nodes (64) and gpus (512)");
  });

  it("a pool with neither nodes nor gpus is an error", () => {
    const doc = aiFactoryDoc();
    delete doc.pools.train.nodes;
    expect(only(validate(doc), `${P}.pools.train`).message).toBe("pool train gives neither nodes nor gpus");
  });

  it("a GPU count that is not a whole number of nodes is an error with the nearest counts", () => {
    const doc = aiFactoryDoc();
    delete doc.pools.train.nodes;
    doc.pools.train.gpus = 100;
    const f = only(validate(doc), `${P}.pools.train.gpus`);
    expect(f.message).toBe("100 GPUs is not a whole number of p5en.48xlarge nodes (8 GPUs each)");
    expect(f.hint).toMatch(/use 96 or 104 GPUs/);
    doc.pools.train.gpus = 104;
    doc.tenants = { acme: { gpuQuota: 8 } };
    expect(validate(doc).spec?.pools.train.nodes).toBe(13);
  });

  it("an availability zone outside the region is an error listing the region's zones", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.availabilityZone = "eu-south-2a";
    const f = only(validate(doc), `${P}.pools.train.availabilityZone`);
    expect(f.message).toBe("eu-south-2a is not an availability zone of eu-north-1");
    expect(f.hint).toMatch(/eu-north-1a, eu-north-1b, eu-north-1c/);
  });

  it("a pool spread over several zones is told EFA does not cross zones and to split it", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.availabilityZone = ["eu-north-1a", "eu-north-1b"];
    const f = only(validate(doc), `${P}.pools.train.availabilityZone`);
    expect(f.message).toMatch(/names 2: EFA traffic does not cross availability zones/);
    expect(f.hint).toMatch(/split the pool/);
  });

  it("availabilityZones (plural) on a pool gets the same advice", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.availabilityZones = ["eu-north-1a", "eu-north-1b"];
    expect(only(validate(doc), `${P}.pools.train.availabilityZones`).hint).toMatch(/EFA does not cross availability zones/);
  });
});

describe("pods per node", () => {
  it("more than the managed node group cap of 250 is an error", () => {
    const doc = aiFactoryDoc();
    doc.network = { maxPodsPerNode: 251 };
    expect(only(validate(doc), `${P}.network.maxPodsPerNode`).message).toMatch(/at most 250/);
    doc.network = { maxPodsPerNode: 250 };
    expect(at(validate(doc), `${P}.network.maxPodsPerNode`)).toEqual([]);
  });

  it("in secondary-ip mode a pool may not exceed its card-0 addresses (p5: 100)", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.instanceType = "p5.48xlarge";
    doc.pools.train.maxPodsPerNode = 110;
    doc.network = { podAddressing: "secondary-ip" };
    const f = only(validate(doc), `${P}.pools.train.maxPodsPerNode`);
    expect(f.message).toMatch(/network card 0 of p5\.48xlarge has addresses for 100 pods/);
    doc.network = { podAddressing: "prefix-delegation" };
    expect(at(validate(doc), `${P}.pools.train.maxPodsPerNode`)).toEqual([]);
  });

  it("a pool that inherits too many pods is reported at the network value, naming the pool", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.instanceType = "p5.48xlarge";
    doc.network = { podAddressing: "secondary-ip", maxPodsPerNode: 120 };
    const f = only(validate(doc), `${P}.network.maxPodsPerNode`);
    expect(f.message).toMatch(/^pool train inherits 120 pods per node/);
  });

  it("fewer pods than the system daemonsets need is a warning", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.maxPodsPerNode = 8;
    const v = validate(doc);
    expect(only(v, `${P}.pools.train.maxPodsPerNode`).level).toBe("warning");
    expect(v.spec).toBeDefined();
    doc.pools.train.maxPodsPerNode = 16;
    expect(at(validate(doc), `${P}.pools.train.maxPodsPerNode`)).toEqual([]);
  });
});

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

describe("network", () => {
  const withCidrs = (...vpcCidrs: string[]) => {
    const doc = aiFactoryDoc();
    doc.network = { vpcCidrs };
    return validate(doc);
  };

  it("valid, disjoint /16 blocks pass", () => {
    expect(errorsOf(withCidrs("10.0.0.0/16", "10.1.0.0/16", "100.64.0.0/16"))).toEqual([]);
  });

  it("a block that is not an IPv4 CIDR is an error", () => {
    expect(only(withCidrs("10.0.0.0/16", "10.300.0.0/16"), `${P}.network.vpcCidrs[1]`).message).toBe('"10.300.0.0/16" is not an IPv4 CIDR block');
  });

  it("a block larger than /16 or smaller than /28 is an error", () => {
    expect(only(withCidrs("10.0.0.0/12"), `${P}.network.vpcCidrs[0]`).hint).toMatch(/split it into \/16 blocks \(16 of them/);
    expect(only(withCidrs("10.0.0.0/29"), `${P}.network.vpcCidrs[0]`).message).toMatch(/\/16 to \/28/);
    expect(at(withCidrs("10.0.0.0/28"), `${P}.network.vpcCidrs[0]`)).toEqual([]);
  });

  it("a block with host bits set names its network address", () => {
    expect(only(withCidrs("10.0.3.0/16"), `${P}.network.vpcCidrs[0]`).hint).toMatch(/10\.0\.0\.0\/16$/);
  });

  it("overlapping blocks are an error", () => {
    expect(only(withCidrs("10.0.0.0/16", "10.0.128.0/17"), `${P}.network.vpcCidrs[1]`).message).toBe("10.0.128.0/17 overlaps 10.0.0.0/16 (vpcCidrs[0])");
  });

  it("a second block from another private range than the first is refused as AWS refuses it", () => {
    expect(only(withCidrs("10.0.0.0/16", "192.168.0.0/16"), `${P}.network.vpcCidrs[1]`).message).toMatch(/takes no block from 192\.168\.0\.0\/16/);
    expect(only(withCidrs("10.1.0.0/16", "10.0.0.0/16"), `${P}.network.vpcCidrs[1]`).message).toMatch(/10\.0\.0\.0\/15/);
  });

  it("system availability zones outside the region are an error", () => {
    const doc = aiFactoryDoc();
    doc.network = { systemAvailabilityZones: ["eu-north-1a", "eu-west-1b"] };
    expect(only(validate(doc), `${P}.network.systemAvailabilityZones[1]`).message).toBe("eu-west-1b is not an availability zone of eu-north-1");
  });

  it("a single system availability zone is an error: EKS needs two", () => {
    const doc = aiFactoryDoc();
    doc.network = { systemAvailabilityZones: ["eu-north-1a"] };
    expect(only(validate(doc), `${P}.network.systemAvailabilityZones`).message).toMatch(/EKS needs subnets in at least 2/);
  });

  it("a flow-log retention CloudWatch does not offer is an error with the nearest one", () => {
    const doc = aiFactoryDoc();
    doc.network = { flowLogRetentionDays: 31 };
    expect(only(validate(doc), `${P}.network.flowLogRetentionDays`).hint).toMatch(/^use 30,/);
    doc.network = { flowLogRetentionDays: 90 };
    expect(at(validate(doc), `${P}.network.flowLogRetentionDays`)).toEqual([]);
  });
});

describe("storage", () => {
  it("a storage objective that is not positive is an error", () => {
    const doc = aiFactoryDoc();
    doc.storage = { checkpoint: { seconds: 0 } };
    expect(only(validate(doc), `${P}.storage.checkpoint.seconds`).message).toBe("seconds must be greater than 0, got the number 0");
    doc.storage = { checkpoint: { modelParameters: "0B" } };
    expect(only(validate(doc), `${P}.storage.checkpoint.modelParameters`).level).toBe("error");
    doc.storage = { checkpoint: { seconds: 30, modelParameters: "70B" } };
    expect(errorsOf(validate(doc))).toEqual([]);
  });

  it("a checkpoint too small to resume from is a warning", () => {
    const doc = aiFactoryDoc();
    doc.storage = { checkpoint: { bytesPerParameter: 2 } };
    expect(only(validate(doc), `${P}.storage.checkpoint.bytesPerParameter`).level).toBe("warning");
  });
});

describe("tags and labels", () => {
  it("a tag key starting with aws: is an error", () => {
    const doc = aiFactoryDoc();
    doc.tags = { "aws:team": "x", team: "ml" };
    expect(only(validate(doc), `${P}.tags["aws:team"]`).level).toBe("error");
    expect(at(validate(doc), `${P}.tags.team`)).toEqual([]);
  });

  it("a tag the factory sets itself is a warning pointing to the spec's own key", () => {
    const doc = aiFactoryDoc();
    doc.tags = { "cost-center": "x" };
    expect(only(validate(doc), `${P}.tags.cost-center`).hint).toBe("set costCenter: instead");
  });

  it("a node label Kubernetes refuses is an error", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.labels = { "team/": "x", "example.org/team": "ml" };
    expect(only(validate(doc), `${P}.pools.train.labels["team/"]`).level).toBe("error");
    expect(at(validate(doc), `${P}.pools.train.labels["example.org/team"]`)).toEqual([]);
  });
});

describe("the file system's pool", () => {
  it("must be a pool of the spec, with a did-you-mean", () => {
    const doc = aiFactoryDoc();
    doc.storage = { lustre: { nextToPool: "trian" } };
    const f = only(validate(doc), `${P}.storage.lustre.nextToPool`);
    expect(f).toMatchObject({ level: "error", message: "the file system is to sit next to pool trian, which does not exist" });
    expect(f.hint).toMatch(/^did you mean train\?/);
    doc.storage.lustre.nextToPool = "train";
    expect(at(validate(doc), `${P}.storage.lustre.nextToPool`)).toEqual([]);
  });
});
