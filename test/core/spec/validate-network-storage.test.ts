import { describe, expect, it } from "vitest";
import { aiFactoryDoc, at, errorsOf, only, validate } from "../../fixtures/spec/specs";

// Every finding validateSpec knows of the network, storage, tags and the file system's pool, each with a spec that
// draws it and the nearest spec that does not.

const P = "gigafactory:factory";

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
