import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe as group, expect, it } from "vitest";
import { AWS_SDK_VERSION, REGIONLESS_AWS_TYPES, TAGGABLE_AWS_TYPES } from "../../policies/catalog/aws-types.generated";
import { renderAwsTypes, scanAwsTypes } from "../../policies/catalog/scan-aws-types";
import { placeOf } from "../../policies/lib/places";
import { globalScopeOf } from "../../policies/eu-residency/whereabouts";

// The facts the policies read about AWS types and places.

group("the AWS type catalog", () => {
  it("is exactly what the installed @pulumi/aws says (regenerate with policies/catalog/write-aws-types.ts)", () => {
    const awsDir = dirname(require.resolve("@pulumi/aws/package.json"));
    const version = (JSON.parse(readFileSync(join(awsDir, "package.json"), "utf8")) as { version: string }).version;
    expect(AWS_SDK_VERSION).toBe(version);
    const generated = readFileSync(join(__dirname, "../../policies/catalog/aws-types.generated.ts"), "utf8");
    expect(generated).toBe(renderAwsTypes(scanAwsTypes(awsDir), version));
  });

  it("knows which types take tags and which have no region", () => {
    expect(TAGGABLE_AWS_TYPES.has("aws:ec2/flowLog:FlowLog")).toBe(true);
    expect(TAGGABLE_AWS_TYPES.has("aws:ec2/routeTableAssociation:RouteTableAssociation")).toBe(false);
    expect(REGIONLESS_AWS_TYPES.has("aws:iam/role:Role")).toBe(true);
    expect(REGIONLESS_AWS_TYPES.has("aws:s3/bucket:Bucket")).toBe(false);
  });

  it("tells edge services from DNS and control planes, and regional types from all three", () => {
    expect(globalScopeOf("aws:cloudfront/distribution:Distribution")).toBe("edge");
    expect(globalScopeOf("aws:globalaccelerator/listener:Listener")).toBe("edge");
    expect(globalScopeOf("aws:route53/record:Record")).toBe("dns");
    expect(globalScopeOf("aws:iam/policy:Policy")).toBe("control-plane");
    expect(globalScopeOf("aws:organizations/account:Account")).toBe("control-plane");
    expect(globalScopeOf("aws:ec2/vpc:Vpc")).toBeUndefined();
  });
});

group("reading a place from a string", () => {
  it.each([
    ["eu-north-1", "region", "eu-north-1"],
    ["eusc-de-east-1", "region", "eusc-de-east-1"],
    ["us-gov-west-1", "region", "us-gov-west-1"],
    ["eu-south-2b", "zone", "eu-south-2"],
    ["us-east-1-bos-1a", "zone", "us-east-1"],
    ["arn:aws:kms:eu-west-1:123456789012:key/k", "arn", "eu-west-1"],
    ["arn:aws-eusc:logs:eusc-de-east-1:123456789012:log-group:x", "arn", "eusc-de-east-1"],
    ["arn:aws:s3:::bucket/prefix", "arn", ""],
    ["s3://bucket/prefix", "s3-url", ""],
    ["com.amazonaws.eu-central-1.ecr.dkr", "service-name", "eu-central-1"],
    ["eu.amazonaws.eusc-de-east-1.s3", "service-name", "eusc-de-east-1"],
    ["com.amazonaws.vpce.us-east-1.vpce-svc-0123", "service-name", "us-east-1"],
    ["123456789012.dkr.ecr.us-west-2.amazonaws.com/eks/pause:3.9", "host", "us-west-2"],
    ["https://ABC.gr7.eu-north-1.eks.amazonaws.com", "host", "eu-north-1"],
    ["https://ABC.gr7.eusc-de-east-1.eks.amazonaws.eu", "host", "eusc-de-east-1"],
    ["vpc-flow-logs.amazonaws.com", "host", ""],
  ])("%s is a %s in %s", (text, kind, region) => {
    expect(placeOf(text)).toMatchObject({ kind, region });
  });

  it.each(["gigafactory gf-dev: logs, volumes and file systems", "eu-north-1 is where we are", "p5.48xlarge", "10.0.0.0/16", "Interface"])("%s names no place", (text) => {
    expect(placeOf(text)).toBeUndefined();
  });
});
