// Resources that hold data a re-creation cannot bring back: deleting or replacing one, or removing its
// protection, is `data-loss` (DESIGN.md "Nothing lost"). One list, read by the diff and by anything else
// that needs to know which resources carry state.

export const STATE_BEARING_TYPES: ReadonlySet<string> = new Set([
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:fsx/lustreFileSystem:LustreFileSystem",
  "aws:fsx/openZfsFileSystem:OpenZfsFileSystem",
  "aws:fsx/ontapFileSystem:OntapFileSystem",
  "aws:fsx/windowsFileSystem:WindowsFileSystem",
  "aws:efs/fileSystem:FileSystem",
  "aws:kms/key:Key",
  "aws:rds/instance:Instance",
  "aws:rds/cluster:Cluster",
  "aws:ebs/volume:Volume",
  "aws:ecr/repository:Repository",
  "aws:dynamodb/table:Table",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:secretsmanager/secret:Secret",
  "aws:backup/vault:Vault",
  // Managed Prometheus: the metrics' history goes with the workspace.
  "aws:amp/workspace:Workspace",
  "kubernetes:core/v1:PersistentVolume",
  "kubernetes:core/v1:PersistentVolumeClaim",
]);

export function isStateBearing(type: string): boolean {
  return STATE_BEARING_TYPES.has(type);
}

/**
 * Inputs that guard a state-bearing resource against deletion, the value that means "unguarded", and the
 * provider's default when the input is not set. Flipping one to unguarded removes a protection, like
 * dropping `protect`.
 */
export interface DeletionGuard {
  path: string;
  unguarded: boolean;
  defaultValue: boolean;
}

export const DELETION_GUARDS: Readonly<Record<string, DeletionGuard[]>> = {
  "aws:s3/bucket:Bucket": [{ path: "forceDestroy", unguarded: true, defaultValue: false }],
  "aws:s3/bucketV2:BucketV2": [{ path: "forceDestroy", unguarded: true, defaultValue: false }],
  "aws:rds/instance:Instance": [
    { path: "deletionProtection", unguarded: false, defaultValue: false },
    { path: "skipFinalSnapshot", unguarded: true, defaultValue: false },
  ],
  "aws:rds/cluster:Cluster": [
    { path: "deletionProtection", unguarded: false, defaultValue: false },
    { path: "skipFinalSnapshot", unguarded: true, defaultValue: false },
  ],
  "aws:ecr/repository:Repository": [{ path: "forceDelete", unguarded: true, defaultValue: false }],
  "aws:dynamodb/table:Table": [{ path: "deletionProtectionEnabled", unguarded: false, defaultValue: false }],
  "aws:cloudwatch/logGroup:LogGroup": [{ path: "skipDestroy", unguarded: false, defaultValue: false }],
};

/** What a reviewer must know when a state-bearing resource goes: the data it holds, and the way to keep it. */
export interface DataAtStake {
  data: string;
  migrate: string;
}

const AT_STAKE: Readonly<Record<string, DataAtStake>> = {
  "aws:fsx/lustreFileSystem:LustreFileSystem": {
    data: "every file on the Lustre file system, the tenants' shares under /tenants included, and what the data repository associations have not yet exported to S3",
    migrate: "declare the new file system beside the old one under a new name, let the old one's associations export to S3 and copy /tenants across, move the nodes' mount, then remove the old one",
  },
  "aws:s3/bucket:Bucket": {
    data: "every object and every kept version in the bucket",
    migrate: "declare the new bucket under a new name, copy the objects and versions (S3 Batch Operations or replication), switch the associations and access points, then empty and remove the old one",
  },
  "aws:kms/key:Key": {
    data: "everything encrypted with the key: once it is deleted, that data cannot be read again",
    migrate: "keep the old key enabled, re-encrypt the data under a new key, and schedule the old one's deletion only when nothing uses it",
  },
  "aws:rds/instance:Instance": {
    data: "the database: for Slurm's accounting, the job history, associations, limits and fair-share usage",
    migrate: "take a snapshot, restore it into the new instance, point slurmdbd at it, then remove the old one",
  },
  "aws:rds/cluster:Cluster": {
    data: "the database: for Slurm's accounting, the job history, associations, limits and fair-share usage",
    migrate: "take a snapshot, restore it into the new cluster, point slurmdbd at it, then remove the old one",
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    data: "the log events it keeps, which are the factory's evidence for audits",
    migrate: "export the events to the logs bucket (CreateExportTask) before the group goes",
  },
  "aws:ecr/repository:Repository": {
    data: "the images and charts copied into the repository",
    migrate: "copy them again into the new repository (images/mirror.sh from `gigafactory render`) before the releases switch to it",
  },
  "kubernetes:core/v1:PersistentVolume": {
    data: "a tenant's binding to its share of the file system (the files themselves stay: the volume's reclaim policy is Retain)",
    migrate: "stop the tenant's pods that mount it, let the new volume bind, and start them again",
  },
  "kubernetes:core/v1:PersistentVolumeClaim": {
    data: "a tenant's claim on its share of the file system (the files themselves stay: the volume's reclaim policy is Retain)",
    migrate: "stop the tenant's pods that mount it, let the new claim bind, and start them again",
  },
};

/** The data a state-bearing resource holds and how to move it, for the review's notes. */
export function dataAtStake(type: string): DataAtStake {
  return AT_STAKE[type] ?? { data: "the data the resource holds", migrate: "copy it to a new resource under a new name before this one goes" };
}
