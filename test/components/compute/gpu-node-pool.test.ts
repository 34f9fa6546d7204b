import { beforeAll, describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { isProvisionable, type ProvisionableBlueprint } from "../../../core/blueprint/provisionable";
import { POD_IDENTITY_CONTROLLERS } from "../../../core/blueprint/quotas";
import { INSTANCE_TYPES, INSTANCE_TYPE_NAMES } from "../../../core/catalog/instances";
import { parseUserData } from "../../../core/render/aws/user-data";
import { validateUnitPlacement } from "../../../core/checks/compute";
import { pool, factorySpec, tenant } from "../../fixtures/blueprint/spec";
import { eksComputedOutputs } from "../../fixtures/compute/eks-outputs";
import { installRecordingMocks, settle, type Recorder, type Registered } from "../../support/recording-mocks";

// Every wireable catalog type as a pool of its own, plus one pool per capacity source, planned by the real
// blueprint and declared by the real components on recording mocks.
const wireable = INSTANCE_TYPE_NAMES.filter((n) => INSTANCE_TYPES[n].efaLayout !== null);
const poolName = (type: string) => type.replace(/\..*$/, "").replace(/[^a-z0-9]/g, "");
const spec = factorySpec({
  scalableUnit: { nodes: 2 },
  tenants: { acme: tenant({ gpuQuota: 32, pools: ["spot"] }) },
  pools: {
    ...Object.fromEntries(wireable.map((t) => [poolName(t), pool({ labels: { team: "research" }, instanceType: t, nodes: 4, capacity: { source: "on-demand" }, placement: "cluster" })])),
    reserved: pool({ labels: { team: "research" }, instanceType: "p5en.48xlarge", nodes: 5, capacity: { source: "odcr", create: true }, placement: "cluster" }),
    delivered: pool({
      labels: { team: "research" },
      instanceType: "p5en.48xlarge",
      nodes: 6,
      availabilityZone: "eun1-az2",
      capacity: {
        source: "odcr",
        reservations: [
          { reservationId: "cr-0a1b2c3d4e5f60718", availabilityZoneId: "eun1-az2", instances: 2 },
          { resourceGroupArn: "arn:aws:resource-groups:eu-north-1:111122223333:group/gf-delivered", availabilityZoneId: "eun1-az2", instances: 4 },
        ],
      },
      placement: "none",
    }),
    block: pool({ labels: { team: "research" }, instanceType: "p5.48xlarge", nodes: 8, capacity: { source: "capacity-block", blocks: [{ reservationId: "cr-0123456789abcdef0", instances: 4 }, { reservationId: "cr-0123456789abcdef1", instances: 4 }] }, placement: "none" }),
    spot: pool({ labels: { team: "research" }, instanceType: "p4d.24xlarge", nodes: 4, capacity: { source: "spot" }, placement: "none" }),
  },
});

let rec: Recorder;
let blueprint: ProvisionableBlueprint;
const lts = () => rec.ofType("aws:ec2/launchTemplate:LaunchTemplate");
const ngs = () => rec.ofType("aws:eks/nodeGroup:NodeGroup");
const userData = (lt: Registered) => parseUserData(lt.inputs.userData) as any;

beforeAll(async () => {
  rec = installRecordingMocks("eu-north-1", eksComputedOutputs);
  const built = buildBlueprint(spec).blueprint;
  if (!isProvisionable(built)) throw new Error("the fixture's blueprint leaves decisions open");
  blueprint = built;
  const { FactoryCluster } = await import("../../../components/compute/cluster");
  const { GpuNodePool, SystemNodePool } = { ...(await import("../../../components/compute/gpu-node-pool")), ...(await import("../../../components/compute/system-pool")) };
  const cluster = new FactoryCluster("gf", {
    clusterName: "gf",
    region: "eu-north-1",
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    kubernetesVersion: "1.33",
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    keyArn: "arn:aws:kms:eu-north-1:123456789012:key/k",
    logRetentionDays: 365,
    plan: blueprint.cluster,
    podAddressing: "prefix-delegation",
    controllers: POD_IDENTITY_CONTROLLERS,
    deletionProtection: true,
  });
  const subnetIds = Object.fromEntries(blueprint.network.subnets.map((s) => [s.name, `${s.name}-id`]));
  for (const p of blueprint.pools) {
    new GpuNodePool(`gf-${p.name}`, {
      pool: p,
      units: blueprint.units.filter((u) => u.pool === p.name),
      clusterName: cluster.clusterName,
      join: cluster.join,
      clusterSecurityGroupId: cluster.clusterSecurityGroupId,
      nodeRoleArn: cluster.nodeRole.arn,
      efaSecurityGroupId: "sg-efa",
      subnetIds,
      keyArn: "arn:aws:kms:eu-north-1:123456789012:key/k",
      tags: { "gigafactory:pool": p.name },
      instanceTags: { "gigafactory:factory": "gf", "gigafactory:pool": p.name },
      nodesDependOn: cluster.nodeAddons,
    });
  }
  const system = new SystemNodePool("gf-system", {
    plan: blueprint.system,
    clusterName: cluster.clusterName,
    join: cluster.join,
    clusterSecurityGroupId: cluster.clusterSecurityGroupId,
    nodeRoleArn: cluster.nodeRole.arn,
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    keyArn: "arn:aws:kms:eu-north-1:123456789012:key/k",
    tags: { "gigafactory:pool": "system" },
    instanceTags: { "gigafactory:factory": "gf", "gigafactory:pool": "system" },
    nodesDependOn: cluster.nodeAddons,
  });
  cluster.addSystemAddons([system]);
  const { declareQuotaRequests } = await import("../../../components/foundation/quota-requests");
  declareQuotaRequests("gf", blueprint.quotas, {});
  await settle();
});

describe("GPU launch templates", () => {
  it.each(wireable)("wire exactly the catalog's EFA interfaces for %s, each on its own network card", (type) => {
    const templates = lts().filter((lt) => lt.inputs.instanceType === type && lt.name.startsWith(`gf-${poolName(type)}-`));
    expect(templates.length).toBeGreaterThan(0);
    for (const lt of templates) {
      const efa = lt.inputs.networkInterfaces.filter((i: any) => i.interfaceType === "efa" || i.interfaceType === "efa-only");
      expect(efa).toHaveLength(INSTANCE_TYPES[type].efaInterfaces);
      expect(new Set(efa.map((i: any) => i.networkCardIndex)).size).toBe(efa.length);
    }
  });

  it("require IMDSv2, give no interface a public address and encrypt the root volume with the factory's key", () => {
    for (const lt of lts()) {
      expect(lt.inputs.metadataOptions.httpTokens).toBe("required");
      for (const i of lt.inputs.networkInterfaces) expect(i.associatePublicIpAddress).toBe("false");
      expect(lt.inputs.blockDeviceMappings[0].ebs).toMatchObject({ encrypted: "true", kmsKeyId: "arn:aws:kms:eu-north-1:123456789012:key/k" });
    }
  });

  it("put the EFA group on every GPU interface and the cluster group on the primary", () => {
    for (const lt of lts().filter((l) => !l.name.startsWith("gf-system"))) {
      const [primary, ...rest] = lt.inputs.networkInterfaces;
      expect(primary.securityGroups).toEqual(["sg-cluster", "sg-efa"]);
      for (const i of rest) expect(i.securityGroups).toEqual(["sg-efa"]);
    }
  });

  it("boot the AL2023 NVIDIA AMI of the cluster's version and join the cluster through nodeadm", () => {
    const lt = rec.one("aws:ec2/launchTemplate:LaunchTemplate", "gf-p5-lt-su001");
    expect(lt.inputs.imageId).toBe("ami-0123456789abcdef0");
    const config = userData(lt);
    expect(config.spec.cluster).toMatchObject({ name: "gf", apiServerEndpoint: "https://GF-EKS.gr7.eu-north-1.eks.amazonaws.com", cidr: "172.20.0.0/16" });
    expect(config.spec.kubelet.config.maxPods).toBe(32);
    expect(config.spec.kubelet.flags).toContain("--register-with-taints=nvidia.com/gpu=true:NoSchedule");
    expect(config.spec.kubelet.flags[0]).toContain("gigafactory.io/scalable-unit=p5-su001");
    expect(config.spec.instance.localStorage.strategy).toBe("RAID0");
  });
});

describe("placement and capacity", () => {
  it("gives every clustered unit its own placement group, in its template, named as the blueprint says", () => {
    const clustered = blueprint.units.filter((u) => u.placementGroup !== null);
    const groups = rec.ofType("aws:ec2/placementGroup:PlacementGroup");
    expect(groups.map((g) => g.inputs.name).sort()).toEqual(clustered.map((u) => u.placementGroup).sort());
    for (const g of groups) expect(g.inputs.strategy).toBe("cluster");
    expect(rec.one("aws:ec2/launchTemplate:LaunchTemplate", "gf-p5-lt-su002").inputs.placement).toEqual({ groupName: "gf-p5-su002" });
  });

  it("creates ODCRs inside the node groups' placement groups only where the pool asks the stack to, and targets each alone", () => {
    const odcrs = rec.ofType("aws:ec2/capacityReservation:CapacityReservation");
    expect(odcrs.map((o) => [o.name, o.inputs.instanceCount, o.inputs.instanceMatchCriteria])).toEqual([
      ["gf-reserved-su001-odcr", 2, "targeted"],
      ["gf-reserved-su002-odcr", 2, "targeted"],
      ["gf-reserved-su003-odcr", 1, "targeted"],
    ]);
    for (const o of odcrs) expect(o.inputs.placementGroupArn).toBe(`arn:aws:ec2/placementGroup:eu-north-1:123456789012:${o.name.replace(/-odcr$/, "-pg")}`);
    expect(rec.one("aws:ec2/launchTemplate:LaunchTemplate", "gf-reserved-lt-su001").inputs.capacityReservationSpecification).toEqual({
      capacityReservationPreference: "capacity-reservations-only",
      capacityReservationTarget: { capacityReservationId: "gf-reserved-su001-odcr-id" },
    });
  });

  it("adopts delivered reservations: no reservation or placement group made, one template per reservation or group, subnets by AZ ID", () => {
    const templates = lts().filter((l) => l.name.startsWith("gf-delivered-"));
    expect(templates.map((t) => [t.name, t.inputs.capacityReservationSpecification])).toEqual([
      ["gf-delivered-lt-cr-0a1b2c3d4e5f60718", { capacityReservationPreference: "capacity-reservations-only", capacityReservationTarget: { capacityReservationId: "cr-0a1b2c3d4e5f60718" } }],
      [
        "gf-delivered-lt-rg-gf-delivered",
        { capacityReservationPreference: "capacity-reservations-only", capacityReservationTarget: { capacityReservationResourceGroupArn: "arn:aws:resource-groups:eu-north-1:111122223333:group/gf-delivered" } },
      ],
    ]);
    for (const t of templates) expect(t.inputs.placement).toBeUndefined();
    expect(rec.ofType("aws:ec2/placementGroup:PlacementGroup").filter((g) => g.name.startsWith("gf-delivered-"))).toEqual([]);
    expect(rec.ofType("aws:ec2/capacityReservation:CapacityReservation").filter((g) => g.name.startsWith("gf-delivered-"))).toEqual([]);
    const groups = ngs().filter((g) => g.name.startsWith("gf-delivered-"));
    for (const g of groups) expect(g.inputs.capacityType).toBe("ON_DEMAND");
    // A group never straddles two reservations: the first unit's group runs on the id, the others on the group.
    expect(blueprint.units.filter((u) => u.pool === "delivered").map((u) => [u.nodeGroup, u.capacityReservationId ?? u.capacityReservationGroupArn?.split("/")[1]])).toEqual([
      ["delivered-su001", "cr-0a1b2c3d4e5f60718"],
      ["delivered-su002", "gf-delivered"],
      ["delivered-su003", "gf-delivered"],
    ]);
  });

  it("runs capacity blocks by id with market type capacity-block, one template per block and no placement group", () => {
    const blocks = lts().filter((l) => l.name.startsWith("gf-block-"));
    expect(blocks.map((b) => b.name).sort()).toEqual(["gf-block-lt-cr-0123456789abcdef0", "gf-block-lt-cr-0123456789abcdef1"]);
    for (const b of blocks) {
      expect(b.inputs.instanceMarketOptions).toEqual({ marketType: "capacity-block" });
      expect(b.inputs.placement).toBeUndefined();
    }
    const groups = ngs().filter((g) => g.name.startsWith("gf-block-"));
    expect(groups).toHaveLength(4);
    for (const g of groups) expect(g.inputs.capacityType).toBe("CAPACITY_BLOCK");
  });

  it("shares one template among identical spot units and carries the unit label in their node groups", () => {
    expect(lts().filter((l) => l.name.startsWith("gf-spot-")).map((l) => l.name)).toEqual(["gf-spot-lt"]);
    const config = userData(rec.one("aws:ec2/launchTemplate:LaunchTemplate", "gf-spot-lt"));
    expect(config.spec.kubelet.flags[0]).not.toContain("scalable-unit");
    expect(config.spec.kubelet.flags[0]).toContain("gigafactory.io/tenant=acme");
    const groups = ngs().filter((g) => g.name.startsWith("gf-spot-"));
    expect(groups.map((g) => g.inputs.labels["gigafactory.io/scalable-unit"])).toEqual(["spot-su001", "spot-su002"]);
    for (const g of groups) expect(g.inputs.capacityType).toBe("SPOT");
  });
});

describe("node groups", () => {
  it("match the blueprint's units one to one, in the unit's subnet, sized to the unit", () => {
    const gpu = ngs().filter((g) => g.inputs.nodeGroupName !== "system");
    expect(gpu.map((g) => g.inputs.nodeGroupName).sort()).toEqual(blueprint.units.map((u) => u.name).sort());
    for (const g of gpu) {
      const unit = blueprint.units.find((u) => u.name === g.inputs.nodeGroupName)!;
      expect(g.inputs.subnetIds).toEqual([`${unit.subnet}-id`]);
      expect(g.inputs.scalingConfig.maxSize).toBe(unit.nodes);
      expect(g.inputs.updateConfig).toEqual({ maxUnavailable: unit.nodes, updateStrategy: "MINIMAL" });
      expect(g.inputs.nodeRepairConfig).toEqual({ enabled: true });
      expect(g.inputs.taints).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
      expect(g.inputs.labels).toMatchObject({ "gigafactory.io/pool": unit.pool, "gigafactory.io/scalable-unit": unit.name, team: "research" });
    }
  });

  it("spread the system pool over the system subnets, tainted for the platform's pods, on a CPU type", () => {
    const system = rec.one("aws:eks/nodeGroup:NodeGroup", "gf-system-ng");
    expect(system.inputs.subnetIds).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
    expect(system.inputs.taints).toEqual([{ key: "gigafactory.io/system", value: "true", effect: "NO_SCHEDULE" }]);
    expect(system.inputs.scalingConfig).toEqual({ minSize: 3, desiredSize: 3, maxSize: blueprint.system.maxNodes });
    const lt = rec.one("aws:ec2/launchTemplate:LaunchTemplate", "gf-system-lt");
    expect(lt.inputs.instanceType).toBe("m7i.2xlarge");
    expect(lt.inputs.networkInterfaces).toEqual([expect.objectContaining({ securityGroups: ["sg-cluster"], associatePublicIpAddress: "false" })]);
  });

  it("look the AMI up once per pool, never once per unit", () => {
    expect(rec.unmockedCalls).toEqual([]);
    expect(rec.ofType("aws:eks/nodeGroup:NodeGroup").length).toBeGreaterThan(blueprint.pools.length + 1);
  });

  it("tag every resource and every instance with its pool", () => {
    const types = ["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/placementGroup:PlacementGroup", "aws:ec2/capacityReservation:CapacityReservation", "aws:eks/nodeGroup:NodeGroup"];
    for (const r of types.flatMap((t) => rec.ofType(t))) expect(r.inputs.tags["gigafactory:pool"]).toBeTruthy();
    for (const lt of lts()) {
      expect(lt.inputs.tagSpecifications.map((t: any) => t.resourceType)).toEqual(["instance", "volume", "network-interface"]);
      for (const t of lt.inputs.tagSpecifications) expect(t.tags).toMatchObject({ "gigafactory:factory": "gf", "gigafactory:pool": lt.inputs.tags["gigafactory:pool"] });
    }
  });

  it("requests every adjustable quota the blueprint finds short, and nothing else", () => {
    const requested = rec.ofType("aws:servicequotas/serviceQuota:ServiceQuota");
    const short = blueprint.quotas.filter((q) => q.raise && q.adjustable);
    expect(short.length).toBeGreaterThan(0);
    expect(requested.map((r) => [r.inputs.quotaCode, r.inputs.value])).toEqual(short.map((q) => [q.quotaCode, q.needed]));
  });

  it("is a plan the unit validator accepts", () => {
    expect(validateUnitPlacement(blueprint)).toEqual([]);
  });
});
