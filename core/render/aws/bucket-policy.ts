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
