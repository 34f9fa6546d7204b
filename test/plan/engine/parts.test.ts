import { describe, expect, it } from "vitest";
import { maskedConfig, packageConfig, runtimeConfig } from "../../../plan/engine/config";
import { defaultProviderName, withDefaultProviders } from "../../../plan/engine/default-providers";
import { placeOf } from "../../../plan/engine/identity";
import { INVOKES } from "../../../plan/engine/invokes";
import { azIdOf, azNameOf, createResource } from "../../../plan/engine/outputs";
import { renderPolicyDocument } from "../../../plan/engine/policy-document";
import { plainValue, UNKNOWN_MARK } from "../../../plan/engine/record";
import { SECRET_MARK, type SnapshotResource } from "../../../plan/snapshot";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { PlanBuilder } from "../../support/snapshot-builder";

// The offline engine's pure parts: wire values to snapshot values, the mocks' answers, config and default providers.

const secret = (value: unknown) => ({ [rpc.specialSigKey]: rpc.specialSecretSig, value });

describe("wire values in a snapshot", () => {
  it("turn a secret at any depth into [secret], never its plaintext", () => {
    const wire = { a: secret("plain"), b: [{ c: secret({ d: "deep" }) }], e: "kept" };
    const plain = plainValue(wire);
    expect(plain).toEqual({ a: SECRET_MARK, b: [{ c: SECRET_MARK }], e: "kept" });
    expect(JSON.stringify(plain)).not.toMatch(/plain"|deep/);
  });

  it("turn a resource reference into the id of a custom resource or the URN of a component, and unknowns into a mark", () => {
    const ref = (urn: string, id?: string) => ({ [rpc.specialSigKey]: rpc.specialResourceSig, urn, ...(id ? { id } : {}) });
    expect(plainValue(ref("urn:pulumi:s::p::aws:ec2/vpc:Vpc::v", "vpc-1"))).toBe("vpc-1");
    expect(plainValue(ref("urn:pulumi:s::p::x:y:Z::c"))).toBe("urn:pulumi:s::p::x:y:Z::c");
    expect(plainValue(rpc.unknownValue)).toBe(UNKNOWN_MARK);
  });
});

describe("the mocks' answers", () => {
  it("place ARNs in the region's partition: aws-eusc for the European Sovereign Cloud", () => {
    const key = createResource({ type: "aws:kms/key:Key", name: "k", inputs: {}, place: placeOf("eusc-de-east-1"), defaultTags: {} }, "seed");
    expect(key.state.arn).toMatch(/^arn:aws-eusc:kms:eusc-de-east-1:\d{12}:key\//);
    const bucket = createResource({ type: "aws:s3/bucket:Bucket", name: "b", inputs: { bucket: "logs" }, place: placeOf("eu-north-1"), defaultTags: {} }, "seed");
    expect(bucket.state.arn).toBe("arn:aws:s3:::logs");
    expect(INVOKES["aws:index/getPartition:getPartition"]({}, placeOf("eusc-de-east-1"))).toMatchObject({ partition: "aws-eusc", dnsSuffix: "amazonaws.eu" });
  });

  it("give an EKS cluster the endpoint, certificate and OIDC issuer a component reads", () => {
    const c = createResource({ type: "aws:eks/cluster:Cluster", name: "eks", inputs: { name: "gf" }, place: placeOf("eu-north-1"), defaultTags: {} }, "seed");
    expect(c.id).toBe("gf");
    expect(c.state.endpoint).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.eu-north-1\.eks\.amazonaws\.com$/);
    expect(Buffer.from((c.state.certificateAuthority as { data: string }).data, "base64").toString()).toContain("BEGIN CERTIFICATE");
    expect((c.state.identities as { oidcs: { issuer: string }[] }[])[0].oidcs[0].issuer).toMatch(/^https:\/\/oidc\.eks\.eu-north-1\.amazonaws\.com\/id\//);
  });

  it("echo inputs, merge the provider's default tags into tagsAll, and give the same ids for the same seed", () => {
    const args = { type: "aws:ec2/vpc:Vpc", name: "v", inputs: { cidrBlock: "10.0.0.0/16", tags: { Name: "v" } }, place: placeOf("eu-north-1"), defaultTags: { owner: "p" } };
    const a = createResource(args, "urn-1");
    expect(a.state).toMatchObject({ cidrBlock: "10.0.0.0/16", tagsAll: { owner: "p", Name: "v" } });
    expect(a.id).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(createResource(args, "urn-1").id).toBe(a.id);
    expect(createResource(args, "urn-2").id).not.toBe(a.id);
  });

  it("name availability zones and their zone ids as AWS does", () => {
    expect(azIdOf("eu-north-1a")).toBe("eun1-az1");
    expect(azIdOf("eu-central-1c")).toBe("euc1-az3");
    expect(INVOKES["aws:index/getAvailabilityZones:getAvailabilityZones"]({}, placeOf("eu-north-1")).names).toEqual(["eu-north-1a", "eu-north-1b", "eu-north-1c"]);
    expect(azNameOf("eun1-az2", "eu-north-1")).toBe("eu-north-1b");
    // A subnet made by AZ ID reads back its zone's name; one made by name its AZ ID.
    const byId = createResource({ type: "aws:ec2/subnet:Subnet", name: "s", inputs: { availabilityZoneId: "eun1-az3", cidrBlock: "10.0.0.0/24" }, place: placeOf("eu-north-1"), defaultTags: {} }, "urn-s");
    expect(byId.state).toMatchObject({ availabilityZoneId: "eun1-az3", availabilityZone: "eu-north-1c" });
    const byName = createResource({ type: "aws:ec2/subnet:Subnet", name: "s", inputs: { availabilityZone: "eu-north-1a", cidrBlock: "10.0.0.0/24" }, place: placeOf("eu-north-1"), defaultTags: {} }, "urn-s");
    expect(byName.state).toMatchObject({ availabilityZoneId: "eun1-az1", availabilityZone: "eu-north-1a" });
  });

  it("answer an EKS-optimised AMI parameter with an AMI id", () => {
    const p = INVOKES["aws:ssm/getParameter:getParameter"]({ name: "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/nvidia/recommended/image_id" }, placeOf("eu-north-1"));
    expect(p.value).toMatch(/^ami-[0-9a-f]{17}$/);
  });
});

describe("getPolicyDocument rendered offline", () => {
  it("writes IAM's JSON: one value as a string, several as a list, principals and conditions grouped", () => {
    const { json } = renderPolicyDocument({
      statements: [
        { sid: "Logs", actions: ["logs:PutLogEvents", "logs:CreateLogStream"], resources: ["*"] },
        {
          effect: "Deny",
          actions: ["s3:*"],
          principals: [{ type: "*", identifiers: ["*"] }],
          conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
          resources: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
        },
      ],
    });
    expect(JSON.parse(json)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Logs", Effect: "Allow", Action: ["logs:PutLogEvents", "logs:CreateLogStream"], Resource: "*" },
        { Effect: "Deny", Action: "s3:*", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } }, Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"] },
      ],
    });
  });

  it("lets an override document replace a statement by its Sid", () => {
    const override = JSON.stringify({ Statement: [{ Sid: "A", Effect: "Deny", Action: "x:*", Resource: "*" }] });
    const { json } = renderPolicyDocument({ statements: [{ sid: "A", actions: ["x:Get"], resources: ["*"] }], overridePolicyDocuments: [override] });
    expect(JSON.parse(json).Statement).toEqual([{ Sid: "A", Effect: "Deny", Action: "x:*", Resource: "*" }]);
  });
});

describe("stack config", () => {
  const config = { "aws:region": "eu-north-1", "aws:defaultTags": { tags: { a: "b" } }, password: { secure: "v1:abc" }, "app:nested": { key: { secure: "v1:def" } } };

  it("masks every secure value, namespaces bare keys with the project, and marks them secret for the program", () => {
    const masked = maskedConfig(config, "proj");
    expect(masked["proj:password"]).toBe(SECRET_MARK);
    expect(masked["app:nested"]).toEqual({ key: SECRET_MARK });
    expect(JSON.stringify(masked)).not.toContain("v1:");
    const runtime = runtimeConfig(config, "proj");
    expect(runtime.secretKeys.sort()).toEqual(["app:nested", "proj:password"]);
    expect(runtime.values["aws:defaultTags"]).toBe('{"tags":{"a":"b"}}');
    expect(packageConfig(config, "aws", "proj")).toEqual({ region: "eu-north-1", defaultTags: { tags: { a: "b" } } });
  });
});

describe("default providers", () => {
  const b = new PlanBuilder({}, "s", "p");
  const r = (name: string, type: string, provider: string | null = null, custom = true): SnapshotResource => b.get(b.add(type, name, {}, { provider, custom }));

  it("are added once per package, before their first user, and only for custom resources without a provider", () => {
    const explicit = r("mine", "pulumi:providers:aws");
    const list = [r("c", "x:index:Component", null, false), explicit, r("a", "aws:s3/bucket:Bucket", `${explicit.urn}::id`), r("b", "aws:iam/role:Role"), r("c2", "aws:iam/role:Role")];
    const out = withDefaultProviders(list, { stack: "s", project: "p" }, (pkg) => ({ pkg, version: "7.48.0", inputs: { region: "eu-north-1" } }), ["kubernetes"]);
    const defaults = out.filter((x) => x.name === defaultProviderName("7.48.0"));
    expect(defaults.map((d) => d.type)).toEqual(["pulumi:providers:aws", "pulumi:providers:kubernetes"]);
    expect(defaults[0].inputs).toEqual({ region: "eu-north-1", version: "7.48.0" });
    expect(out.indexOf(defaults[0])).toBe(out.findIndex((x) => x.name === "b") - 1);
    expect(out.find((x) => x.name === "b")?.provider).toMatch(new RegExp(`^${defaults[0].urn.replace(/\$/g, "\\$")}::`));
    expect(out.find((x) => x.name === "a")?.provider).toBe(`${explicit.urn}::id`);
    expect(out.find((x) => x.name === "c")?.provider).toBeNull();
    expect(defaultProviderName("4.34.2")).toBe("default_4_34_2");
  });
});
