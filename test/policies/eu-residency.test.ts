import { describe as group, expect, it } from "vitest";
import { arnOf, PlanBuilder } from "../support/snapshot-builder";
import { checkPlan, describe, mandatory } from "../fixtures/policies/check";
import { factoryPlan, type FactoryPlan } from "../fixtures/policies/factory-plan";
import { PolicyConfigError } from "../../policies/harness/pack-config";

// Each residency policy against a plan that breaks it and one that keeps it.

const JUSTIFIED = "The public documentation site holds only published material, approved by the DPO on 2026-01-10.";

group("residency-resource-region", () => {
  it("refuses an explicit provider without a region: the environment would decide", async () => {
    const f = factoryPlan();
    const p = f.b.provider("aws", "loose", { skipRegionValidation: "true" });
    f.b.add("aws:sqs/queue:Queue", "jobs", {}, { provider: p });
    const v = mandatory(await checkPlan(f.b.snapshot()), "residency-resource-region");
    expect(v.map((d) => d.resourceName)).toEqual(["loose", "jobs"]);
    expect(v[1].message).toMatch(/sets no region: it falls back to AWS_REGION/);
  });

  it("refuses the default provider when the stack config has no aws:region", async () => {
    const b = new PlanBuilder({});
    b.add("aws:s3/bucket:Bucket", "orphan", {}, { protect: true });
    const v = mandatory(await checkPlan(b.snapshot()), "residency-resource-region");
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(/default provider default \(stack config aws:region\) sets no region.*set `aws:region` in the stack config/);
  });

  it("places a resource without a provider with the default provider from the stack config", async () => {
    const b = new PlanBuilder({ "aws:region": "us-east-1" });
    b.add("aws:sqs/queue:Queue", "jobs");
    const v = mandatory(await checkPlan(b.snapshot()), "residency-resource-region");
    expect(v[0].message).toMatch(/lives in us-east-1 \(default provider/);
  });

  it("refuses a resource whose own region input leaves the EU, even under an EU provider", async () => {
    const f = factoryPlan();
    f.b.add("aws:sqs/queue:Queue", "jobs", { region: "us-west-2" }, { provider: f.aws });
    const v = mandatory(await checkPlan(f.b.snapshot()), "residency-resource-region");
    expect(v.map((d) => [d.resourceName, d.message.split(" — ")[0]])).toEqual([["jobs", "its data lives in us-west-2 (own region input), outside the allowed regions"]]);
  });

  it("accepts a resource in another EU region than its provider's", async () => {
    const f = factoryPlan();
    f.b.add("aws:sqs/queue:Queue", "jobs", { region: "eu-west-3" }, { provider: f.aws });
    expect(mandatory(await checkPlan(f.b.snapshot()), "residency-resource-region")).toEqual([]);
  });

  it("treats a region not known at plan time as unproven, mandatory rather than a preview warning", async () => {
    const f = factoryPlan();
    f.b.add("aws:sqs/queue:Queue", "jobs", { region: "[unknown]" }, { provider: f.aws });
    const v = mandatory(await checkPlan(f.b.snapshot()), "residency-resource-region");
    expect(v.map((d) => d.message)).toEqual([expect.stringMatching(/its own region input is not known until deployment/)]);
  });

  it("refuses a provider whose endpoint override sends a service's calls out of the EU or to a host it cannot place", async () => {
    const f = factoryPlan();
    f.b.provider("aws", "redirected", { region: "eu-north-1", endpoints: JSON.stringify([{ s3: "https://s3.us-east-1.amazonaws.com", sqs: "https://sqs-proxy.example.com" }]), stsRegion: "us-east-1" });
    const messages = mandatory(await checkPlan(f.b.snapshot()), "residency-resource-region").map((d) => d.message.split(" — ")[0]);
    expect(messages).toEqual([
      "provider redirected sends STS calls to us-east-1",
      "provider redirected sends s3 calls to https://s3.us-east-1.amazonaws.com in us-east-1",
      "provider redirected sends sqs calls to https://sqs-proxy.example.com, which is not a regional AWS endpoint",
    ]);
  });

  it("refuses resources of a package that cannot say where it keeps data, and accepts local-only ones", async () => {
    const f = factoryPlan();
    const datadog = f.b.provider("datadog", "dd", { apiUrl: "https://api.datadoghq.eu" });
    f.b.add("datadog:index/logsArchive:LogsArchive", "archive", {}, { provider: datadog });
    f.b.add("random:index/randomPassword:RandomPassword", "munge", { length: 32 });
    const v = mandatory(await checkPlan(f.b.snapshot()), "residency-resource-region");
    expect(v.map((d) => d.resourceName)).toEqual(["archive"]);
  });

  it("accepts the UK only when the config allows it", async () => {
    const b = new PlanBuilder({ "aws:region": "eu-west-2" });
    b.add("aws:sqs/queue:Queue", "jobs");
    expect(mandatory(await checkPlan(b.snapshot()), "residency-resource-region")).toHaveLength(1);
    const allowed = await checkPlan(b.snapshot(), { "residency-resource-region": { allowedRegions: ["eu-north-1", "eu-west-2"] } });
    expect(mandatory(allowed, "residency-resource-region")).toEqual([]);
  });

  it("lets an exemption with a written justification through, and refuses one without", async () => {
    const b = new PlanBuilder({ "aws:region": "us-east-1" });
    b.add("aws:sqs/queue:Queue", "jobs");
    const exempt = await checkPlan(b.snapshot(), { "residency-resource-region": { exemptions: [{ resource: "jobs", justification: JUSTIFIED }] } });
    expect(mandatory(exempt, "residency-resource-region")).toEqual([]);
    await expect(checkPlan(b.snapshot(), { "residency-resource-region": { exemptions: [{ resource: "jobs", justification: "ok" }] } })).rejects.toBeInstanceOf(PolicyConfigError);
  });
});

group("residency-kubernetes-cluster", () => {
  it("places Kubernetes objects in the cluster their provider's kubeconfig names", async () => {
    const f = factoryPlan("eu-central-1");
    expect(mandatory(await checkPlan(f.b.snapshot()), "residency-kubernetes-cluster")).toEqual([]);
  });

  it("refuses objects whose kubeconfig points at a cluster outside the EU", async () => {
    const f = factoryPlan();
    const away = f.b.provider("kubernetes", "away", { kubeconfig: "apiVersion: v1\nclusters:\n- cluster:\n    server: https://ABC.gr7.us-east-1.eks.amazonaws.com\n" });
    f.b.add("kubernetes:core/v1:ConfigMap", "settings", { data: { a: "b" } }, { provider: away });
    const v = mandatory(await checkPlan(f.b.snapshot()), "residency-kubernetes-cluster");
    expect(v.map((d) => [d.resourceName, d.message.split(" — ")[0]])).toEqual([["settings", "its cluster is in us-east-1 (kubeconfig of provider away), outside the allowed regions"]]);
  });

  it("refuses objects on a provider with no kubeconfig, including the default one", async () => {
    const f = factoryPlan();
    f.b.add("kubernetes:core/v1:ConfigMap", "ambient", { data: { a: "b" } });
    const v = mandatory(await checkPlan(f.b.snapshot()), "residency-kubernetes-cluster");
    expect(v.map((d) => d.resourceName)).toEqual(["ambient"]);
    expect(v[0].message).toMatch(/no kubeconfig: it talks to whatever cluster KUBECONFIG names/);
  });

  it("refuses a readable kubeconfig that names no EKS endpoint, whatever the provider depends on", async () => {
    const f = factoryPlan();
    const onPrem = f.b.provider("kubernetes", "somewhere", { kubeconfig: "clusters:\n- cluster:\n    server: https://k8s.example.com:6443\n" }, { dependsOn: [f.urns.cluster] });
    f.b.add("kubernetes:core/v1:ConfigMap", "settings", {}, { provider: onPrem });
    const v = mandatory(await checkPlan(f.b.snapshot()), "residency-kubernetes-cluster");
    expect(v.map((d) => [d.resourceName, d.message.split(" — ")[0]])).toEqual([["settings", "the kubeconfig of provider somewhere names no EKS endpoint or region, so its cluster cannot be placed"]]);
  });

  it("proves a secret kubeconfig's cluster from the EKS cluster of the plan it was built from", async () => {
    const f = factoryPlan("eu-west-1");
    const hidden = f.b.provider("kubernetes", "hidden", { kubeconfig: "[secret]" }, { dependsOn: [f.urns.cluster] });
    f.b.add("kubernetes:core/v1:ConfigMap", "settings", {}, { provider: hidden });
    expect(mandatory(await checkPlan(f.b.snapshot()), "residency-kubernetes-cluster")).toEqual([]);
    const orphan = f.b.provider("kubernetes", "orphan", { kubeconfig: "[secret]" });
    f.b.add("kubernetes:core/v1:ConfigMap", "lost", {}, { provider: orphan });
    expect(mandatory(await checkPlan(f.b.snapshot()), "residency-kubernetes-cluster").map((d) => d.resourceName)).toEqual(["lost"]);
  });
});

group("residency-data-egress", () => {
  async function egress(build: (f: ReturnType<typeof factoryPlan>) => void, region = "eu-north-1") {
    const f = factoryPlan(region);
    build(f);
    return mandatory(await checkPlan(f.b.snapshot()), "residency-data-egress").map((d) => `${d.resourceName}: ${d.message.split(" — ")[0]}`);
  }

  it("refuses S3 replication to a bucket the plan does not create, and accepts one it creates in the EU", async () => {
    expect(
      await egress((f) => {
        f.b.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "replicate", { bucket: "gf-checkpoints-1a2b3c4", role: arnOf("iam", "", "role/r"), rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::somebody-elses-bucket" } }] }, { provider: f.aws, dependsOn: [f.urns.bucket] });
      }),
    ).toEqual(["replicate: `rules.0.destination.bucket` sends data to bucket somebody-elses-bucket, which this plan does not create, so its region cannot be proven"]);
    expect(
      await egress((f) => {
        const p = f.b.provider("aws", "dr", { region: "eu-west-1" });
        const dr = f.b.add("aws:s3/bucket:Bucket", "dr-copy", { bucket: "gf-dr-copy" }, { provider: p, protect: true });
        f.b.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "replicate", { bucket: "gf-checkpoints-1a2b3c4", role: arnOf("iam", "", "role/r"), rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::gf-dr-copy" } }] }, { provider: f.aws, dependsOn: [f.urns.bucket, dr] });
      }),
    ).toEqual([]);
  });

  it("refuses replication to a plan bucket whose provider is outside the EU", async () => {
    const out = await egress((f) => {
      const p = f.b.provider("aws", "us", { region: "us-east-1" });
      const dr = f.b.add("aws:s3/bucket:Bucket", "us-copy", {}, { provider: p, protect: true });
      f.b.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "replicate", { bucket: "gf-checkpoints-1a2b3c4", rules: [{ destination: { bucket: "arn:aws:s3:::us-copy-9f8e7d6" } }] }, { provider: f.aws, dependsOn: [f.urns.bucket, dr] });
    });
    expect(out).toEqual(["replicate: `rules.0.destination.bucket` = arn:aws:s3:::us-copy-9f8e7d6 points to us-east-1, outside the allowed regions"]);
  });

  it("refuses DynamoDB replicas, ECR replication, Backup copies and KMS replicas outside the EU, and accepts EU ones", async () => {
    const out = await egress((f) => {
      f.b.add("aws:dynamodb/table:Table", "jobs", { hashKey: "id", replicas: [{ regionName: "eu-west-1" }, { regionName: "us-east-1" }] }, { provider: f.aws });
      f.b.add("aws:ecr/replicationConfiguration:ReplicationConfiguration", "ecr-copy", { replicationConfiguration: { rules: [{ destinations: [{ region: "ap-southeast-1", registryId: "123456789012" }] }] } }, { provider: f.aws });
      f.b.add("aws:backup/plan:Plan", "backups", { rules: [{ ruleName: "daily", targetVaultName: "v", copyActions: [{ destinationVaultArn: arnOf("backup", "us-west-2", "backup-vault:dr") }] }] }, { provider: f.aws });
      f.b.add("aws:kms/replicaKey:ReplicaKey", "replica", { primaryKeyArn: arnOf("kms", "us-east-1", "key/mrk-1") }, { provider: f.aws, protect: true });
    });
    expect(out).toEqual([
      "jobs: `replicas.1.regionName` = us-east-1 points to us-east-1, outside the allowed regions",
      "ecr-copy: `replicationConfiguration.rules.0.destinations.0.region` = ap-southeast-1 points to ap-southeast-1, outside the allowed regions",
      "backups: `rules.0.copyActions.0.destinationVaultArn` = arn:aws:backup:us-west-2:123456789012:backup-vault:dr points to us-west-2, outside the allowed regions",
      "replica: `primaryKeyArn` = arn:aws:kms:us-east-1:123456789012:key/mrk-1 points to us-east-1, outside the allowed regions",
    ]);
  });

  it("refuses log destinations it cannot place: an unknown bucket for flow logs, a CloudTrail bucket elsewhere", async () => {
    const out = await egress((f) => {
      f.b.add("aws:ec2/flowLog:FlowLog", "to-s3", { vpcId: "vpc-01", logDestinationType: "s3", logDestination: "arn:aws:s3:::central-logging/flow" }, { provider: f.aws });
      f.b.add("aws:cloudtrail/trail:Trail", "trail", { s3BucketName: "org-trail-bucket", isMultiRegionTrail: true }, { provider: f.aws });
    });
    expect(out).toEqual([
      "to-s3: `logDestination` sends data to bucket central-logging, which this plan does not create, so its region cannot be proven",
      "trail: `s3BucketName` sends data to bucket org-trail-bucket, which this plan does not create, so its region cannot be proven",
    ]);
  });

  it("refuses cross-region peering and PrivateLink out of the EU, and accepts them inside it", async () => {
    const out = await egress((f) => {
      f.b.add("aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "to-us", { vpcId: "vpc-01", peerVpcId: "vpc-02", peerRegion: "us-east-1" }, { provider: f.aws });
      f.b.add("aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "to-de", { vpcId: "vpc-01", peerVpcId: "vpc-03", peerRegion: "eu-central-1" }, { provider: f.aws });
      f.b.add("aws:ec2/vpcEndpoint:VpcEndpoint", "s3-virginia", { vpcId: "vpc-01", serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Interface", serviceRegion: "us-east-1" }, { provider: f.aws });
    });
    expect(out).toEqual([
      "to-us: `peerRegion` = us-east-1 points to us-east-1, outside the allowed regions",
      "s3-virginia: `serviceName` = com.amazonaws.us-east-1.s3 points to us-east-1, outside the allowed regions",
      "s3-virginia: `serviceRegion` = us-east-1 points to us-east-1, outside the allowed regions",
    ]);
  });

  it("refuses metrics written to an endpoint outside AWS, and accepts a Prometheus workspace in the region", async () => {
    const out = await egress((f) => {
      const values = (url: string) => ({ prometheus: { prometheusSpec: { remoteWrite: [{ url }] } } });
      for (const [name, url] of [["to-saas", "https://prometheus-prod.grafana.net/api/prom/push"], ["to-amp", "https://aps-workspaces.eu-north-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write"]]) {
        f.b.add("kubernetes:helm.sh/v3:Release", name, { chart: "oci://123456789012.dkr.ecr.eu-north-1.amazonaws.com/charts/kube-prometheus-stack", version: "70.0.0", values: values(url) }, { provider: f.k8s });
      }
    });
    expect(out).toEqual(["to-saas: `values.prometheus.prometheusSpec.remoteWrite.0.url` sends data to https://prometheus-prod.grafana.net/api/prom/push, an endpoint outside AWS whose location cannot be proven"]);
  });

  it("reads a webhook's placement (a toleration's key, a node label) as no destination, and its URL still as one", async () => {
    const out = await egress((f) => {
      const webhook = { tolerations: [{ key: "gigafactory.io/system", operator: "Exists" }], nodeSelector: { "gigafactory.io/pool": "system" }, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "example.com/zone", operator: "In", values: ["eu.example.com"] }] }] } } } };
      f.b.add("kubernetes:helm.sh/v3:Release", "placed", { chart: "oci://123456789012.dkr.ecr.eu-north-1.amazonaws.com/charts/thing", version: "1.0.0", values: { webhook } }, { provider: f.k8s });
      f.b.add("kubernetes:helm.sh/v3:Release", "posts", { chart: "oci://123456789012.dkr.ecr.eu-north-1.amazonaws.com/charts/thing", version: "1.0.0", values: { webhook: { ...webhook, url: "https://hooks.example.com/in" } } }, { provider: f.k8s });
    });
    expect(out).toEqual(["posts: `values.webhook.url` sends data to https://hooks.example.com/in, an endpoint outside AWS whose location cannot be proven"]);
  });

  it("refuses a destination not known at plan time that comes from no plan resource, as a mandatory violation", async () => {
    const out = await egress((f) => {
      f.b.add("aws:ec2/flowLog:FlowLog", "blind", { vpcId: "vpc-01", logDestinationType: "s3", logDestination: "[unknown]" }, { provider: f.aws });
    });
    expect(out).toEqual(["blind: `logDestination` is not known until deployment and comes from no resource of this plan with a proven region"]);
  });

  it("accepts an unknown destination that comes from a plan log group in the region", async () => {
    const out = await egress((f) => {
      f.b.add("aws:ec2/flowLog:FlowLog", "later", { vpcId: "vpc-01", logDestinationType: "cloud-watch-logs", logDestination: "[unknown]" }, { provider: f.aws, dependsOn: [f.urns.logGroup] });
    });
    expect(out).toEqual([]);
  });
});

group("residency-global-services", () => {
  it("refuses CloudFront and Global Accelerator unless exempted with a justification", async () => {
    const f = factoryPlan();
    f.b.add("aws:cloudfront/distribution:Distribution", "docs-cdn", { enabled: true }, { provider: f.aws });
    f.b.add("aws:globalaccelerator/accelerator:Accelerator", "ingress", { name: "in" }, { provider: f.aws });
    const result = await checkPlan(f.b.snapshot());
    expect(mandatory(result, "residency-global-services").map((d) => d.resourceName)).toEqual(["docs-cdn", "ingress"]);
    const exempt = await checkPlan(f.b.snapshot(), { "residency-global-services": { exemptions: [{ resource: "docs-cdn", justification: JUSTIFIED }] } });
    expect(mandatory(exempt, "residency-global-services").map((d) => d.resourceName)).toEqual(["ingress"]);
  });

  it("refuses data-bearing records in a public zone or in a zone it cannot see, and accepts a private zone", async () => {
    const f = factoryPlan();
    const pub = f.b.add("aws:route53/zone:Zone", "public", { name: "gf.example.eu" }, { provider: f.aws });
    f.b.add("aws:route53/record:Record", "api", { zoneId: "Z1", name: "api", type: "A", records: ["10.0.0.1"] }, { provider: f.aws, dependsOn: [pub] });
    f.b.add("aws:route53/record:Record", "delegation", { zoneId: "Z1", name: "sub", type: "NS", records: ["ns1"] }, { provider: f.aws, dependsOn: [pub] });
    const priv = f.b.add("aws:route53/zone:Zone", "private", { name: "gf.internal", vpcs: [{ vpcId: "vpc-01" }] }, { provider: f.aws });
    f.b.add("aws:route53/record:Record", "lustre", { zoneId: "Z2", name: "lustre", type: "CNAME", records: ["fs"] }, { provider: f.aws, dependsOn: [priv] });
    f.b.add("aws:route53/record:Record", "elsewhere", { zoneId: "Z0123456789", name: "x", type: "TXT", records: ["v"] }, { provider: f.aws });
    const result = await checkPlan(f.b.snapshot());
    expect(mandatory(result, "residency-global-services").map((d) => d.resourceName)).toEqual(["api", "elsewhere"]);
  });

  it("reports control-plane-only global resources as advisory, never as a failure", async () => {
    const result = await checkPlan(factoryPlan().b.snapshot());
    const advisory = result.diagnostics.filter((d) => d.policy === "residency-global-control-plane");
    expect(advisory).toHaveLength(1);
    expect(advisory[0]).toMatchObject({ enforcementLevel: "advisory", urn: undefined });
    expect(advisory[0].message).toContain("aws:iam/role:Role ×2");
  });
});

group("residency-images-and-charts", () => {
  async function images(build: (f: FactoryPlan) => void) {
    const f = factoryPlan();
    build(f);
    const result = await checkPlan(f.b.snapshot());
    return mandatory(result, "residency-images-and-charts").map((d) => `${d.resourceName}: ${d.message.split(" — ")[0]}`);
  }

  it("accepts images and charts from the factory's ECR in its region", async () => {
    expect(await images(() => undefined)).toEqual([]);
  });

  it("refuses images from Docker Hub, a foreign ECR, or another EU region's ECR", async () => {
    const out = await images((f) => {
      const pod = (image: string) => ({ spec: { containers: [{ name: "c", image }] } });
      f.b.add("kubernetes:core/v1:Pod", "hub", pod("nginx:1.27"), { provider: f.k8s });
      f.b.add("kubernetes:core/v1:Pod", "oregon", pod("602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/pause:3.9"), { provider: f.k8s });
      f.b.add("kubernetes:core/v1:Pod", "frankfurt", pod("123456789012.dkr.ecr.eu-central-1.amazonaws.com/tools/x:1"), { provider: f.k8s });
    });
    expect(out).toEqual([
      "hub: image `spec.containers.0.image` nginx:1.27 is pulled from docker.io, outside the factory's in-region registry",
      "oregon: image `spec.containers.0.image` 602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/pause:3.9 is pulled from ECR in us-west-2, outside the allowed regions",
      "frankfurt: image `spec.containers.0.image` 123456789012.dkr.ecr.eu-central-1.amazonaws.com/tools/x:1 is pulled from ECR in eu-central-1, not the factory's region eu-north-1",
    ]);
  });

  it("refuses a chart whose default image is left in us-west-2, and a chart from a public repository", async () => {
    const out = await images((f) => {
      f.b.set(f.urns.efaPlugin, { values: {} });
      f.b.add("kubernetes:helm.sh/v3:Release", "kueue", { chart: "kueue", version: "0.14.1", repositoryOpts: { repo: "https://kubernetes-sigs.github.io/kueue" }, values: {} }, { provider: f.k8s });
    });
    expect(out).toEqual([
      "gf-efa-device-plugin: chart aws-efa-k8s-device-plugin pulls its default image for `image` from outside the factory",
      "kueue: chart kueue is pulled from https://kubernetes-sigs.github.io/kueue, outside the factory's in-region registry",
      "kueue: chart kueue pulls its default image for `controllerManager.manager.image` from outside the factory",
    ]);
  });

  it("asks for the image settings of a chart it does not know, and accepts them once configured", async () => {
    const build = (f: ReturnType<typeof factoryPlan>) =>
      f.b.add("kubernetes:helm.sh/v3:Release", "thing", { chart: "oci://123456789012.dkr.ecr.eu-north-1.amazonaws.com/charts/thing", version: "1.0.0", values: { thing: { image: "123456789012.dkr.ecr.eu-north-1.amazonaws.com/thing:1" } } }, { provider: f.k8s });
    expect(await images(build)).toEqual(["thing: chart thing's default images cannot be seen in the plan"]);
    const f = factoryPlan();
    build(f);
    const configured = await checkPlan(f.b.snapshot(), { "residency-images-and-charts": { chartImageValues: { thing: [{ path: "thing.image" }], "aws-efa-k8s-device-plugin": [{ path: "image" }] } } });
    expect(mandatory(configured, "residency-images-and-charts")).toEqual([]);
  });

  it("needs only the gpu-operator images of the components that run", async () => {
    const ecr = "123456789012.dkr.ecr.eu-north-1.amazonaws.com/nvcr/nvidia";
    const on = (name: string) => ({ repository: ecr, image: name, version: "v1" });
    const out = await images((f) => {
      f.b.add(
        "kubernetes:helm.sh/v3:Release",
        "gpu-operator",
        {
          chart: "oci://123456789012.dkr.ecr.eu-north-1.amazonaws.com/charts/gpu-operator",
          version: "v25.3.0",
          values: {
            driver: { enabled: false },
            toolkit: { enabled: false },
            migManager: { enabled: false },
            nfd: { enabled: false },
            operator: { ...on("gpu-operator"), initContainer: on("cuda") },
            validator: on("gpu-operator-validator"),
            devicePlugin: on("k8s-device-plugin"),
            dcgmExporter: on("dcgm-exporter"),
            gfd: { ...on("k8s-device-plugin") },
          },
        },
        { provider: f.k8s },
      );
    });
    expect(out).toEqual([]);
  });

  it("asks cert-manager for all five of its images, and accepts it once every one is in the region", async () => {
    const ecr = (name: string) => ({ repository: `123456789012.dkr.ecr.eu-north-1.amazonaws.com/quay/jetstack/cert-manager-${name}`, tag: "v1.21.1" });
    const release = (values: Record<string, unknown>) => (f: FactoryPlan) =>
      void f.b.add("kubernetes:helm.sh/v3:Release", "cert-manager", { chart: "oci://123456789012.dkr.ecr.eu-north-1.amazonaws.com/charts/cert-manager", version: "v1.21.1", values }, { provider: f.k8s });
    expect(await images(release({ image: ecr("controller") }))).toEqual([
      "cert-manager: chart cert-manager pulls its default image for `webhook.image` from outside the factory",
      "cert-manager: chart cert-manager pulls its default image for `cainjector.image` from outside the factory",
      "cert-manager: chart cert-manager pulls its default image for `acmesolver.image` from outside the factory",
      "cert-manager: chart cert-manager pulls its default image for `startupapicheck.image` from outside the factory",
    ]);
    const all = { image: ecr("controller"), webhook: { image: ecr("webhook") }, cainjector: { image: ecr("cainjector") }, acmesolver: { image: ecr("acmesolver") }, startupapicheck: { image: ecr("startupapicheck") } };
    expect(await images(release(all))).toEqual([]);
  });

  it("finds an image inside a JSON document of a resource type it has no rule for (an ECS task definition)", async () => {
    const out = await images((f) => {
      f.b.add("aws:ecs/taskDefinition:TaskDefinition", "exporter", { family: "x", containerDefinitions: JSON.stringify([{ name: "x", image: "ghcr.io/acme/exporter:2" }]) }, { provider: f.aws });
    });
    expect(out).toEqual(["exporter: image `containerDefinitions.0.image` ghcr.io/acme/exporter:2 is pulled from ghcr.io, outside the factory's in-region registry"]);
  });
});

group("the residency pack as a whole", () => {
  it("names every violation with resource, policy, reason and fix", async () => {
    const b = new PlanBuilder({ "aws:region": "us-east-1" });
    b.add("aws:sqs/queue:Queue", "jobs");
    const [d] = mandatory(await checkPlan(b.snapshot()), "residency-resource-region");
    expect(d).toMatchObject({ urn: "urn:pulumi:test::gigafactory::aws:sqs/queue:Queue::jobs", resourceType: "aws:sqs/queue:Queue", policy: "residency-resource-region", pack: "eu-residency" });
    expect(d.message).toMatch(/ — place it in one of eu-north-1, /);
    expect(d.remediation).toBeTruthy();
    expect(describe(await checkPlan(b.snapshot()))).toContain("jobs");
  });
});
