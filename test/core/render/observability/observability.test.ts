import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { renderAcceptance } from "../../../../core/render/acceptance";
import { REGIONS } from "../../../../core/catalog/regions";
import { nodeHealthObjects } from "../../../../core/render/health/node-agent";
import { renderChecksScript } from "../../../../core/render/health/agent-scripts";
import { slurmdImageByTag } from "../../../../core/render/image/slurmd-recipe";
import { gpuOperatorValues } from "../../../../core/render/kubernetes/addon-values";
import {
  alertRules,
  dashboardSpecs,
  renderObservability,
  renderScrapeConfiguration,
  scrapeJobs,
} from "../../../../core/render/observability";
import { MANAGED_PROMETHEUS_REGIONS, offersManagedGrafana, offersManagedPrometheus } from "../../../../core/catalog/services";
import { slurmBlueprint } from "../../../fixtures/slurm/blueprint";
import { controllerSizing } from "../../../../core/blueprint/controller-sizing";
import { installRecordingMocks, settle, type Recorder } from "../../../support/recording-mocks";

const REGISTRY = "123456789012.dkr.ecr.eu-north-1.amazonaws.com";
const blueprint = slurmBlueprint({
  factory: "gf-obs",
  pools: [
    { name: "train", instanceType: "p5.48xlarge", nodes: 64 },
    { name: "tune", instanceType: "p5en.48xlarge", nodes: 32 },
  ],
});

let rec: Recorder;
const key = "arn:aws:kms:eu-north-1:123456789012:key/k";

beforeAll(async () => {
  rec = installRecordingMocks("eu-north-1");
  const { Observability } = await import("../../../../components/compute/observability");
  const common = { partition: "aws", dnsSuffix: "amazonaws.com", accountId: "123456789012", logRetentionDays: 365, subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-cluster"] };
  new Observability("north", { ...common, factory: "gf-north", region: "eu-north-1", keyArn: key, clusterArn: "arn:aws:eks:eu-north-1:123456789012:cluster/gf-north" });
  new Observability("central", { ...common, factory: "gf-central", region: "eu-central-1", keyArn: key, clusterArn: "arn:aws:eks:eu-central-1:123456789012:cluster/gf-central" });
  await settle();
});

describe("observability in the factory's region", () => {
  it("has a Prometheus workspace in the region, encrypted with the factory key, logging to a log group kept for the retention", () => {
    const ws = rec.one("aws:amp/workspace:Workspace", "north-prometheus");
    expect(ws.inputs).toMatchObject({ alias: "gf-north", region: "eu-north-1", kmsKeyArn: key });
    expect(ws.inputs.loggingConfiguration.logGroupArn).toMatch(/^arn:aws:.*:eu-north-1:.*north-prometheus-logs:\*$/);
    const logs = rec.one("aws:cloudwatch/logGroup:LogGroup", "north-prometheus-logs");
    expect(logs.inputs).toMatchObject({ region: "eu-north-1", retentionInDays: 365, kmsKeyId: key, skipDestroy: true });
  });

  it("scrapes the cluster from inside the region into the workspace, with the rendered configuration", () => {
    const scraper = rec.one("aws:amp/scraper:Scraper", "north-collector");
    expect(scraper.inputs.region).toBe("eu-north-1");
    expect(scraper.inputs.destination.amp.workspaceArn).toMatch(/^arn:aws:.*:eu-north-1:.*north-prometheus$/);
    expect(scraper.inputs.source.eks).toEqual({ clusterArn: "arn:aws:eks:eu-north-1:123456789012:cluster/gf-north", subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-cluster"] });
    expect(scraper.inputs.scrapeConfiguration).toBe(renderScrapeConfiguration("gf-north"));
  });

  it("alerts through an encrypted topic in the region that only the account's alert manager may publish to", () => {
    const topic = rec.one("aws:sns/topic:Topic", "north-alerts-topic");
    expect(topic.inputs).toMatchObject({ region: "eu-north-1", kmsMasterKeyId: key });
    const policy = JSON.parse(rec.one("aws:sns/topicPolicy:TopicPolicy", "north-alerts-topic-policy").inputs.policy);
    expect(policy.Statement[0]).toMatchObject({ Principal: { Service: "aps.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } });
    const definition = parse(rec.one("aws:amp/alertManagerDefinition:AlertManagerDefinition", "north-alert-manager").inputs.definition);
    expect(definition.alertmanager_config.receivers[0].sns_configs[0]).toMatchObject({ topic_arn: expect.stringMatching(/:eu-north-1:.*north-alerts-topic$/), sigv4: { region: "eu-north-1" } });
    const rules = parse(rec.one("aws:amp/ruleGroupNamespace:RuleGroupNamespace", "north-alerts").inputs.data);
    expect(rules.groups[0].rules.map((r: { alert: string }) => r.alert)).toEqual(["GpuNodeDrained", "GpuXidError", "UnitBelowExpectedBandwidth"]);
  });

  it("creates Managed Grafana only where the region offers it: Frankfurt yes, Stockholm no", () => {
    const grafana = rec.ofType("aws:grafana/workspace:Workspace");
    expect(grafana.map((g) => g.name)).toEqual(["central-grafana"]);
    expect(grafana[0].inputs).toMatchObject({ region: "eu-central-1", dataSources: ["PROMETHEUS"], accountAccessType: "CURRENT_ACCOUNT" });
  });

  it("knows where the managed services are: Prometheus in every EU member region, Grafana in three, neither in the sovereign cloud", () => {
    for (const r of ["eu-central-1", "eu-west-1", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1"]) expect(offersManagedPrometheus(r)).toBe(true);
    expect(MANAGED_PROMETHEUS_REGIONS.every((r) => r in REGIONS)).toBe(true);
    expect(offersManagedPrometheus("eusc-de-east-1")).toBe(false);
    expect(["eu-north-1", "eu-south-2"].some(offersManagedGrafana)).toBe(false);
    expect(offersManagedGrafana("eu-central-1")).toBe(true);
  });
});

describe("every exporter's image comes from the factory's registry in its region", () => {
  it("the GPU operator's DCGM exporter", () => {
    const sizes = controllerSizing(blueprint);
    const dcgm = gpuOperatorValues(REGISTRY, blueprint.pools, { operator: sizes.gpuOperator, nfdMaster: sizes.nfdMaster }).dcgmExporter;
    expect(dcgm.enabled).toBe(true);
    expect(`${dcgm.repository}/${dcgm.image}`.startsWith(`${REGISTRY}/`)).toBe(true);
  });

  it("the node-health agent and the node exporter beside it (node, EFA and health metrics)", () => {
    const ds = nodeHealthObjects(blueprint, REGISTRY, slurmdImageByTag(REGISTRY)).find((o) => o.kind === "DaemonSet")!;
    const containers = (ds.spec as any).template.spec.containers as { name: string; image: string }[];
    expect(containers.map((c) => c.name)).toEqual(["taints", "checks", "node-exporter"]);
    for (const c of containers) expect(c.image.startsWith(`${REGISTRY}/`)).toBe(true);
  });

  it("the acceptance jobs' nccl-tests, in the factory's slurmd image", () => {
    for (const f of renderAcceptance(blueprint).filter((f) => f.path.endsWith(".yaml"))) {
      expect(f.content).toContain(`image: \${REGISTRY}/gigafactory/slurmd:${slurmdImageByTag("r").tag}`);
      expect(f.content).not.toMatch(/image: (?!\$\{REGISTRY\}\/)/);
    }
  });
});

describe("the collector scrapes DCGM, EFA and node, Kueue and Slurm exporters", () => {
  it("one job each", () => {
    expect(scrapeJobs().map((j) => j.job_name)).toEqual(["dcgm", "node-health", "kueue", "slurm-accounts", "slurm-jobs", "slurm-partitions", "slurm-nodes", "slurm-scheduler", "tenants"]);
    const config = parse(renderScrapeConfiguration("gf-obs"));
    expect(config.global.external_labels).toEqual({ factory: "gf-obs" });
    // Plain YAML for AMP's scraper: no anchors or aliases for the jobs' shared parts.
    expect(renderScrapeConfiguration("gf-obs")).not.toMatch(/[&*]a\d/);
  });

  it("alerts read metrics the factory's own scripts write", () => {
    const agent = renderChecksScript();
    const sbatch = renderAcceptance(blueprint).find((f) => f.path.endsWith("acceptance-train-su001.sbatch"))!.content;
    const [drained, xid, bandwidth] = alertRules();
    expect(agent).toContain(drained.expr.match(/gigafactory_node_health_failed/)![0]);
    expect(xid.expr).toContain("DCGM_FI_DEV_XID_ERRORS == 79");
    // An application's Xid 13 is the job's fault, not the node's.
    expect(xid.expr).not.toMatch(/== 13\b/);
    for (const metric of bandwidth.expr.split(" < ")) expect(sbatch).toContain(`${metric}{`);
    expect(sbatch).toMatch(/gigafactory_acceptance_expected_bus_bandwidth_gbps\{%s\} %s\\n' "\$labels" "\$busbw" "\$labels" 300 >/);
  });
});

describe("dashboards as code", () => {
  const specs = dashboardSpecs(blueprint);

  it("show GPU utilisation per tenant, fabric throughput per unit and queue wait per tenant", () => {
    expect(specs.map((s) => s.uid)).toEqual(["gigafactory-gpu-tenants", "gigafactory-fabric-units", "gigafactory-queue-wait", "gigafactory-slurm-tenants"]);
    expect(specs[0].panels[0].targets[0].expr).toMatch(/avg by \(namespace\) \(DCGM_FI_DEV_GPU_UTIL/);
    expect(specs[1].panels[0].targets[0].expr).toMatch(/sum by \(unit\) \(rate\(gigafactory_efa_tx_bytes_total/);
    expect(specs[2].panels[0].targets[0].expr).toMatch(/by \(le, cluster_queue\) \(rate\(kueue_admission_wait_time_seconds_bucket/);
  });

  it("draw each pool's expected bandwidth on the acceptance panel", () => {
    expect(specs[1].panels[1].thresholds).toEqual([
      { value: 300, label: "train expected" },
      { value: 300, label: "tune expected" },
    ]);
  });

  it("are rendered under observability/ with the rules, scrape configuration and the collector's rights", () => {
    const files = renderObservability(blueprint);
    expect(files.map((f) => f.path)).toEqual([
      "observability/dashboards/gigafactory-gpu-tenants.json",
      "observability/dashboards/gigafactory-fabric-units.json",
      "observability/dashboards/gigafactory-queue-wait.json",
      "observability/dashboards/gigafactory-slurm-tenants.json",
      "observability/rules.yaml",
      "observability/scrape.yaml",
      "observability/kubernetes/collector-rbac.yaml",
    ]);
    const dashboard = JSON.parse(files[0].content);
    expect(dashboard.panels).toHaveLength(4);
    expect(parseAllDocuments(files[6].content).map((d) => d.toJS().kind)).toEqual(["ClusterRole", "ClusterRoleBinding"]);
  });
});
