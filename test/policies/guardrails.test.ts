import { describe as group, expect, it } from "vitest";
import { arnOf } from "../support/snapshot-builder";
import { checkPlan, mandatory } from "../fixtures/policies/check";
import { efaInterfaces, factoryPlan, type FactoryPlan } from "../fixtures/policies/factory-plan";

// Each guardrail against a plan that breaks it and one that keeps it.

async function broken(policy: string, build: (f: FactoryPlan) => void, config: Record<string, unknown> = {}): Promise<string[]> {
  const f = factoryPlan();
  build(f);
  return mandatory(await checkPlan(f.b.snapshot(), config), policy).map((d) => `${d.resourceName}: ${d.message.split(" — ")[0]}`);
}

const noop = () => undefined;

group("imdsv2-required", () => {
  it("accepts launch templates that require IMDSv2", async () => {
    expect(await broken("imdsv2-required", noop)).toEqual([]);
  });

  it("refuses a launch template without metadata options and an instance with optional tokens", async () => {
    const out = await broken("imdsv2-required", (f) => {
      f.b.set(f.urns.launchTemplate, { metadataOptions: undefined });
      f.b.add("aws:ec2/instance:Instance", "bastion", { ami: "ami-1", instanceType: "t3.micro", metadataOptions: { httpTokens: "optional" } }, { provider: f.aws });
    });
    expect(out).toEqual(["gf-train-su-001: metadataOptions.httpTokens is not set (EC2 then allows IMDSv1)", 'bastion: metadataOptions.httpTokens is "optional"']);
  });
});

group("no-public-ips", () => {
  it("accepts private interfaces and subnets", async () => {
    expect(await broken("no-public-ips", noop)).toEqual([]);
  });

  it("refuses a public address on a template interface, an instance or a subnet", async () => {
    const out = await broken("no-public-ips", (f) => {
      const nics = efaInterfaces(32);
      nics[0].associatePublicIpAddress = "true";
      f.b.set(f.urns.launchTemplate, { networkInterfaces: nics });
      f.b.set(f.urns.subnet, { mapPublicIpOnLaunch: true });
      f.b.add("aws:ec2/instance:Instance", "bastion", { ami: "ami-1", instanceType: "t3.micro", associatePublicIpAddress: true, metadataOptions: { httpTokens: "required" } }, { provider: f.aws });
    });
    expect(out).toEqual([
      "gf-gpu-a: `mapPublicIpOnLaunch` gives the node a public address",
      "gf-train-su-001: `networkInterfaces.0.associatePublicIpAddress` gives the node a public address",
      "bastion: `associatePublicIpAddress` gives the node a public address",
    ]);
  });
});

group("eks-private-endpoint", () => {
  it("accepts a private cluster whose secrets use the factory's key", async () => {
    expect(await broken("eks-private-endpoint", noop)).toEqual([]);
  });

  it("refuses a cluster left at EKS's defaults: public endpoint, no private access, no secrets encryption", async () => {
    const out = await broken("eks-private-endpoint", (f) => f.b.set(f.urns.cluster, { vpcConfig: { subnetIds: ["subnet-01"] }, encryptionConfig: undefined }));
    expect(out).toEqual([
      "gf-eks: the API endpoint is public to every address (endpointPublicAccess is not false and publicAccessCidrs is empty; EKS defaults both to open)",
      "gf-eks: the API endpoint is not reachable privately (endpointPrivateAccess is not true)",
      'gf-eks: Kubernetes Secrets are not encrypted with a KMS key (no encryptionConfig with resources ["secrets"])',
    ]);
  });

  it("accepts a public endpoint only with an explicit list of source ranges", async () => {
    const withPublic = (publicAccessCidrs?: string[]) => (f: FactoryPlan) =>
      f.b.set(f.urns.cluster, { vpcConfig: { subnetIds: ["subnet-01"], endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs } });
    expect(await broken("eks-private-endpoint", withPublic(["198.51.100.0/24"]))).toEqual([]);
    expect(await broken("eks-private-endpoint", withPublic(undefined))).toEqual([
      "gf-eks: the API endpoint is public to every address (endpointPublicAccess is not false and publicAccessCidrs is empty; EKS defaults both to open)",
    ]);
    expect(await broken("eks-private-endpoint", withPublic(["198.51.100.0/24", "0.0.0.0/0", "::/0"]))).toEqual([
      "gf-eks: the API endpoint is public to the whole internet (publicAccessCidrs holds 0.0.0.0/0)",
      "gf-eks: the API endpoint is public to the whole internet (publicAccessCidrs holds ::/0)",
    ]);
  });

  it("refuses secrets encrypted with a key in another region", async () => {
    const out = await broken("eks-private-endpoint", (f) => {
      f.b.set(f.urns.cluster, { encryptionConfig: { resources: ["secrets"], provider: { keyArn: arnOf("kms", "eu-west-1", "key/other") } } });
    });
    expect(out).toEqual(["gf-eks: `encryptionConfig.provider.keyArn` = arn:aws:kms:eu-west-1:123456789012:key/other is a key in eu-west-1, not in the store's region eu-north-1"]);
  });
});

group("data-store-encryption", () => {
  it("accepts stores encrypted with the plan's key in their region", async () => {
    expect(await broken("data-store-encryption", noop)).toEqual([]);
  });

  it("refuses a log group without a key, a bucket without KMS encryption and a scratch file system", async () => {
    const out = await broken("data-store-encryption", (f) => {
      f.b.set(f.urns.logGroup, { kmsKeyId: undefined });
      f.b.remove(f.urns.bucketEncryption);
      f.b.set(f.urns.lustre, { deploymentType: "SCRATCH_2" });
    });
    expect(out).toEqual([
      "gf-flow-logs: `kmsKeyId` is not set, so the data is encrypted with an AWS-owned or AWS-managed key at best",
      "gf-checkpoints: no server-side encryption configuration with a KMS key covers this bucket",
      "gf-lustre: a SCRATCH_2 file system is encrypted only with an AWS-owned key",
    ]);
  });

  it("refuses AES256 and AWS-managed keys, and a key the plan did not create", async () => {
    const out = await broken("data-store-encryption", (f) => {
      f.b.set(f.urns.bucketEncryption, { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
      f.b.add("aws:sqs/queue:Queue", "jobs", { kmsMasterKeyId: "alias/aws/sqs" }, { provider: f.aws });
      f.b.add("aws:ebs/volume:Volume", "scratch", { availabilityZone: "eu-north-1a", size: 10, encrypted: true, kmsKeyId: arnOf("kms", "eu-north-1", "key/unknown") }, { provider: f.aws, protect: true });
    });
    expect(out).toEqual([
      "gf-checkpoints: gf-checkpoints-encryption encrypts with AES256, not a KMS key",
      "gf-checkpoints: gf-checkpoints-encryption: `rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId` is not set, so the data is encrypted with an AWS-owned or AWS-managed key at best",
      "jobs: `kmsMasterKeyId` = alias/aws/sqs is an AWS-managed key",
      "scratch: `kmsKeyId` = arn:aws:kms:eu-north-1:123456789012:key/unknown and does not come from a KMS key of this plan, so it cannot be proven customer-managed",
    ]);
  });

  it("accepts an external customer-managed key the config vouches for", async () => {
    const key = arnOf("kms", "eu-north-1", "key/external");
    const out = await broken("data-store-encryption", (f) => f.b.add("aws:sqs/queue:Queue", "jobs", { kmsMasterKeyId: key }, { provider: f.aws }), { "data-store-encryption": { customerManagedKeyArns: [key] } });
    expect(out).toEqual([]);
  });

  it("refuses an EBS volume class whose volumes are unencrypted or left to AWS's key, and asks nothing of a class that makes no volume", async () => {
    const plain = await broken("data-store-encryption", (f) => f.b.set(f.urns.stateClass, { parameters: { type: "gp3" } }));
    expect(plain).toEqual([
      "gf-slurm-state-class: `parameters.encrypted` is not true: volume encryption is off",
      "gf-slurm-state-class: `parameters.kmsKeyId` is not set, so the data is encrypted with an AWS-owned or AWS-managed key at best",
    ]);
    const inTree = await broken("data-store-encryption", (f) => f.b.set(f.urns.stateClass, { provisioner: "kubernetes.io/aws-ebs", parameters: { encrypted: "true" } }));
    expect(inTree).toEqual(["gf-slurm-state-class: `parameters.kmsKeyId` is not set, so the data is encrypted with an AWS-owned or AWS-managed key at best"]);
    expect(await broken("data-store-encryption", (f) => f.b.set(f.urns.lustreClass, { parameters: { encrypted: "false" } }))).toEqual([]);
  });

  it("refuses a GPU node template that leaves its volumes' encryption to the AMI", async () => {
    const out = await broken("data-store-encryption", (f) => f.b.set(f.urns.launchTemplate, { blockDeviceMappings: undefined }));
    expect(out).toEqual(["gf-train-su-001: the launch template sets no block device mapping, so the root volume's encryption is left to the AMI and the account default"]);
  });
});

group("state-protected-and-retained", () => {
  it("accepts protected stores with the services' own guards on", async () => {
    expect(await broken("state-protected-and-retained", noop)).toEqual([]);
  });

  it("refuses unprotected stores and stores the service would delete with their resource", async () => {
    const out = await broken("state-protected-and-retained", (f) => {
      f.b.get(f.urns.bucket).protect = false;
      f.b.set(f.urns.bucket, { forceDestroy: true });
      f.b.set(f.urns.logGroup, { skipDestroy: undefined });
      f.b.set(f.urns.lustre, { skipFinalBackup: undefined });
      f.b.set(f.urns.key, { deletionWindowInDays: 7 });
      f.b.add("aws:rds/cluster:Cluster", "slurmdbd", { engine: "aurora-mysql", storageEncrypted: true, skipFinalSnapshot: true }, { provider: f.aws, protect: true });
    });
    expect(out).toEqual([
      "gf-key: deletionWindowInDays is 7: a key deleted by mistake is gone after 7 days",
      "gf-flow-logs: `skipDestroy` is not set (the service's default, false, lets the data go with the resource)",
      "gf-checkpoints: it is not protected: a refactor or a destroy deletes it",
      "gf-checkpoints: `forceDestroy` is true",
      "gf-lustre: `skipFinalBackup` is not set (the service's default, true, lets the data go with the resource)",
      "slurmdbd: `deletionProtection` is not set (the service's default, false, lets the data go with the resource)",
      "slurmdbd: `skipFinalSnapshot` is true",
    ]);
  });

  it("judges retention by what the runtime shows a policy: retainOnDelete alone is not enough", async () => {
    const out = await broken("state-protected-and-retained", (f) => {
      const g = f.b.get(f.urns.logGroup);
      g.protect = false;
      g.retainOnDelete = true;
    });
    expect(out).toEqual(["gf-flow-logs: it is not protected: a refactor or a destroy deletes it"]);
  });
});

group("gpu-efa-wiring", () => {
  it("accepts a p5 template with all 32 EFA cards, one AZ and its unit's cluster placement group", async () => {
    expect(await broken("gpu-efa-wiring", noop)).toEqual([]);
  });

  it("refuses a p5 template that wires only 31 cards or puts efa-only at the primary slot", async () => {
    expect(await broken("gpu-efa-wiring", (f) => f.b.set(f.urns.launchTemplate, { networkInterfaces: efaInterfaces(31) }))).toEqual([
      "gf-train-su-001: p5.48xlarge has 32 network cards but cards 31 carry no EFA interface",
    ]);
    const nics = efaInterfaces(32);
    nics[0].interfaceType = "efa-only";
    nics.push({ networkCardIndex: 5, deviceIndex: 0, interfaceType: "efa-only" });
    expect(await broken("gpu-efa-wiring", (f) => f.b.set(f.urns.launchTemplate, { networkInterfaces: nics }))).toEqual([
      "gf-train-su-001: the primary interface (card 0, device 0) is efa-only, which carries no IP",
      "gf-train-su-001: two interfaces use network card 5 device 0",
      "gf-train-su-001: 34 EFA interfaces wired, p5.48xlarge has 32",
    ]);
  });

  it("refuses nodes spread over two AZs, or outside a cluster placement group", async () => {
    const out = await broken("gpu-efa-wiring", (f) => {
      const b = f.b.add("aws:ec2/subnet:Subnet", "gf-gpu-b", { vpcId: "vpc-01", cidrBlock: "10.0.16.0/20", availabilityZone: "eu-north-1b" }, { provider: f.aws });
      f.b.get(f.urns.nodeGroup).dependencies.push(b);
      f.b.set(f.urns.placementGroup, { strategy: "spread" });
    });
    expect(out).toEqual([
      "gf-train-su-001: its nodes span availability zones eu-north-1a, eu-north-1b; EFA stays inside one",
      "gf-train-su-001: placement group gf-su-001 has strategy spread, not cluster",
    ]);
    expect(await broken("gpu-efa-wiring", (f) => f.b.set(f.urns.launchTemplate, { placement: undefined }))).toEqual([
      "gf-train-su-001: the template names no placement group and no capacity block, so its nodes can land anywhere in the AZ's fabric",
    ]);
  });

  it("accepts a capacity block without a placement group, and refuses one without its reservation", async () => {
    const block = { instanceMarketOptions: { marketType: "capacity-block" }, placement: undefined };
    const out = await broken("gpu-efa-wiring", (f) => {
      f.b.set(f.urns.launchTemplate, { ...block, capacityReservationSpecification: { capacityReservationTarget: { capacityReservationId: "cr-0123456789abcdef0" } } });
      f.b.set(f.urns.nodeGroup, { capacityType: "CAPACITY_BLOCK" });
    });
    expect(out).toEqual([]);
    expect(await broken("gpu-efa-wiring", (f) => f.b.set(f.urns.launchTemplate, block))).toEqual([
      "gf-train-su-001: the template buys capacity-block instances without naming the block's reservation",
    ]);
  });

  it("accepts a delivered reservation, by id or group, without a placement group only where no launch falls back to on-demand", async () => {
    const delivered = (target: Record<string, string>, preference?: string) => ({
      placement: undefined,
      capacityReservationSpecification: { ...(preference ? { capacityReservationPreference: preference } : {}), capacityReservationTarget: target },
    });
    const group = { capacityReservationResourceGroupArn: "arn:aws:resource-groups:eu-north-1:111122223333:group/h200" };
    for (const target of [{ capacityReservationId: "cr-0123456789abcdef0" }, group]) {
      expect(await broken("gpu-efa-wiring", (f) => f.b.set(f.urns.launchTemplate, delivered(target, "capacity-reservations-only")))).toEqual([]);
      expect(await broken("gpu-efa-wiring", (f) => f.b.set(f.urns.launchTemplate, delivered(target)))).toEqual([
        "gf-train-su-001: the template targets a reservation without capacity-reservations-only, so a launch it cannot hold runs on on-demand capacity elsewhere",
      ]);
    }
  });

  it("reads the card count from the catalog: a p5en template needs 16, a p4d 4", async () => {
    expect(await broken("gpu-efa-wiring", (f) => f.b.set(f.urns.launchTemplate, { instanceType: "p5en.48xlarge", networkInterfaces: efaInterfaces(16) }))).toEqual([]);
    expect(await broken("gpu-efa-wiring", (f) => f.b.set(f.urns.launchTemplate, { instanceType: "p4d.24xlarge", networkInterfaces: efaInterfaces(32) }))).toEqual([
      ...Array.from({ length: 28 }, (_, i) => `gf-train-su-001: interface ${i + 5} names network card ${i + 4}, but p4d.24xlarge has cards 0-3`),
      "gf-train-su-001: 32 EFA interfaces wired, p4d.24xlarge has 4",
    ]);
  });

  it("refuses a GPU type whose card layout nobody can confirm, and one the catalog does not know", async () => {
    expect(await broken("gpu-efa-wiring", (f) => f.b.set(f.urns.launchTemplate, { instanceType: "p6e-gb200.36xlarge" }))).toEqual([
      "gf-train-su-001: p6e-gb200.36xlarge's network card layout is not confirmed, so its EFA wiring cannot be proven",
    ]);
    expect(await broken("gpu-efa-wiring", (f) => f.b.set(f.urns.launchTemplate, { instanceType: "p7.48xlarge" }))).toEqual([
      "gf-train-su-001: p7.48xlarge is not in the catalog, so its EFA cards are unknown",
    ]);
  });
});

group("required-tags", () => {
  it("counts the provider's defaultTags", async () => {
    expect(await broken("required-tags", noop)).toEqual([]);
  });

  it("refuses a taggable resource under a provider without the factory's tags, even one that sets no tags at all", async () => {
    const out = await broken("required-tags", (f) => {
      const bare = f.b.provider("aws", "bare", { region: "eu-north-1" });
      f.b.add("aws:ec2/flowLog:FlowLog", "untagged", { vpcId: "vpc-01", logDestination: arnOf("logs", "eu-north-1", "log-group:x") }, { provider: bare, dependsOn: [f.urns.logGroup] });
      f.b.add("aws:ec2/routeTableAssociation:RouteTableAssociation", "not-taggable", { subnetId: "s", routeTableId: "r" }, { provider: bare });
    });
    expect(out).toEqual(["untagged: missing tags gigafactory:factory, data-classification, cost-center (own tags and the provider's defaultTags together)"]);
  });

  it("asks a tenant's resources for the tenant tag and refuses an unknown classification", async () => {
    const out = await broken("required-tags", (f) => {
      f.b.set(f.urns.tenantRole, { tags: { "data-classification": "secret" } });
    });
    expect(out).toEqual(['gf-tenant-a-role: missing tag gigafactory:tenant (own tags and the provider\'s defaultTags together)', 'gf-tenant-a-role: data-classification is "secret"']);
  });
});

group("no-internet-security-groups", () => {
  it("accepts rules limited to the VPC and the group itself", async () => {
    expect(await broken("no-internet-security-groups", noop)).toEqual([]);
  });

  it("refuses 0.0.0.0/0, ::/0 and 0.0.0.0/0 split into halves", async () => {
    const out = await broken("no-internet-security-groups", (f) => {
      f.b.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh", { securityGroupId: "sg-1", cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22, ipProtocol: "tcp" }, { provider: f.aws });
      f.b.add("aws:ec2/securityGroup:SecurityGroup", "halves", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/8"], ipv6CidrBlocks: ["::/0"] }] }, { provider: f.aws });
      f.b.add("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "out", { securityGroupId: "sg-1", cidrIpv4: "0.0.0.0/0", ipProtocol: "-1" }, { provider: f.aws });
    });
    expect(out).toEqual([
      "ssh: the ingress rule is open to the internet (0.0.0.0/0)",
      "halves: ingress rule 0 is open to the internet (0.0.0.0/1)",
      "halves: ingress rule 0 is open to the internet (128.0.0.0/1)",
      "halves: ingress rule 0 is open to the internet (::/0)",
    ]);
  });

  it("refuses open egress only when the config asks", async () => {
    const build = (f: FactoryPlan) => f.b.add("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "out", { securityGroupId: "sg-1", cidrIpv4: "0.0.0.0/0", ipProtocol: "-1" }, { provider: f.aws });
    expect(await broken("no-internet-security-groups", build)).toEqual([]);
    expect(await broken("no-internet-security-groups", build, { "no-internet-security-groups": { checkEgress: true } })).toEqual(["out: the egress rule is open to the internet (0.0.0.0/0)"]);
  });
});

group("helm-pinned-versions", () => {
  it("accepts an exact version and a chart from the repository's own folder", async () => {
    const out = await broken("helm-pinned-versions", (f) => f.b.add("kubernetes:helm.sh/v3:Release", "local", { chart: "./charts/slurm-accounts" }, { provider: f.k8s }));
    expect(out).toEqual([]);
  });

  it("refuses a release with no version or a range", async () => {
    const out = await broken("helm-pinned-versions", (f) => {
      f.b.set(f.urns.efaPlugin, { version: undefined });
      f.b.add("kubernetes:helm.sh/v3:Release", "ranged", { chart: "oci://123456789012.dkr.ecr.eu-north-1.amazonaws.com/charts/kueue", version: "^0.14" }, { provider: f.k8s });
    });
    expect(out).toEqual([
      "gf-efa-device-plugin: chart oci://123456789012.dkr.ecr.eu-north-1.amazonaws.com/charts/aws-efa-k8s-device-plugin has no version: Helm installs the newest one",
      'ranged: chart oci://123456789012.dkr.ecr.eu-north-1.amazonaws.com/charts/kueue version "^0.14" is a range or a tag, not an exact version',
    ]);
  });
});
