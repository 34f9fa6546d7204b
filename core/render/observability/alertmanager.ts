import { stringify } from "yaml";
import { ALERT_GROUP } from "./rules";

// The workspace's alert manager (Amazon Managed Service for Prometheus alert manager definition, whose only
// receiver is SNS [P]): every alert goes to the factory's topic in its region, grouped by alert and unit.
export function renderAlertManagerDefinition(topicArn: string, region: string): string {
  return stringify(
    {
      alertmanager_config: {
        route: { receiver: "factory", group_by: ["alertname", "unit", "pool"], group_wait: "30s", group_interval: "5m", repeat_interval: "4h" },
        receivers: [{ name: "factory", sns_configs: [{ topic_arn: topicArn, sigv4: { region }, attributes: { group: ALERT_GROUP } }] }],
      },
    },
    { lineWidth: 0, aliasDuplicateObjects: false },
  );
}
