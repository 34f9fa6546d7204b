import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StoragePlan } from "../../core/blueprint/types";
import { securityGroupWithRules } from "../foundation/security-group";
import { accessLogBucketPolicy, factoryBucketPolicy } from "../../core/render/aws/bucket-policy";
import { bucketDesigns, lifecycleRules, type BucketRole } from "../../core/blueprint/buckets";
import { LUSTRE_MOUNT_POINT, type LustreMount } from "../../core/render/aws/lustre-mount";
import { lustreSecurityGroupRules } from "../../core/render/aws/lustre-rules";

export interface FactoryStorageArgs {
  plan: StoragePlan;
  vpcId: pulumi.Input<string>;
  vpcCidrs: string[];
  /** A subnet in the plan's availability zone: PERSISTENT_2 is a single-AZ file system. */
  subnetId: pulumi.Input<string>;
  /** The EFA security group: an EFA-enabled file system must be in one (FSx API `efaEnabled` [P]). */
  efaSecurityGroupId: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  logRetentionDays: number;
  /** Old checkpoint versions S3 keeps (spec.storage.checkpoint.keep). */
  checkpointsToKeep: number;
}

/** Data that outlives every deploy: a stack removal or a typo must never take it with it. */
const KEEP = { protect: true, retainOnDelete: true } as const;

/**
 * The factory's storage: buckets for datasets, checkpoints and logs, and the Lustre file system sized by the
 * blueprint, linked to the buckets. Everything that holds data is protected and retained.
 */
export class FactoryStorage extends pulumi.ComponentResource {
  readonly buckets: Record<BucketRole, aws.s3.Bucket>;
  readonly fileSystem: aws.fsx.LustreFileSystem;
  /** How nodes mount the file system. */
  readonly mount: pulumi.Output<LustreMount>;

  constructor(name: string, args: FactoryStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:storage:FactoryStorage", name, {}, opts);
    const { plan } = args;
    const identity = aws.getCallerIdentityOutput({}, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this });

    this.buckets = {} as Record<BucketRole, aws.s3.Bucket>;
    for (const design of bucketDesigns(args.checkpointsToKeep)) {
      this.buckets[design.role] = this.bucket(`${name}-${design.role}`, design, args.keyArn, identity.accountId, partition.partition);
    }
    this.accessLogs(`${name}-access-logs`, identity.accountId);

    const lustreGroup = securityGroupWithRules(
      `${name}-sg-lustre`,
      { vpcId: args.vpcId, description: "Lustre: file servers and their clients in the VPC", rules: lustreSecurityGroupRules(args.vpcCidrs) },
      this,
    );
    const lustreLogs = new aws.cloudwatch.LogGroup(
      `${name}-lustre-logs`,
      // FSx requires its log groups under /aws/fsx/ (FSx for Lustre logging [P]).
      { name: `/aws/fsx/${name}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.keyArn, skipDestroy: true },
      { parent: this, ...KEEP },
    );

    this.fileSystem = new aws.fsx.LustreFileSystem(
      `${name}-lustre`,
      {
        deploymentType: plan.deploymentType,
        storageType: "SSD",
        storageCapacity: plan.storageCapacityGiB,
        perUnitStorageThroughput: plan.perUnitStorageThroughputMBpsPerTiB,
        fileSystemTypeVersion: "2.15",
        subnetIds: args.subnetId,
        securityGroupIds: plan.efaEnabled ? [lustreGroup.id, args.efaSecurityGroupId] : [lustreGroup.id],
        kmsKeyId: args.keyArn,
        dataCompressionType: "LZ4",
        // EFA and GPUDirect Storage can only be chosen at creation, and need a metadata configuration.
        efaEnabled: plan.efaEnabled,
        metadataConfiguration: plan.metadata.mode === "AUTOMATIC" ? { mode: "AUTOMATIC" } : { mode: "USER_PROVISIONED", iops: plan.metadata.iops },
        logConfiguration: { level: "WARN_ERROR", destination: lustreLogs.arn },
        automaticBackupRetentionDays: 0,
        // Should the file system ever be deleted, FSx takes a last backup first.
        skipFinalBackup: false,
        copyTagsToBackups: true,
      },
      { parent: this, ...KEEP },
    );

    this.mount = pulumi
      .all([this.fileSystem.dnsName, this.fileSystem.mountName])
      .apply(([dnsName, mountName]) => ({ dnsName, mountName, mountPoint: LUSTRE_MOUNT_POINT, efa: args.plan.efaEnabled }));

    for (const design of bucketDesigns(args.checkpointsToKeep)) {
      if (!design.lustrePath) continue;
      new aws.fsx.DataRepositoryAssociation(
        `${name}-dra-${design.role}`,
        {
          fileSystemId: this.fileSystem.id,
          fileSystemPath: design.lustrePath,
          dataRepositoryPath: pulumi.interpolate`s3://${this.buckets[design.role].bucket}/`,
          batchImportMetaDataOnCreate: true,
          // Removing the link never deletes the data on the file system.
          deleteDataInFilesystem: false,
          s3: {
            autoImportPolicy: { events: ["NEW", "CHANGED", "DELETED"] },
            autoExportPolicy: { events: ["NEW", "CHANGED", "DELETED"] },
          },
        },
        { parent: this },
      );
    }

    this.registerOutputs({
      fileSystemId: this.fileSystem.id,
      dnsName: this.fileSystem.dnsName,
      mountName: this.fileSystem.mountName,
      buckets: Object.fromEntries(Object.entries(this.buckets).map(([role, b]) => [role, b.bucket])),
    });
  }

  private bucket(
    name: string,
    design: ReturnType<typeof bucketDesigns>[number],
    keyArn: pulumi.Input<string>,
    accountId: pulumi.Output<string>,
    partition: pulumi.Output<string>,
  ): aws.s3.Bucket {
    const bucket = new aws.s3.Bucket(name, { forceDestroy: false, tags: { "gigafactory:bucket-role": design.role } }, { parent: this, ...KEEP });
    const child = { parent: this };
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    new aws.s3.BucketPublicAccessBlock(
      `${name}-no-public`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );
    new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true }],
      },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: lifecycleRules(design) }, child);
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucket.id,
        policy: pulumi
          .all([bucket.arn, accountId, partition])
          .apply(([bucketArn, account, part]) => JSON.stringify(factoryBucketPolicy({ bucketArn, accountId: account, partition: part }))),
      },
      child,
    );
    return bucket;
  }

  /**
   * Server access logs of every bucket, in a bucket of their own in the same region and account (S3 delivers
   * them nowhere else), kept a year. Encrypted with S3's own keys: S3 delivers no server access logs to a bucket
   * whose default encryption is SSE-KMS (docs/sources.md#s3-server-access-logging). Its own requests are not
   * logged: logging a destination into itself logs every delivery again, without end.
   */
  private accessLogs(name: string, accountId: pulumi.Output<string>): void {
    const bucket = new aws.s3.Bucket(name, { forceDestroy: false, tags: { "gigafactory:bucket-role": "access-logs" } }, { parent: this, ...KEEP });
    const child = { parent: this };
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    new aws.s3.BucketPublicAccessBlock(`${name}-no-public`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, child);
    new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, child);
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      { bucket: bucket.id, rules: [{ id: "keep-a-year", status: "Enabled", filter: { prefix: "" }, expiration: { days: ACCESS_LOG_DAYS }, noncurrentVersionExpiration: { noncurrentDays: ACCESS_LOG_DAYS } }] },
      child,
    );
    const sources = Object.values(this.buckets);
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucket.id,
        policy: pulumi
          .all([bucket.arn, accountId, pulumi.all(sources.map((b) => b.arn))])
          .apply(([bucketArn, account, sourceBucketArns]) => JSON.stringify(accessLogBucketPolicy({ bucketArn, accountId: account, sourceBucketArns }))),
      },
      child,
    );
    for (const [role, source] of Object.entries(this.buckets)) {
      new aws.s3.BucketLogging(`${name}-${role}`, { bucket: source.id, targetBucket: bucket.id, targetPrefix: `${role}/` }, child);
    }
  }
}

/** Server access logs are evidence of who read the data: kept a year [U: project retention]. */
const ACCESS_LOG_DAYS = 365;
