import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type PlanSnapshot, type SnapshotResource, parseSnapshot, SECRET_MARK } from "../../../plan/snapshot";
import { FIXTURE_DIR, gigafactory, tempDir } from "../../support/cli-run";

// The offline engine on a small program of its own (test/fixtures/engine/index.ts): every registration is
// recorded whole, secrets never leave the program, and the default providers `pulumi up` would add are there.

let snapshot: PlanSnapshot;
let text: string;
let secondText: string;
let stdout: string;

const byName = (name: string): SnapshotResource => {
  const found = snapshot.resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}`);
  return found;
};
const providerUrn = (ref: string | null) => (ref === null ? null : ref.slice(0, ref.lastIndexOf("::")));

beforeAll(async () => {
  const dir = tempDir();
  const files = [path.join(dir, "a.json"), path.join(dir, "b.json")];
  // Two plans of the same stack, each in its own process, at the same time.
  const runs = await Promise.all(files.map((f) => gigafactory(["plan", "--stack", "fixture", "--dir", FIXTURE_DIR, "--json", f])));
  for (const r of runs) expect(r.code, r.stderr).toBe(0);
  stdout = runs[0].stdout;
  text = readFileSync(files[0], "utf8");
  secondText = readFileSync(files[1], "utf8");
  snapshot = parseSnapshot(JSON.parse(text));
});

describe("the offline engine on the fixture program", () => {
  it("writes byte-identical snapshots for two plans of the same stack", () => {
    expect(secondText).toBe(text);
  });

  it("writes the contract's top-level keys in order and every resource with all of its fields", () => {
    expect(Object.keys(JSON.parse(text))).toEqual(["format", "project", "stack", "tool", "config", "spec", "blueprint", "findings", "resources"]);
    for (const r of JSON.parse(text).resources) {
      expect(Object.keys(r).sort()).toEqual(
        ["additionalSecretOutputs", "custom", "deleteBeforeReplace", "dependencies", "ignoreChanges", "inputs", "name", "parent", "protect", "provider", "retainOnDelete", "type", "urn"],
      );
    }
    expect(snapshot.project).toBe("engine-fixture");
    expect(snapshot.stack).toBe("fixture");
  });

  it("records every registration the program makes, under the root stack as pulumi up does", () => {
    const names = snapshot.resources.map((r) => r.name);
    for (const n of ["engine-fixture-fixture", "box", "box-vpc", "box-subnet", "box-bucket", "box-password", "fixture-aws", "node-role", "tenant-ns", "db-password", "sovereign-key", "sovereign-alias"]) {
      expect(names).toContain(n);
    }
    const stack = byName("engine-fixture-fixture");
    expect(stack.type).toBe("pulumi:pulumi:Stack");
    expect(stack.parent).toBeNull();
    expect(byName("box").parent).toBe(stack.urn);
    // The engine leaves the root stack out of its children's URNs.
    expect(byName("box").urn).toBe("urn:pulumi:fixture::engine-fixture::fixture:index:Box::box");
  });

  it("records a component's children with their parent and the explicit provider they were given", () => {
    const box = byName("box");
    const provider = byName("fixture-aws");
    for (const child of ["box-vpc", "box-subnet", "box-bucket", "box-password"]) {
      expect(byName(child).parent).toBe(box.urn);
      expect(providerUrn(byName(child).provider)).toBe(provider.urn);
    }
    expect(byName("box-vpc").urn).toBe("urn:pulumi:fixture::engine-fixture::fixture:index:Box$aws:ec2/vpc:Vpc::box-vpc");
    expect(box.custom).toBe(false);
    expect(box.provider).toBeNull();
  });

  it("records dependencies, from dependsOn and from the outputs an input uses", () => {
    const vpc = byName("box-vpc");
    expect(byName("box-bucket").dependencies).toContain(vpc.urn);
    expect(byName("box-subnet").dependencies).toContain(vpc.urn);
    expect(byName("box-vpc").dependencies).toEqual([]);
  });

  it("records protect, retainOnDelete, ignoreChanges, deleteBeforeReplace and additionalSecretOutputs", () => {
    const bucket = byName("box-bucket");
    expect(bucket.protect).toBe(true);
    expect(bucket.retainOnDelete).toBe(true);
    expect(bucket.ignoreChanges).toEqual(["tags"]);
    const parameter = byName("box-password");
    expect(parameter.deleteBeforeReplace).toBe(true);
    expect(parameter.additionalSecretOutputs).toContain("value");
    expect(byName("box-vpc").protect).toBe(false);
    expect(byName("box-vpc").retainOnDelete).toBe(false);
  });

  it("shows a secret input, from the program or from the stack config, as [secret] and never its plaintext", () => {
    expect(byName("box-password").inputs.value).toBe(SECRET_MARK);
    expect(byName("db-password").inputs.value).toBe(SECRET_MARK);
    expect(text).not.toContain("hunter2-plaintext");
    expect(snapshot.config["engine-fixture:dbPassword"]).toBe(SECRET_MARK);
    expect(text).not.toContain("v1:c2VjcmV0Cg==");
  });

  it("adds the default aws and kubernetes providers with the stack's config, and points unprovidered resources at them", () => {
    const aws = snapshot.resources.filter((r) => r.type === "pulumi:providers:aws" && r.name.startsWith("default_"));
    expect(aws).toHaveLength(1);
    expect(aws[0].inputs.region).toBe(snapshot.config["aws:region"]);
    expect(aws[0].inputs.version).toBe(snapshot.tool.aws);
    expect(aws[0].name).toBe(`default_${snapshot.tool.aws.replace(/\./g, "_")}`);
    expect(JSON.parse(aws[0].inputs.defaultTags as string)).toEqual((snapshot.config["aws:defaultTags"] as object));
    expect(providerUrn(byName("node-role").provider)).toBe(aws[0].urn);
    const k8s = snapshot.resources.find((r) => r.type === "pulumi:providers:kubernetes");
    expect(k8s?.name).toBe(`default_${snapshot.tool.kubernetes.replace(/\./g, "_")}`);
    expect(providerUrn(byName("tenant-ns").provider)).toBe(k8s?.urn);
    // A default provider is created before the first resource that uses it.
    const index = (r: SnapshotResource | undefined) => snapshot.resources.indexOf(r as SnapshotResource);
    expect(index(aws[0])).toBeLessThan(index(byName("node-role")));
  });

  it("lets every custom resource's region be read from the snapshot alone", () => {
    const providers = new Map(snapshot.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]));
    for (const r of snapshot.resources.filter((x) => x.custom && x.type.startsWith("aws:"))) {
      const provider = providers.get(providerUrn(r.provider) ?? "");
      expect(provider, r.urn).toBeDefined();
      expect(typeof provider?.inputs.region).toBe("string");
    }
  });

  it("answers with realistic ids, ARNs in the provider's partition and rendered policy documents", () => {
    expect(byName("box-subnet").inputs.vpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(byName("sovereign-alias").inputs.targetKeyId).toMatch(/^arn:aws-eusc:kms:eusc-de-east-1:\d{12}:key\/[0-9a-f-]{36}$/);
    const policy = JSON.parse(byName("node-role").inputs.assumeRolePolicy as string);
    expect(policy.Statement[0]).toEqual({ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } });
    expect(byName("node-role").inputs.description).toMatch(/^for \d{12}$/);
  });

  it("reports a data source nobody answers as a warning, and still plans", () => {
    expect(stdout).toContain("aws:outposts/getOutposts:getOutposts");
    expect(stdout).toMatch(/warning: data source aws:outposts\/getOutposts:getOutposts has no offline answer/);
  });

  it("keeps the spec's errors out of the snapshot's findings and carries the sized blueprint", () => {
    expect(snapshot.findings.every((f) => f.level !== "error")).toBe(true);
    expect(typeof snapshot.blueprint.totalGpus).toBe("number");
    expect(snapshot.blueprint.totalGpus).toBeGreaterThan(0);
  });
});
