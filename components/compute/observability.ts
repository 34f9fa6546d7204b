import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { renderAlertManagerDefinition } from "../../core/render/observability/alertmanager";
import { renderRules } from "../../core/render/observability/rules";
import { renderScrapeConfiguration } from "../../core/render/observability/scrape";
import { offersManagedGrafana } from "../../core/catalog/services";

export interface ObservabilityArgs {
  factory: string;
  /** The factory's region: the workspace, its logs, alerts and dashboards stay in it. */
  region: string;
  partition: string;
  dnsSuffix: string;
  accountId: pulumi.Input<string>;
  /** The factory's key: metrics, logs and alerts are encrypted with it. */
  keyArn: pulumi.Input<string>;
  logRetentionDays: number;
  /** The cluster the managed collector scrapes, with subnets in two or more zones and the cluster's security group. */
  clusterArn: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  securityGroupIds: pulumi.Input<string>[];
}

/**
 * Metrics, logs and alerts in the factory's region (AWS side): an Amazon Managed Service for Prometheus workspace
 * encrypted with the factory key and logging to a log group with a retention, the alert rules and an alert manager
 * that publishes to an SNS topic in the region, the managed collector that scrapes the cluster from inside the VPC,
 * and Amazon Managed Grafana where the region offers it (elsewhere the rendered dashboards go to a Grafana of the
 * factory's own). Every resource names the region itself.
 */
export class Observability extends pulumi.ComponentResource {
  readonly workspace: aws.amp.Workspace;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly alertTopic: aws.sns.Topic;
  readonly scraper: aws.amp.Scraper;
  readonly grafana?: aws.grafana.Workspace;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:observability:Observability", name, {}, opts);
    const { region } = args;

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-prometheus-logs`,
      // Vended logs under /aws/vendedlogs/ need no resource policy per group (CloudWatch Logs vended logs [P]).
      { name: `/aws/vendedlogs/prometheus/${args.factory}`, region, retentionInDays: args.logRetentionDays, kmsKeyId: args.keyArn, skipDestroy: true },
      { parent: this, protect: true, retainOnDelete: true },
    );
    this.workspace = new aws.amp.Workspace(
      `${name}-prometheus`,
      { alias: args.factory, region, kmsKeyArn: args.keyArn, loggingConfiguration: { logGroupArn: pulumi.interpolate`${this.logGroup.arn}:*` } },
      // The metrics' history is gone with the workspace.
      { parent: this, protect: true, retainOnDelete: true },
    );
    new aws.amp.RuleGroupNamespace(`${name}-alerts`, { workspaceId: this.workspace.id, region, name: "gigafactory", data: renderRules() }, { parent: this });

    this.alertTopic = new aws.sns.Topic(`${name}-alerts-topic`, { name: `${args.factory}-alerts`, region, kmsMasterKeyId: args.keyArn }, { parent: this });
    const publish = pulumi.all([this.alertTopic.arn, args.accountId]).apply(([topicArn, accountId]) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "PrometheusAlertManagerPublishes",
            Effect: "Allow",
            Principal: { Service: `aps.${args.dnsSuffix}` },
            Action: ["sns:Publish", "sns:GetTopicAttributes"],
            Resource: topicArn,
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
        ],
      }),
    );
    new aws.sns.TopicPolicy(`${name}-alerts-topic-policy`, { arn: this.alertTopic.arn, region, policy: publish }, { parent: this });
    new aws.amp.AlertManagerDefinition(
      `${name}-alert-manager`,
      { workspaceId: this.workspace.id, region, definition: this.alertTopic.arn.apply((arn) => renderAlertManagerDefinition(arn, region)) },
      { parent: this },
    );

    this.scraper = new aws.amp.Scraper(
      `${name}-collector`,
      {
        alias: `${args.factory}-cluster`,
        region,
        source: { eks: { clusterArn: args.clusterArn, subnetIds: args.subnetIds, securityGroupIds: args.securityGroupIds } },
        destination: { amp: { workspaceArn: this.workspace.arn } },
        scrapeConfiguration: renderScrapeConfiguration(args.factory),
      },
      { parent: this },
    );

    if (offersManagedGrafana(region)) {
      const role = new aws.iam.Role(
        `${name}-grafana-role`,
        {
          description: `gigafactory ${args.factory}: Grafana reads the factory's Prometheus workspace`,
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: `grafana.${args.dnsSuffix}` }, Action: "sts:AssumeRole" }],
          }),
        },
        { parent: this },
      );
      new aws.iam.RolePolicy(
        `${name}-grafana-query`,
        {
          role: role.id,
          policy: this.workspace.arn.apply((arn) =>
            JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata", "aps:DescribeWorkspace"], Resource: arn }] }),
          ),
        },
        { parent: this },
      );
      this.grafana = new aws.grafana.Workspace(
        `${name}-grafana`,
        {
          name: args.factory,
          region,
          accountAccessType: "CURRENT_ACCOUNT",
          authenticationProviders: ["AWS_SSO"],
          permissionType: "CUSTOMER_MANAGED",
          roleArn: role.arn,
          dataSources: ["PROMETHEUS"],
          kmsKeyId: args.keyArn,
        },
        { parent: this },
      );
    }

    this.registerOutputs({
      workspaceArn: this.workspace.arn,
      prometheusEndpoint: this.workspace.prometheusEndpoint,
      alertTopicArn: this.alertTopic.arn,
      grafanaEndpoint: this.grafana?.endpoint,
    });
  }
}
