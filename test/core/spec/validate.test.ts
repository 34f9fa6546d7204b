import { describe, expect, it } from "vitest";
import { aiFactoryDoc, at, errorsOf, only, validate, validateWithoutRegion } from "../../fixtures/spec/specs";

// Every finding validateSpec knows of the document, the region, the pools and pods per node, each with a spec that
// draws it and the nearest spec that does not (capacity and tenants: validate-capacity-tenants.test.ts; network and
// storage: validate-network-storage.test.ts).

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

