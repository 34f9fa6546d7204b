import type { PolicyDocument } from "./iam";

// IAM of the factory's image supply as plain data: the role ECR uses to create the pull-through repositories
// encrypted with the factory's key, and what a node needs to pull an image through the cache the first time.

/** ECR assumes the creation templates' role (ECR user guide, repository-creation-templates-create-iam [P]). */
export function creationTemplateTrustPolicy(dnsSuffix: string): PolicyDocument {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: `ecr.${dnsSuffix}` }, Action: ["sts:AssumeRole"] }] };
}

/**
 * What ECR does with the role: create the cached repositories and tag them, and grant itself the factory's key
 * for their encryption (repository-creation-templates-custom [P]; the key narrowed to the factory's own).
 */
export function creationTemplatePolicy(keyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "CreateCachedRepositories", Effect: "Allow", Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"], Resource: "*" },
      { Sid: "EncryptWithFactoryKey", Effect: "Allow", Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"], Resource: keyArn },
    ],
  };
}

/**
 * A node's first pull of an upstream image imports it and creates its repository (pull-through-cache-iam [P]):
 * allowed under the pull-through prefixes only. Reading images is the node role's managed ECR pull policy.
 */
export function pullThroughPolicy(args: { partition: string; region: string; accountId: string; prefixes: readonly string[] }): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ImportThroughCache",
        Effect: "Allow",
        Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
        Resource: args.prefixes.map((p) => `arn:${args.partition}:ecr:${args.region}:${args.accountId}:repository/${p}/*`),
      },
    ],
  };
}
