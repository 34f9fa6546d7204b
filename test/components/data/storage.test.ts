import { beforeAll, describe, expect, it } from "vitest";
import { planStorage } from "../../../core/blueprint/storage";
import { installRecordingMocks, settle, type Recorder } from "../../support/recording-mocks";

// A 405B-parameter model checkpointed in 60 s on 25,000 GPUs: EFA-enabled, 1000 MB/s/TiB.
const plan = planStorage({
  storage: { checkpoint: { modelParameters: 405e9, bytesPerParameter: 14, seconds: 60, keep: 3 }, datasetTB: 30, readMBpsPerGpu: 1 },
  totalGpus: 25_000,
  availabilityZone: "eu-south-2a",
}).storage;

let rec: Recorder;

beforeAll(async () => {
  rec = installRecordingMocks("eu-south-2");
  const { FactoryStorage } = await import("../../../components/data/storage");
  new FactoryStorage("af", {
    plan,
    vpcId: "vpc-1",
    vpcCidrs: ["10.0.0.0/16", "10.1.0.0/16"],
    subnetId: "subnet-a",
    efaSecurityGroupId: "sg-efa",
    keyArn: "arn:aws:kms:eu-south-2:123456789012:key/k",
    logRetentionDays: 365,
    checkpointsToKeep: 3,
  });
  await settle();
});

describe("the factory's storage", () => {
  it("sizes the Lustre file system exactly as the blueprint says, EFA-enabled in its security group", () => {
    expect(plan.efaEnabled).toBe(true);
    const fs = rec.one("aws:fsx/lustreFileSystem:LustreFileSystem", "-lustre");
    expect(fs.inputs).toMatchObject({
      deploymentType: "PERSISTENT_2",
      storageCapacity: plan.storageCapacityGiB,
      perUnitStorageThroughput: plan.perUnitStorageThroughputMBpsPerTiB,
      efaEnabled: true,
      metadataConfiguration: { mode: "AUTOMATIC" },
      kmsKeyId: "arn:aws:kms:eu-south-2:123456789012:key/k",
      subnetIds: "subnet-a",
    });
    expect(fs.inputs.securityGroupIds).toEqual(["af-sg-lustre-id", "sg-efa"]);
  });

  it("keeps datasets, checkpoints and logs in versioned buckets encrypted with the factory's key", () => {
    const buckets = rec.ofType("aws:s3/bucket:Bucket");
    expect(buckets.map((b) => b.name).sort()).toEqual(["af-access-logs", "af-checkpoints", "af-datasets", "af-logs"]);
    for (const b of buckets) expect(b.inputs.forceDestroy).toBe(false);
    for (const v of rec.ofType("aws:s3/bucketVersioning:BucketVersioning")) expect(v.inputs.versioningConfiguration.status).toBe("Enabled");
    const encryption = rec.ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").filter((e) => e.name !== "af-access-logs-encryption");
    expect(encryption).toHaveLength(3);
    for (const e of encryption) {
      expect(e.inputs.rules[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:eu-south-2:123456789012:key/k" });
    }
  });

  it("logs every bucket's server access into a bucket of its own, kept a year and encrypted as S3 requires of a log destination", () => {
    const logging = rec.ofType("aws:s3/bucketLogging:BucketLogging");
    expect(logging.map((l) => l.inputs.targetPrefix).sort()).toEqual(["checkpoints/", "datasets/", "logs/"]);
    expect(rec.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "af-access-logs-encryption").inputs.rules[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: "AES256" });
    const lifecycle = rec.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "af-access-logs-lifecycle").inputs.rules[0];
    expect(lifecycle.expiration.days).toBe(365);
    const policy = JSON.parse(rec.one("aws:s3/bucketPolicy:BucketPolicy", "af-access-logs-policy").inputs.policy);
    const delivery = policy.Statement.find((s: { Sid: string }) => s.Sid === "S3ServerAccessLogs");
    expect(delivery).toMatchObject({ Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject" });
    expect(delivery.Condition.StringEquals["aws:SourceAccount"]).toBe("123456789012");
    expect(delivery.Condition.ArnLike["aws:SourceArn"]).toHaveLength(3);
  });

  it("blocks every form of public access and refuses plain HTTP and other accounts", () => {
    for (const b of rec.ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")) {
      expect(b.inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    }
    const policies = rec.ofType("aws:s3/bucketPolicy:BucketPolicy").map((p) => JSON.parse(p.inputs.policy));
    expect(policies).toHaveLength(4);
    for (const p of policies) {
      const sids = p.Statement.map((s: { Sid: string; Effect: string }) => `${s.Effect}:${s.Sid}`);
      expect(sids.slice(0, 2)).toEqual(["Deny:DenyPlainHttp", "Deny:DenyOtherAccounts"]);
      expect(p.Statement[1].Condition.StringNotEquals["aws:PrincipalAccount"]).toBe("123456789012");
    }
  });

  it("keeps the spec's number of old checkpoint versions and cleans up abandoned uploads", () => {
    const lifecycle = rec.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "af-checkpoints-lifecycle");
    const versions = lifecycle.inputs.rules.find((r: { id: string }) => r.id === "old-versions");
    expect(versions.noncurrentVersionExpiration.newerNoncurrentVersions).toBe(3);
    expect(lifecycle.inputs.rules.some((r: { abortIncompleteMultipartUpload?: unknown }) => r.abortIncompleteMultipartUpload)).toBe(true);
  });

  it("links datasets and checkpoints into the file system without ever deleting data when unlinked", () => {
    const links = rec.ofType("aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation");
    expect(links.map((l) => l.inputs.fileSystemPath).sort()).toEqual(["/checkpoints", "/datasets"]);
    for (const l of links) expect(l.inputs.deleteDataInFilesystem).toBe(false);
  });

  it("opens Lustre's ports only within the VPC", () => {
    const rules = rec.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    for (const r of rules) {
      expect([988, 1018]).toContain(r.inputs.fromPort);
      if (r.inputs.cidrIpv4) expect(["10.0.0.0/16", "10.1.0.0/16"]).toContain(r.inputs.cidrIpv4);
    }
  });

  it("asks for no provider function the mocks do not answer", () => {
    expect(rec.unmockedCalls).toEqual([]);
  });
});
