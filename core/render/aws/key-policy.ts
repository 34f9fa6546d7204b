// KMS key policies as plain data, so they are tested without Pulumi and read the same in review.

export interface KeyPolicyContext {
  partition: string;
  accountId: string;
  region: string;
  dnsSuffix: string;
}

/**
 * The factory's key: the account administers it through IAM (AWS's default key policy), and CloudWatch
 * Logs in this region may use it only for this account's log groups in this region.
 */
export function factoryKeyPolicy(ctx: KeyPolicyContext): Record<string, unknown> {
  const account = `arn:${ctx.partition}:iam::${ctx.accountId}:root`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersThroughIam",
        Effect: "Allow",
        Principal: { AWS: account },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "RegionalLogsEncryptFactoryLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${ctx.region}.${ctx.dnsSuffix}` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: {
          ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:*` },
        },
      },
      {
        // The Prometheus alert manager publishes to the factory's encrypted alert topic (AMP alert manager with an
        // encrypted SNS topic [P]): only on this account's behalf.
        Sid: "PrometheusAlertsToEncryptedTopic",
        Effect: "Allow",
        Principal: { Service: `aps.${ctx.dnsSuffix}` },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
      },
    ],
  };
}
