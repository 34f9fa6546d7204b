import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { filePath, filePrefix, joinPath, parsePath, specPath, valueAt } from "../../../core/spec/paths";
import { CONFIG_KEY } from "../../../core/spec/schema";

const plainKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,12}$/);
const anyKey = fc.oneof(plainKey, fc.string());

describe("YAML paths of findings", () => {
  it("join plain keys with dots, list items as [n], and quote any other key", () => {
    expect(specPath("pools", "train", "instanceType")).toBe("gigafactory:factory.pools.train.instanceType");
    expect(specPath("network", "vpcCidrs", 0)).toBe("gigafactory:factory.network.vpcCidrs[0]");
    expect(specPath("pools", "train", "labels", "example.com/team")).toBe('gigafactory:factory.pools.train.labels["example.com/team"]');
    expect(specPath("tenants", "1st")).toBe('gigafactory:factory.tenants["1st"]');
    expect(specPath()).toBe(CONFIG_KEY);
  });

  it("start a tenants file's paths after its name and a colon", () => {
    expect(filePrefix("tenants.gigafactory.yaml")).toBe("tenants.gigafactory.yaml:");
    expect(filePath("tenants.gigafactory.yaml", "tenants", "acme", "gpuQuota")).toBe("tenants.gigafactory.yaml:tenants.acme.gpuQuota");
    expect(filePath("tenants.yaml", "tenants", "a b")).toBe('tenants.yaml:tenants["a b"]');
  });

  it("extend a path already written, as a check given a tenant's path does", () => {
    expect(joinPath(specPath("tenants", "acme"), "priority")).toBe("gigafactory:factory.tenants.acme.priority");
    expect(joinPath("", "pools", 2)).toBe("pools[2]");
  });

  it("write plain keys as a dotted join under the config key (property)", () => {
    fc.assert(
      fc.property(fc.array(plainKey, { minLength: 1, maxLength: 6 }), (keys) => {
        expect(specPath(...keys)).toBe(`${CONFIG_KEY}.${keys.join(".")}`);
      }),
    );
  });

  it("read back as the segments they were written from, whatever the keys (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyKey, fc.nat()), { minLength: 1, maxLength: 6 }), (segments) => {
        expect(parsePath(joinPath("", ...segments))).toEqual(segments);
      }),
    );
  });

  it("refuse text that no path was written as", () => {
    expect(parsePath('pools["unclosed')).toBeUndefined();
    expect(parsePath(".pools")).toBeUndefined();
    expect(parsePath("pools.1x")).toBeUndefined();
    expect(parsePath('pools["a\\"b"][3]')).toEqual(["pools", 'a"b', 3]);
  });
});

describe("the value at a path", () => {
  const doc = { pools: { train: { tenants: ["acme", "beta"] } }, "a.b": 1 };

  it("follows maps by key and lists by index, and is undefined anywhere else", () => {
    expect(valueAt(doc, ["pools", "train", "tenants", 1])).toBe("beta");
    expect(valueAt(doc, ["a.b"])).toBe(1);
    expect(valueAt(doc, ["pools", "train", "tenants", "0"])).toBeUndefined();
    expect(valueAt(doc, ["pools", "nope", "x"])).toBeUndefined();
    expect(valueAt(doc, ["toString"])).toBeUndefined();
  });
});
