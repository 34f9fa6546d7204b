// The factory's buckets and how long old object versions live in each. Pure data.

export type BucketRole = "datasets" | "checkpoints" | "logs";

export interface BucketDesign {
  role: BucketRole;
  /** Where the bucket appears on the Lustre file system, through a data repository association. */
  lustrePath: string | null;
  /** Days a replaced or deleted object version is kept before S3 removes it. */
  noncurrentDays: number;
  /** Replaced versions kept regardless of age (the last checkpoints to roll back to). */
  keepNoncurrentVersions: number;
}

export function bucketDesigns(checkpointsToKeep: number): BucketDesign[] {
  return [
    // Datasets change rarely and are expensive to rebuild: a month to undo a mistake.
    { role: "datasets", lustrePath: "/datasets", noncurrentDays: 30, keepNoncurrentVersions: 3 },
    // Checkpoints are rewritten every few minutes: keep the spec's number of old versions a week.
    { role: "checkpoints", lustrePath: "/checkpoints", noncurrentDays: 7, keepNoncurrentVersions: checkpointsToKeep },
    // Logs are evidence: replaced versions a quarter.
    { role: "logs", lustrePath: null, noncurrentDays: 90, keepNoncurrentVersions: 1 },
  ];
}

export function lifecycleRules(design: BucketDesign) {
  return [
    {
      id: "old-versions",
      status: "Enabled",
      filter: { prefix: "" },
      noncurrentVersionExpiration: {
        noncurrentDays: design.noncurrentDays,
        newerNoncurrentVersions: design.keepNoncurrentVersions,
      },
    },
    { id: "abandoned-uploads", status: "Enabled", filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
  ];
}
