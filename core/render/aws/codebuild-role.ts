import type { PolicyDocument } from "./iam";

// What every CodeBuild project of the factory's role needs, written once: the trust that only this project's
// builds may use the role, and the right to write its own build logs (docs/sources.md#codebuild-vpc [P]).

export interface CodeBuildProject {
  partition: string;
  region: string;
  dnsSuffix: string;
  accountId: string;
  projectName: string;
  logGroupName: string;
}

/** CodeBuild assumes the role for builds of this project only (confused-deputy guard on account and project). */
export function codeBuildTrustPolicy(project: CodeBuildProject): PolicyDocument {
  const { partition, region, accountId, projectName } = project;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: `codebuild.${project.dnsSuffix}` },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": accountId },
          ArnLike: { "aws:SourceArn": `arn:${partition}:codebuild:${region}:${accountId}:project/${projectName}` },
        },
      },
    ],
  };
}

/** The project's own log group and its streams, nothing else in CloudWatch Logs. */
export function codeBuildLogsStatement(project: CodeBuildProject): PolicyDocument["Statement"][number] {
  const logGroup = `arn:${project.partition}:logs:${project.region}:${project.accountId}:log-group:${project.logGroupName}`;
  return { Sid: "BuildLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [logGroup, `${logGroup}:*`] };
}
