// S3 bucket policies as data: only TLS, only this account. Tested without Pulumi.

export interface BucketPolicyContext {
  partition: string;
  accountId: string;
  bucketArn: string;
}

/** Refuses plain HTTP and every principal outside the factory's account, whatever IAM would allow. */
export function factoryBucketPolicy(ctx: BucketPolicyContext): Record<string, unknown> {
  const resources = [ctx.bucketArn, `${ctx.bucketArn}/*`];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyPlainHttp",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: resources,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyOtherAccounts",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: resources,
        Condition: { StringNotEquals: { "aws:PrincipalAccount": ctx.accountId } },
      },
    ],
  };
}

/**
 * The server access logs' bucket: only TLS, only this account, and S3's logging service writing the logs of the
 * factory's own buckets (docs/sources.md#s3-server-access-logging: a bucket policy granting
 * `logging.s3.amazonaws.com` s3:PutObject, scoped by aws:SourceAccount and aws:SourceArn). The service carries no
 * principal account, so the deny of other accounts applies only where one is present.
 */
export function accessLogBucketPolicy(ctx: Omit<BucketPolicyContext, "partition"> & { sourceBucketArns: readonly string[] }): Record<string, unknown> {
  const resources = [ctx.bucketArn, `${ctx.bucketArn}/*`];
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "DenyPlainHttp", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resources, Condition: { Bool: { "aws:SecureTransport": "false" } } },
      {
        Sid: "DenyOtherAccounts",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: resources,
        Condition: { StringNotEquals: { "aws:PrincipalAccount": ctx.accountId }, Null: { "aws:PrincipalAccount": "false" } },
      },
      {
        Sid: "S3ServerAccessLogs",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${ctx.bucketArn}/*`,
        Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId }, ArnLike: { "aws:SourceArn": [...ctx.sourceBucketArns] } },
      },
    ],
  };
}
