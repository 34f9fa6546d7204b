import fc from "fast-check";
import { describe as group, expect, it } from "vitest";
import { OTHER_AWS_REGIONS } from "../../core/catalog/regions";
import { EU_REGIONS } from "../../policies/lib/places";
import { arnOf, PlanBuilder } from "../support/snapshot-builder";
import { checkPlan, mandatory } from "../fixtures/policies/check";
import { factoryPlan, type FactoryPlan } from "../fixtures/policies/factory-plan";

// Plans written to get data out by paths the packs have no rule for: resource types nobody listed, in a
// category the packs know. Each must be refused by shape (a region, an ARN, an endpoint, a bucket, a
// destination-like input), and the same shapes inside the EU must pass.

const RESIDENCY = ["residency-resource-region", "residency-kubernetes-cluster", "residency-data-egress", "residency-global-services", "residency-images-and-charts"];

async function refusals(build: (f: FactoryPlan) => void): Promise<string[]> {
  const f = factoryPlan();
  build(f);
  const result = await checkPlan(f.b.snapshot());
  return result.diagnostics.filter((d) => d.enforcementLevel === "mandatory" && RESIDENCY.includes(d.policy)).map((d) => `${d.policy} ${d.resourceName}`);
}

const UNSEEN: [string, (f: FactoryPlan) => void][] = [
  ["a lifecycle policy copying snapshots to another region", (f) => void f.b.add("aws:dlm/lifecyclePolicy:LifecyclePolicy", "x", { executionRoleArn: arnOf("iam", "", "role/dlm"), description: "d", policyDetails: { schedules: [{ name: "s", crossRegionCopyRules: [{ target: "us-east-1", encrypted: true }] }] } }, { provider: f.aws })],
  ["a Redshift snapshot copy grant to another region", (f) => void f.b.add("aws:redshift/snapshotCopy:SnapshotCopy", "x", { clusterIdentifier: "c", destinationRegion: "us-west-2" }, { provider: f.aws })],
  ["a DataSync task to a location in another region", (f) => void f.b.add("aws:datasync/task:Task", "x", { sourceLocationArn: arnOf("datasync", "eu-north-1", "location/loc-1"), destinationLocationArn: arnOf("datasync", "us-east-1", "location/loc-2") }, { provider: f.aws })],
  ["a Glue job writing to somebody else's bucket", (f) => void f.b.add("aws:glue/job:Job", "x", { roleArn: arnOf("iam", "", "role/glue"), command: { scriptLocation: "s3://gf-checkpoints-1a2b3c4/job.py" }, defaultArguments: { "--TempDir": "s3://analytics-partner-bucket/tmp" } }, { provider: f.aws, dependsOn: [f.urns.bucket] })],
  ["a Lambda function exporting to a URL in its environment", (f) => void f.b.add("aws:lambda/function:Function", "x", { role: arnOf("iam", "", "role/l"), runtime: "python3.12", handler: "h", environment: { variables: { EXPORT_URL: "https://collector.example.com/ingest" } } }, { provider: f.aws })],
  ["an SNS subscription posting to a webhook", (f) => void f.b.add("aws:sns/topicSubscription:TopicSubscription", "x", { topic: arnOf("sns", "eu-north-1", "alerts"), protocol: "https", endpoint: "https://hooks.example.com/alerts" }, { provider: f.aws })],
  ["a CloudWatch metric stream into a Firehose in another region", (f) => void f.b.add("aws:cloudwatch/metricStream:MetricStream", "x", { roleArn: arnOf("iam", "", "role/m"), firehoseArn: arnOf("firehose", "us-east-1", "deliverystream/metrics"), outputFormat: "json" }, { provider: f.aws })],
  ["a log subscription to a destination in another region", (f) => void f.b.add("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "x", { logGroup: "/gigafactory/gf/flow-logs", filterPattern: "", destinationArn: arnOf("logs", "ap-southeast-2", "destination:central") }, { provider: f.aws })],
  ["a Transit Gateway peering to another region", (f) => void f.b.add("aws:ec2transitgateway/peeringAttachment:PeeringAttachment", "x", { transitGatewayId: "tgw-1", peerTransitGatewayId: "tgw-2", peerRegion: "ca-central-1" }, { provider: f.aws })],
  ["an EventBridge rule target on an event bus in another region", (f) => void f.b.add("aws:cloudwatch/eventTarget:EventTarget", "x", { rule: "r", arn: arnOf("events", "us-east-2", "event-bus/central") }, { provider: f.aws })],
  ["a Kinesis Firehose delivering to a Splunk endpoint", (f) => void f.b.add("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "x", { destination: "splunk", splunkConfiguration: { hecEndpoint: "https://splunk.example.com:8088", hecToken: "t", s3Configuration: { bucketArn: "arn:aws:s3:::gf-checkpoints-1a2b3c4", roleArn: arnOf("iam", "", "role/f") } } }, { provider: f.aws, dependsOn: [f.urns.bucket] })],
  ["an RDS read replica of a database in another region", (f) => void f.b.add("aws:rds/instance:Instance", "x", { instanceClass: "db.r6g.large", replicateSourceDb: arnOf("rds", "us-east-1", "db:primary"), storageEncrypted: true }, { provider: f.aws, protect: true })],
  ["Secrets Manager replicas in another region", (f) => void f.b.add("aws:secretsmanager/secret:Secret", "x", { replicas: [{ region: "us-east-1" }] }, { provider: f.aws, protect: true })],
  ["an S3 Multi-Region Access Point", (f) => void f.b.add("aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint", "x", { details: { name: "mrap", regions: [{ bucket: "gf-checkpoints-1a2b3c4" }] } }, { provider: f.aws, dependsOn: [f.urns.bucket] })],
  ["a Kubernetes CronJob shipping data with an image from a public registry", (f) => void f.b.add("kubernetes:batch/v1:CronJob", "x", { spec: { schedule: "@daily", jobTemplate: { spec: { template: { spec: { containers: [{ name: "sync", image: "quay.io/acme/rclone:1" }] } } } } } }, { provider: f.k8s })],
  ["a Kubernetes object on a provider whose kubeconfig points at a cluster in another partition", (f) => {
    const p = f.b.provider("kubernetes", "gov", { kubeconfig: JSON.stringify({ clusters: [{ cluster: { server: "https://ABC.gr7.us-gov-west-1.eks.amazonaws.com" } }] }) });
    f.b.add("kubernetes:core/v1:Secret", "x", { stringData: { token: "[secret]" } }, { provider: p });
  }],
  ["a provider pointed elsewhere through its S3 endpoint", (f) => {
    const p = f.b.provider("aws", "bent", { region: "eu-north-1", endpoints: JSON.stringify([{ s3: "https://s3.us-west-2.amazonaws.com" }]) });
    f.b.add("aws:s3/bucket:Bucket", "x", { bucket: "bent-bucket" }, { provider: p, protect: true });
  }],
  ["a provider whose region comes from a named profile", (f) => {
    const p = f.b.provider("aws", "profiled", { profile: "factory-eu" });
    f.b.add("aws:ec2/volume:Volume", "x", { availabilityZone: "eu-north-1a", size: 100 }, { provider: p, protect: true });
  }],
  ["an AMI copied in from another region", (f) => void f.b.add("aws:ec2/amiCopy:AmiCopy", "x", { sourceAmiId: "ami-1", sourceAmiRegion: "us-east-1" }, { provider: f.aws })],
  ["a VPC endpoint to a PrivateLink service in another region", (f) => void f.b.add("aws:ec2/vpcEndpoint:VpcEndpoint", "x", { vpcId: "vpc-01", serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", vpcEndpointType: "Interface" }, { provider: f.aws })],
  ["a Route 53 query log into a log group in us-east-1", (f) => void f.b.add("aws:route53/queryLog:QueryLog", "x", { zoneId: "Z1", cloudwatchLogGroupArn: arnOf("logs", "us-east-1", "log-group:/aws/route53/gf") }, { provider: f.aws })],
  ["a resource pinned to an availability zone outside the EU", (f) => void f.b.add("aws:ebs/volume:Volume", "x", { availabilityZone: "sa-east-1a", size: 10 }, { provider: f.aws, protect: true })],
];

group("plans written to get data out by paths without a rule", () => {
  for (const [what, build] of UNSEEN) {
    it(`refuses ${what}`, async () => {
      expect((await refusals(build)).length).toBeGreaterThan(0);
    });
  }

  it("still accepts the plan they were added to", async () => {
    expect(await refusals(() => undefined)).toEqual([]);
  });
});

const DESTINATION_WORDS = ["destination", "target", "replica", "copy", "peer", "mirror", "archive", "export", "forward", "sink", "delivery", "backup"];
const SHAPES: ((region: string) => string)[] = [
  (r) => r,
  (r) => `${r}b`,
  (r) => arnOf("logs", r, "log-group:central"),
  (r) => `https://collector.${r}.amazonaws.com/ingest`,
  (r) => `com.amazonaws.${r}.s3`,
];

group("any input that names a place, on any resource type", () => {
  const typeToken = fc
    .tuple(fc.constantFrom("analytics", "datamover", "vault", "streams", "archive"), fc.constantFrom("Mover", "Export", "Link", "Channel"))
    .map(([m, t]) => `aws:${m}/${t.charAt(0).toLowerCase()}${t.slice(1)}:${t}`);
  const key = fc.tuple(fc.constantFrom(...DESTINATION_WORDS), fc.constantFrom("", "Region", "Arn", "Url", "Location")).map(([w, s]) => `${w}${s}`);

  it("refuses every shape pointing outside the allowed regions, under any name and nesting", async () => {
    await fc.assert(
      fc.asyncProperty(typeToken, key, fc.constantFrom(...OTHER_AWS_REGIONS, "eu-west-2", "eu-central-2"), fc.constantFrom(...SHAPES), fc.boolean(), async (type, name, region, shape, nested) => {
        const b = new PlanBuilder({ "aws:region": "eu-north-1" });
        const value = shape(region);
        b.add(type, "probe", nested ? { settings: [{ [name]: value }] } : { [name]: value });
        const v = mandatory(await checkPlan(b.snapshot()), "residency-data-egress");
        expect(v.map((d) => d.resourceName)).toEqual(["probe"]);
      }),
      { numRuns: 60 },
    );
  });

  it("accepts the same shapes inside the allowed regions", async () => {
    await fc.assert(
      fc.asyncProperty(typeToken, key, fc.constantFrom(...EU_REGIONS), fc.constantFrom(...SHAPES), async (type, name, region, shape) => {
        const b = new PlanBuilder({ "aws:region": "eu-north-1" });
        b.add(type, "probe", { [name]: shape(region) });
        expect(mandatory(await checkPlan(b.snapshot()), "residency-data-egress")).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
