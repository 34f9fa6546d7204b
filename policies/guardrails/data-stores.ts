import { BUCKET_TYPES, type PlanIndex, type PlanResource } from "../lib/plan";
import { asArray, asBoolean, asRecord, asString, at } from "../lib/values";

// Where each kind of data store names its encryption and its key (@pulumi/aws 7 input names). A store is
// encrypted at rest with a customer-managed key only when the switch is on and the key is set.

export interface KeyUse {
  /** Dotted input path of the key reference on `holder`. */
  keyPath: string;
  keyRef: unknown;
  /** The resource that carries the setting: the store, or its separate encryption configuration. */
  holder: PlanResource;
}

export interface EncryptionFinding {
  /** Problems found without looking at the key (encryption off, scratch storage...). */
  problems: { reason: string; fix: string }[];
  keys: KeyUse[];
}

type Rule = (store: PlanResource, index: PlanIndex) => EncryptionFinding;

const on = (value: unknown) => asBoolean(value) === true;

function keyed(store: PlanResource, keyPath: string, switchPath?: string, switchName?: string): EncryptionFinding {
  const problems: { reason: string; fix: string }[] = [];
  if (switchPath && !on(at(store.props, switchPath))) {
    problems.push({ reason: `\`${switchPath}\` is not true: ${switchName ?? "encryption at rest"} is off`, fix: `set \`${switchPath}: true\` with the factory's KMS key` });
  }
  return { problems, keys: [{ keyPath, keyRef: at(store.props, keyPath), holder: store }] };
}

const SSE_CONFIG_TYPES = new Set([
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
]);

const LOGGING_TYPES = new Set(["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"]);

/**
 * A bucket that receives S3 server access logs: S3 delivers them only to a bucket encrypted with SSE-S3
 * (docs/sources.md#s3-server-access-logging), so there a customer-managed key cannot be asked for.
 */
export function isAccessLogDestination(bucket: PlanResource, index: PlanIndex): boolean {
  const bucketName = asString(bucket.props.bucket);
  return index.ofTypes(LOGGING_TYPES).some((l) => {
    const target = asString(l.props.targetBucket);
    return (target !== undefined && target === bucketName) || index.sourcesOf(l, "targetBucket").some((d) => d.urn === bucket.urn);
  });
}

function bucketEncryption(bucket: PlanResource, index: PlanIndex): EncryptionFinding {
  const configs = index.ofTypes(SSE_CONFIG_TYPES).filter((c) => {
    const named = asString(c.props.bucket);
    const bucketName = asString(bucket.props.bucket);
    return (named !== undefined && named === bucketName) || index.sourcesOf(c, "bucket").some((d) => d.urn === bucket.urn);
  });
  const inline = asArray(at(bucket.props, "serverSideEncryptionConfiguration.rules")).length
    ? asArray(at(bucket.props, "serverSideEncryptionConfiguration.rules"))
    : at(bucket.props, "serverSideEncryptionConfiguration.rule") !== undefined
      ? [at(bucket.props, "serverSideEncryptionConfiguration.rule")]
      : [];
  const holders: { holder: PlanResource; rules: unknown[]; base: string }[] = configs.map((c) => ({ holder: c, rules: asArray(c.props.rules), base: "rules" }));
  if (inline.length) holders.push({ holder: bucket, rules: inline, base: "serverSideEncryptionConfiguration.rules" });
  if (holders.length === 0) {
    return { problems: [{ reason: "no server-side encryption configuration with a KMS key covers this bucket", fix: "add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms and the factory's key" }], keys: [] };
  }
  const problems: { reason: string; fix: string }[] = [];
  const keys: KeyUse[] = [];
  const logDestination = isAccessLogDestination(bucket, index);
  for (const { holder, rules, base } of holders) {
    rules.forEach((rule, i) => {
      const byDefault = asRecord(asRecord(rule)?.applyServerSideEncryptionByDefault);
      const algorithm = asString(byDefault?.sseAlgorithm);
      if (logDestination && algorithm === "AES256") return;
      if (algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") {
        problems.push({ reason: `${holder.name} encrypts with ${algorithm ?? "no algorithm"}, not a KMS key`, fix: "set sseAlgorithm to aws:kms with kmsMasterKeyId" });
      }
      keys.push({ keyPath: `${base}.${i}.applyServerSideEncryptionByDefault.kmsMasterKeyId`, keyRef: byDefault?.kmsMasterKeyId, holder });
    });
  }
  return { problems, keys };
}

function lustre(store: PlanResource): EncryptionFinding {
  const deployment = asString(store.props.deploymentType) ?? "SCRATCH_1";
  if (deployment.startsWith("SCRATCH")) {
    return { problems: [{ reason: `a ${deployment} file system is encrypted only with an AWS-owned key`, fix: "use a PERSISTENT deployment type with kmsKeyId" }], keys: [] };
  }
  return keyed(store, "kmsKeyId");
}

function launchTemplate(store: PlanResource): EncryptionFinding {
  const mappings = asArray(store.props.blockDeviceMappings);
  if (mappings.length === 0) {
    return { problems: [{ reason: "the launch template sets no block device mapping, so the root volume's encryption is left to the AMI and the account default", fix: "map the root volume with ebs.encrypted \"true\" and ebs.kmsKeyId set to the factory's key" }], keys: [] };
  }
  const problems: { reason: string; fix: string }[] = [];
  const keys: KeyUse[] = [];
  mappings.forEach((m, i) => {
    const ebs = asRecord(asRecord(m)?.ebs);
    if (!ebs) return;
    if (!on(ebs.encrypted)) problems.push({ reason: `\`blockDeviceMappings.${i}.ebs.encrypted\` is not "true"`, fix: "encrypt every EBS volume the template maps" });
    keys.push({ keyPath: `blockDeviceMappings.${i}.ebs.kmsKeyId`, keyRef: ebs.kmsKeyId, holder: store });
  });
  return { problems, keys };
}

// The provisioners that make EBS volumes from a class: the CSI driver and the in-tree plugin it replaced [P: Kubernetes
// StorageClass docs, AWS EBS].
const EBS_PROVISIONERS = new Set(["ebs.csi.aws.com", "kubernetes.io/aws-ebs"]);

/** A StorageClass that provisions EBS volumes is where their encryption is decided: every volume it makes inherits it. */
function ebsStorageClass(store: PlanResource): EncryptionFinding {
  if (!EBS_PROVISIONERS.has(asString(store.props.provisioner) ?? "")) return { problems: [], keys: [] };
  return keyed(store, "parameters.kmsKeyId", "parameters.encrypted", "volume encryption");
}

/** Data stores by type token, and how each names its encryption. */
export const DATA_STORE_RULES: Readonly<Record<string, Rule>> = {
  ...Object.fromEntries([...BUCKET_TYPES].filter((t) => !t.includes("directoryBucket")).map((t) => [t, bucketEncryption])),
  "aws:fsx/lustreFileSystem:LustreFileSystem": lustre,
  "aws:fsx/openZfsFileSystem:OpenZfsFileSystem": (s) => keyed(s, "kmsKeyId"),
  "aws:fsx/ontapFileSystem:OntapFileSystem": (s) => keyed(s, "kmsKeyId"),
  "aws:fsx/windowsFileSystem:WindowsFileSystem": (s) => keyed(s, "kmsKeyId"),
  "aws:efs/fileSystem:FileSystem": (s) => keyed(s, "kmsKeyId", "encrypted"),
  "aws:ebs/volume:Volume": (s) => keyed(s, "kmsKeyId", "encrypted"),
  "aws:rds/instance:Instance": (s) => keyed(s, "kmsKeyId", "storageEncrypted"),
  "aws:rds/cluster:Cluster": (s) => keyed(s, "kmsKeyId", "storageEncrypted"),
  "aws:dynamodb/table:Table": (s) => keyed(s, "serverSideEncryption.kmsKeyArn", "serverSideEncryption.enabled"),
  "aws:cloudwatch/logGroup:LogGroup": (s) => keyed(s, "kmsKeyId"),
  "aws:ecr/repository:Repository": (s) => {
    const f = keyed(s, "encryptionConfigurations.0.kmsKey");
    if (asString(at(s.props, "encryptionConfigurations.0.encryptionType")) !== "KMS") {
      f.problems.push({ reason: "the repository is not encrypted with KMS (encryptionType AES256 by default)", fix: "set encryptionConfigurations [{ encryptionType: \"KMS\", kmsKey }]" });
    }
    return f;
  },
  "aws:secretsmanager/secret:Secret": (s) => keyed(s, "kmsKeyId"),
  "aws:backup/vault:Vault": (s) => keyed(s, "kmsKeyArn"),
  "aws:sqs/queue:Queue": (s) => keyed(s, "kmsMasterKeyId"),
  "aws:sns/topic:Topic": (s) => keyed(s, "kmsMasterKeyId"),
  "aws:kinesis/stream:Stream": (s) => keyed(s, "kmsKeyId"),
  "aws:elasticache/replicationGroup:ReplicationGroup": (s) => keyed(s, "kmsKeyId", "atRestEncryptionEnabled"),
  "aws:opensearch/domain:Domain": (s) => keyed(s, "encryptAtRest.kmsKeyId", "encryptAtRest.enabled"),
  "aws:ec2/launchTemplate:LaunchTemplate": (s) => launchTemplate(s),
  "kubernetes:storage.k8s.io/v1:StorageClass": ebsStorageClass,
};
