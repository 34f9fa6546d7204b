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

/** The guards an update takes away, by input path. */
export function removedGuards(type: string, before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const removed: string[] = [];
  for (const g of DELETION_GUARDS[type] ?? []) {
    const was = typeof before[g.path] === "boolean" ? before[g.path] : g.defaultValue;
    const now = typeof after[g.path] === "boolean" ? after[g.path] : g.defaultValue;
    if (was !== g.unguarded && now === g.unguarded) removed.push(g.path);
  }
  return removed;
}
