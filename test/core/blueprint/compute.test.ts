import { LNET_EFA_UNIT } from "../../../core/render/aws/lustre-efa";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planPoolUnits } from "../../../core/blueprint/units";
import { INSTANCE_TYPES, INSTANCE_TYPE_NAMES } from "../../../core/catalog/instances";
import { CPU_INSTANCE_TYPES, systemPoolSize } from "../../../core/catalog/cpu-instances";
import { amiVariant, eksAmiReleaseParameter, parseAmiRelease } from "../../../core/catalog/ami";
import { launchTemplateKey, unitCapacity, type UnitCapacity } from "../../../core/blueprint/capacity";
import { efaCount, interfaceLayout, launchTemplateInterfaces } from "../../../core/blueprint/interfaces";
import { acceleratorTaint, LABEL_POOL, LABEL_SCALABLE_UNIT, LABEL_TENANT, nodeLabels, SHARED_TENANCY } from "../../../core/blueprint/labels";
import { launchTemplateArgs } from "../../../components/compute/launch-template";
import { kubeletMaxPods, maxPodsLimit } from "../../../core/blueprint/max-pods";
import { groupNodeGroup } from "../../../core/blueprint/node-group";
import { quotaRequests } from "../../../components/foundation/quota-requests";
import type { QuotaNeed } from "../../../core/blueprint/types";
import { parseUserData, renderUserData, userDataBase64, userDataScript } from "../../../core/render/aws/user-data";
import { execFileSync } from "node:child_process";
import { maxPodsAllowed } from "../../../core/spec/validators/pools";
import type { CapacitySpec } from "../../../core/spec/schema";
import { pool as poolSpec } from "../../fixtures/blueprint/spec";

const wireable = INSTANCE_TYPE_NAMES.filter((n) => INSTANCE_TYPES[n].efaLayout !== null);
const join = { name: "gf", apiServerEndpoint: "https://ABC.gr7.eu-north-1.eks.amazonaws.com", certificateAuthority: "Q0E=", serviceCidr: "172.20.0.0/16" };

describe("the EFA interface layout", () => {
  it.each(wireable)("%s gets exactly the catalog's EFA interfaces, each on a network card of its own", (name) => {
    const type = INSTANCE_TYPES[name];
    const layout = interfaceLayout(type);
    if ("problem" in layout) throw new Error(layout.problem);
    const efa = layout.slots.filter((s) => s.interfaceType !== "interface");
    expect(efa).toHaveLength(type.efaInterfaces);
    expect(new Set(efa.map((s) => s.networkCardIndex)).size).toBe(type.efaInterfaces);
    expect(new Set(layout.slots.map((s) => `${s.networkCardIndex}/${s.deviceIndex}`)).size).toBe(layout.slots.length);
    for (const s of layout.slots) {
      expect(s.networkCardIndex).toBeLessThan(type.networkCards!);
      expect(s.deviceIndex).toBeLessThan(type.interfacesPerCard!);
    }
    const primary = layout.slots.filter((s) => s.primary);
    expect(primary).toEqual([expect.objectContaining({ networkCardIndex: 0, deviceIndex: 0 })]);
  });

  it.each(wireable.filter((n) => INSTANCE_TYPES[n].efaLayout === "efa-only-per-card"))(
    "%s follows AWS's layout: ENA primary at card 0 device 0, efa-only at card 0 device 1 and device 0 of every other card",
    (name) => {
      const layout = interfaceLayout(INSTANCE_TYPES[name]);
      if ("problem" in layout) throw new Error(layout.problem);
      expect(layout.slots[0]).toEqual({ networkCardIndex: 0, deviceIndex: 0, interfaceType: "interface", primary: true });
      expect(layout.slots[1]).toEqual({ networkCardIndex: 0, deviceIndex: 1, interfaceType: "efa-only", primary: false });
      for (const s of layout.slots.slice(2)) expect(s).toMatchObject({ deviceIndex: 0, interfaceType: "efa-only" });
    },
  );

  it("puts an efa interface on every card where the type requires it, the first being the primary", () => {
    const type = { ...INSTANCE_TYPES["p5en.48xlarge"], efaLayout: "efa-per-card" as const };
    const layout = interfaceLayout(type);
    if ("problem" in layout) throw new Error(layout.problem);
    expect(layout.slots.map((s) => s.interfaceType)).toEqual(Array(16).fill("efa"));
    expect(layout.slots.map((s) => s.networkCardIndex)).toEqual([...Array(16).keys()]);
    expect(layout.slots.filter((s) => s.primary).map((s) => s.networkCardIndex)).toEqual([0]);
  });

  it.each(INSTANCE_TYPE_NAMES.filter((n) => INSTANCE_TYPES[n].efaLayout === null))("refuses to guess the layout of %s", (name) => {
    expect(interfaceLayout(INSTANCE_TYPES[name])).toEqual({ problem: expect.stringContaining("does not know") });
  });

  it("refuses a type with more EFA interfaces than network cards", () => {
    const layout = interfaceLayout({ ...INSTANCE_TYPES["p5.48xlarge"], networkCards: 16 });
    expect(layout).toEqual({ problem: expect.stringContaining("one card would carry two") });
  });

  it("gives the primary the cluster and EFA groups and every EFA interface the EFA group only, never a public address", () => {
    const layout = interfaceLayout(INSTANCE_TYPES["p6-b200.48xlarge"]);
    if ("problem" in layout) throw new Error(layout.problem);
    const wired = launchTemplateInterfaces(layout.slots, { primary: ["sg-cluster", "sg-efa"], efa: ["sg-efa"] });
    expect(wired[0].securityGroups).toEqual(["sg-cluster", "sg-efa"]);
    for (const i of wired.slice(1)) expect(i.securityGroups).toEqual(["sg-efa"]);
    for (const i of wired) expect(i.associatePublicIpAddress).toBe("false");
    expect(efaCount(layout.slots)).toBe(8);
  });
});

describe("nodeadm user data", () => {
  const settings = { maxPods: 32, labels: { [LABEL_POOL]: "train", [LABEL_SCALABLE_UNIT]: "train-su001" }, taints: [acceleratorTaint(INSTANCE_TYPES["p5.48xlarge"])], stripeLocalNvme: true };

  it("is a MIME multi-part document with one application/node.eks.aws NodeConfig part", () => {
    const text = renderUserData(join, settings);
    expect(text).toMatch(/^MIME-Version: 1\.0\nContent-Type: multipart\/mixed; boundary="(\w+)"\n/);
    expect(text.match(/Content-Type: application\/node\.eks\.aws/g)).toHaveLength(1);
    expect(text.trimEnd().endsWith("--GIGAFACTORY--")).toBe(true);
  });

  it("joins the cluster without asking the EKS API, stripes the NVMe drives and sets max pods, labels and the GPU taint", () => {
    const config = parseUserData(userDataBase64(join, settings)) as any;
    expect(config.apiVersion).toBe("node.eks.aws/v1alpha1");
    expect(config.kind).toBe("NodeConfig");
    expect(config.spec.cluster).toEqual({ name: "gf", apiServerEndpoint: join.apiServerEndpoint, certificateAuthority: "Q0E=", cidr: "172.20.0.0/16" });
    expect(config.spec.instance).toEqual({ localStorage: { strategy: "RAID0" } });
    expect(config.spec.kubelet.config).toEqual({ maxPods: 32 });
    expect(config.spec.kubelet.flags).toEqual([
      "--node-labels=gigafactory.io/pool=train,gigafactory.io/scalable-unit=train-su001",
      "--register-with-taints=nvidia.com/gpu=true:NoSchedule",
    ]);
  });

  it("adds a boot script that installs the Lustre client, mounts the file system by fstab and leaves the NodeConfig as it was", () => {
    const lustre = { dnsName: "fs-0123456789abcdef0.fsx.eu-north-1.amazonaws.com", mountName: "abcdefgh", mountPoint: "/fsx" };
    const data = userDataBase64(join, { ...settings, lustre });
    expect(parseUserData(data)).toEqual(parseUserData(userDataBase64(join, settings)));
    expect(Buffer.from(data, "base64").toString().match(/Content-Type: text\/x-shellscript/g)).toHaveLength(1);
    const script = userDataScript(data)!;
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toContain("dnf install -y lustre-client");
    expect(script).toContain("'fs-0123456789abcdef0.fsx.eu-north-1.amazonaws.com@tcp:/abcdefgh /fsx lustre defaults,relatime,flock,_netdev,x-systemd.automount,x-systemd.requires=network-online.target,x-systemd.after=network-online.target 0 0' >> /etc/fstab");
    expect(script).not.toContain("lnetctl");
    // Written once however often the script runs: the entry is only added when fstab lacks it.
    expect(script).toMatch(/grep -qF 'fs-0123456789abcdef0\.fsx\.eu-north-1\.amazonaws\.com@tcp:\/abcdefgh' \/etc\/fstab \|\|/);
    execFileSync("bash", ["-n"], { input: script });
    expect(userDataScript(userDataBase64(join, settings))).toBeUndefined();
  });

  it("sets LNet up over EFA before every mount of a file system created with EFA, reboots included", () => {
    const lustre = { dnsName: "fs-0123456789abcdef0.fsx.eu-north-1.amazonaws.com", mountName: "abcdefgh", mountPoint: "/fsx", efa: true };
    const script = userDataScript(userDataBase64(join, { ...settings, lustre }))!;
    execFileSync("bash", ["-n"], { input: script });
    expect(script).toContain(`systemctl enable --now ${LNET_EFA_UNIT}`);
    expect(script).toContain(`x-systemd.requires=${LNET_EFA_UNIT},x-systemd.after=${LNET_EFA_UNIT}`);
    // The unit is installed before the mount is attempted.
    expect(script.indexOf(`enable --now ${LNET_EFA_UNIT}`)).toBeLessThan(script.indexOf("mount '/fsx'"));
  });

  it("leaves local storage alone on nodes without NVMe and registers untainted nodes without a taint flag", () => {
    const config = parseUserData(userDataBase64(join, { ...settings, taints: [], stripeLocalNvme: false })) as any;
    expect(config.spec.instance).toBeUndefined();
    expect(config.spec.kubelet.flags).toHaveLength(1);
  });
});

describe("labels, taints, AMIs and max pods", () => {
  it("labels a dedicated pool with its tenant and a shared one as shared, and never lets the spec's labels override the factory's", () => {
    expect(nodeLabels({ pool: "a", unit: "a-su001", tenants: ["acme"], gpuModel: "h100" })[LABEL_TENANT]).toBe("acme");
    const shared = nodeLabels({ pool: "a", tenants: ["acme", "beta"], gpuModel: "h100", extra: { [LABEL_POOL]: "evil", team: "x" } });
    expect(shared).toMatchObject({ [LABEL_TENANT]: SHARED_TENANCY, [LABEL_POOL]: "a", team: "x" });
    expect(shared[LABEL_SCALABLE_UNIT]).toBeUndefined();
  });

  it("taints NVIDIA nodes with nvidia.com/gpu and Trainium nodes with the Neuron key", () => {
    expect(acceleratorTaint(INSTANCE_TYPES["p5en.48xlarge"]).key).toBe("nvidia.com/gpu");
    expect(acceleratorTaint(INSTANCE_TYPES["trn2.48xlarge"]).key).toBe("aws.amazon.com/neuron");
  });

  it("reads the AL2023 NVIDIA AMI of the pinned release, arm64 for Grace, never the recommended one", () => {
    const gb200 = INSTANCE_TYPES["p6e-gb200.36xlarge"];
    expect(eksAmiReleaseParameter(parseAmiRelease("1.33-v20251016")!, gb200.architecture, amiVariant(gb200))).toBe(
      "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/nvidia/amazon-eks-node-al2023-arm64-nvidia-1.33-v20251016/image_id",
    );
    expect(amiVariant(INSTANCE_TYPES["trn2.48xlarge"])).toBe("neuron");
  });

  it.each(INSTANCE_TYPE_NAMES)("caps max pods on %s the same way the spec's validator does", (name) => {
    const type = INSTANCE_TYPES[name];
    for (const mode of ["prefix-delegation", "secondary-ip"] as const) expect(maxPodsLimit(type, mode)).toBe(maxPodsAllowed(type, mode));
  });

  it("keeps the pool's max pods where the CNI allows them and caps them where it does not", () => {
    expect(kubeletMaxPods(INSTANCE_TYPES["p5.48xlarge"], "prefix-delegation", 32)).toBe(32);
    expect(kubeletMaxPods(INSTANCE_TYPES["p5.48xlarge"], "secondary-ip", 200)).toBe(100);
    expect(kubeletMaxPods(CPU_INSTANCE_TYPES["m7i.2xlarge"], "secondary-ip", 110)).toBe(58);
  });

  it("sizes the system pool by the factory's GPU nodes, below 30 vCPUs", () => {
    expect(systemPoolSize(2).instanceType.name).toBe("m7i.2xlarge");
    expect(systemPoolSize(3125).instanceType.name).toBe("m7i.4xlarge");
    expect(systemPoolSize(12500)).toMatchObject({ instanceType: { name: "r7i.4xlarge" }, nodesPerAvailabilityZone: 2 });
    for (const t of Object.values(CPU_INSTANCE_TYPES)) expect(t.vcpus).toBeLessThan(30);
  });
});

const unitOf = (overrides: Partial<Parameters<typeof unitCapacity>[1]> = {}) => ({
  name: "train-su001",
  pool: "train",
  index: 1,
  nodes: 32,
  availabilityZone: "eu-north-1a",
  placementGroup: "gf-train-su001",
  reservedNodes: 0,
  capacityReservationId: null,
  capacityReservationGroupArn: null,
  subnet: "gpu-a",
  nodeGroup: "train-su001",
  firstNode: 1,
  hostnames: "train-[00001-00032]",
  launch: null,
  ...overrides,
});

describe("capacity and placement of a unit", () => {
  const capacityOf = (capacity: CapacitySpec, unit = unitOf()): UnitCapacity => {
    const r = unitCapacity({ name: "train", capacity }, unit);
    if ("problem" in r) throw new Error(r.problem);
    return r.capacity;
  };

  it("reserves a node group's instances in its placement group where the stack creates the reservation, and targets it alone", () => {
    const c = capacityOf({ source: "odcr", create: true }, unitOf({ reservedNodes: 32 }));
    expect(c).toMatchObject({
      capacityType: "ON_DEMAND",
      placementGroup: "gf-train-su001",
      reservation: { instanceCount: 32, matchCriteria: "targeted" },
      target: { kind: "own-reservation" },
      reservationPreference: "capacity-reservations-only",
    });
  });

  it("targets a delivered reservation by id, or its resource group by ARN, never falling back to on-demand and creating nothing", () => {
    const delivered: CapacitySpec = { source: "odcr", reservations: [{ reservationId: "cr-0123456789abcdef0", availabilityZoneId: "eun1-az1", instances: 32 }] };
    const byId = capacityOf(delivered, unitOf({ placementGroup: null, capacityReservationId: "cr-0123456789abcdef0" }));
    expect(byId).toEqual({ capacityType: "ON_DEMAND", placementGroup: null, reservation: null, marketType: null, target: { kind: "reservation", reservationId: "cr-0123456789abcdef0" }, reservationPreference: "capacity-reservations-only" });
    const arn = "arn:aws:resource-groups:eu-north-1:111122223333:group/h200";
    const group = capacityOf({ source: "odcr", reservations: [{ resourceGroupArn: arn, availabilityZoneId: "eun1-az1", instances: 32 }] }, unitOf({ placementGroup: null, capacityReservationGroupArn: arn }));
    expect(group).toMatchObject({ reservation: null, target: { kind: "reservation-group", resourceGroupArn: arn }, reservationPreference: "capacity-reservations-only" });
    // A placement group made now holds none of a delivered reservation's capacity; a unit past the reservations has none.
    expect(unitCapacity({ name: "train", capacity: delivered }, unitOf({ capacityReservationId: "cr-0123456789abcdef0" }))).toEqual({ problem: expect.stringContaining("placement group") });
    expect(unitCapacity({ name: "train", capacity: delivered }, unitOf({ placementGroup: null }))).toEqual({ problem: expect.stringContaining("larger than its reservations") });
  });

  it("runs a capacity block by its id with market type capacity-block and no placement group", () => {
    const c = capacityOf({ source: "capacity-block", blocks: [{ reservationId: "cr-0123456789abcdef0", instances: 32 }] }, unitOf({ placementGroup: null, capacityReservationId: "cr-0123456789abcdef0" }));
    expect(c).toEqual({ capacityType: "CAPACITY_BLOCK", placementGroup: null, reservation: null, marketType: "capacity-block", target: { kind: "capacity-block", reservationId: "cr-0123456789abcdef0" }, reservationPreference: null });
  });

  it("says so, rather than deciding silently, when a capacity block unit has a placement group or no block", () => {
    const blocks: CapacitySpec = { source: "capacity-block", blocks: [{ reservationId: "cr-0123456789abcdef0", instances: 32 }] };
    expect(unitCapacity({ name: "train", capacity: blocks }, unitOf({ capacityReservationId: "cr-0123456789abcdef0" }))).toEqual({ problem: expect.stringContaining("placement group") });
    expect(unitCapacity({ name: "train", capacity: blocks }, unitOf({ placementGroup: null }))).toEqual({ problem: expect.stringContaining("larger than its blocks") });
  });

  it("runs spot as the node group's capacity type, without a market type in the template", () => {
    expect(capacityOf({ source: "spot" }, unitOf({ placementGroup: null }))).toMatchObject({ capacityType: "SPOT", marketType: null });
  });

  it("gives node groups of their own placement group or reservation a template each and lets identical ones share one", () => {
    expect(launchTemplateKey(capacityOf({ source: "on-demand" }), "train-su001-005")).toBe("group:train-su001-005");
    expect(launchTemplateKey(capacityOf({ source: "on-demand" }, unitOf({ placementGroup: null })), "train-su001")).toBe("pool");
  });

  it("writes the launch template's capacity settings from the unit's capacity", () => {
    const layout = interfaceLayout(INSTANCE_TYPES["p5en.48xlarge"]);
    if ("problem" in layout) throw new Error(layout.problem);
    const base = { instanceType: "p5en.48xlarge", imageId: "ami-1", userData: "dQ==", interfaces: layout.slots, primarySecurityGroupIds: ["sg-c"], efaSecurityGroupIds: ["sg-e"], keyArn: "arn:key", instanceTags: {}, placementGroupName: null, ownReservationId: null, updateDefaultVersion: true };
    const block = launchTemplateArgs({ ...base, capacity: capacityOf({ source: "capacity-block", blocks: [{ reservationId: "cr-0123456789abcdef0", instances: 8 }] }, unitOf({ placementGroup: null, capacityReservationId: "cr-0123456789abcdef0" })) });
    expect(block.instanceMarketOptions).toEqual({ marketType: "capacity-block" });
    expect(block.capacityReservationSpecification).toEqual({ capacityReservationTarget: { capacityReservationId: "cr-0123456789abcdef0" } });
    expect(block.placement).toBeUndefined();
    const odcr = launchTemplateArgs({ ...base, capacity: capacityOf({ source: "odcr", create: true }, unitOf({ reservedNodes: 32 })), placementGroupName: "gf-train-su001", ownReservationId: "cr-own" });
    expect(odcr.placement).toEqual({ groupName: "gf-train-su001" });
    expect(odcr.capacityReservationSpecification).toEqual({ capacityReservationPreference: "capacity-reservations-only", capacityReservationTarget: { capacityReservationId: "cr-own" } });
    const arn = "arn:aws:resource-groups:eu-north-1:111122223333:group/h200";
    const group = launchTemplateArgs({ ...base, capacity: capacityOf({ source: "odcr", reservations: [{ resourceGroupArn: arn, availabilityZoneId: "eun1-az1", instances: 32 }] }, unitOf({ placementGroup: null, capacityReservationGroupArn: arn })) });
    expect(group.capacityReservationSpecification).toEqual({ capacityReservationPreference: "capacity-reservations-only", capacityReservationTarget: { capacityReservationResourceGroupArn: arn } });
    expect(group.placement).toBeUndefined();
    expect(group.instanceMarketOptions).toBeUndefined();
    expect(odcr.metadataOptions).toMatchObject({ httpTokens: "required" });
    expect((odcr.blockDeviceMappings as any)[0].ebs).toMatchObject({ encrypted: "true", kmsKeyId: "arn:key" });
  });
});

describe("node groups", () => {
  it("sizes a one-unit group to the unit, replaces the unit's nodes together without surge, and keeps capacity-block sizes for EKS", () => {
    const g = groupNodeGroup({ name: "train-su001", nodes: 32, largestUnitNodes: 32, launchTemplateVersion: "latest" }, "ON_DEMAND", { a: "b" }, [acceleratorTaint(INSTANCE_TYPES["p5.48xlarge"])]);
    expect(g).toMatchObject({ nodeGroupName: "train-su001", scaling: { minSize: 32, maxSize: 32, desiredSize: 32 }, updateConfig: { maxUnavailable: 32, updateStrategy: "MINIMAL" } });
    expect(g.taints).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
    const block = groupNodeGroup({ name: "train-su001", nodes: 32, largestUnitNodes: 32, launchTemplateVersion: "latest" }, "CAPACITY_BLOCK", {}, []);
    expect(block).toMatchObject({ scaling: { minSize: 0 }, desiredSizeManagedByEks: true });
  });

  it("sizes a group of several units to all of them and drains at most a unit's worth at a time", () => {
    const g = groupNodeGroup({ name: "train-su001-005", nodes: 160, largestUnitNodes: 32, launchTemplateVersion: "latest" }, "ON_DEMAND", {}, []);
    expect(g).toMatchObject({ nodeGroupName: "train-su001-005", scaling: { minSize: 160, maxSize: 160, desiredSize: 160 }, updateConfig: { maxUnavailable: 32 } });
  });

  it("holds for random pools: units cover the pool, capacity blocks never get a placement group, ODCRs reserve what the spec asks", () => {
    const capacity = fc.oneof(
      fc.constant<CapacitySpec>({ source: "on-demand" }),
      fc.constant<CapacitySpec>({ source: "spot" }),
      fc.constant<CapacitySpec>({ source: "odcr", create: true }),
      fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 4 }).map<CapacitySpec>((sizes) => ({
        source: "odcr",
        reservations: sizes.map((instances, i) => ({ reservationId: `cr-${String(i).padStart(17, "a")}`, availabilityZoneId: "eun1-az1", instances })),
      })),
      fc.array(fc.constantFrom(1, 2, 4, 8, 16, 32, 64), { minLength: 1, maxLength: 4 }).map<CapacitySpec>((sizes) => ({
        source: "capacity-block",
        blocks: sizes.map((instances, i) => ({ reservationId: `cr-${String(i).padStart(17, "0")}`, instances })),
      })),
    );
    fc.assert(
      fc.property(fc.constantFrom(...wireable), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 64 }), capacity, fc.constantFrom("cluster", "none" as const), (type, asked, unitNodes, cap, placement) => {
        const named = cap.source === "capacity-block" ? cap.blocks : cap.source === "odcr" ? cap.reservations : undefined;
        const nodes = named ? named.reduce((s, b) => s + b.instances, 0) : asked;
        const spec = poolSpec({ instanceType: type, nodes, capacity: cap, placement: named ? "none" : placement });
        const planned = planPoolUnits("gf", "train", spec, unitNodes);
        expect(planned.units.reduce((s, u) => s + u.nodes, 0)).toBe(nodes);
        let reserved = 0;
        const groups = new Set<string>();
        for (const unit of planned.units) {
          const r = unitCapacity({ name: "train", capacity: cap }, unit);
          if ("problem" in r) throw new Error(r.problem);
          const c = r.capacity;
          expect(groupNodeGroup({ name: unit.name, nodes: unit.nodes, largestUnitNodes: unit.nodes, launchTemplateVersion: "latest" }, c.capacityType, {}, []).scaling.maxSize).toBe(unit.nodes);
          if (cap.source === "capacity-block") expect(c).toMatchObject({ placementGroup: null, marketType: "capacity-block", capacityType: "CAPACITY_BLOCK" });
          if (c.placementGroup !== null) groups.add(c.placementGroup);
          reserved += c.reservation?.instanceCount ?? 0;
          if (c.reservation) expect(c.reservation.instanceCount).toBeLessThanOrEqual(unit.nodes);
          // A unit runs on one named reservation: never on none, never on-demand beside it.
          if (named) expect(c.target?.kind).toBe(cap.source === "capacity-block" ? "capacity-block" : "reservation");
          if (cap.source === "odcr") expect(c.reservationPreference).toBe("capacity-reservations-only");
        }
        if (named) {
          // Units follow the reservations: each reservation's instances are its units' nodes, in order.
          named.forEach((r, i) => expect(planned.units.filter((u) => u.capacityReservationId === `cr-${String(i).padStart(17, cap.source === "capacity-block" ? "0" : "a")}`).reduce((s, u) => s + u.nodes, 0)).toBe(r.instances));
        }
        if (planned.placement === "cluster") expect(groups.size).toBe(planned.units.length);
        if (cap.source === "odcr" && cap.create === true) expect(reserved).toBe(nodes);
        else expect(reserved).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe("service-quota requests", () => {
  const need = (key: string, needed: number, defaultValue: number, adjustable: boolean): QuotaNeed => ({
    key, serviceCode: "eks", quotaCode: `L-${key}`, name: key, needed, defaultValue, unit: "x", raise: needed > defaultValue, adjustable, ceiling: adjustable ? null : defaultValue, source: "test",
  });

  it("asks for exactly the adjustable quotas the factory needs above AWS's default, at the needed value", () => {
    const requests = quotaRequests([need("mng", 392, 30, true), need("nodes", 32, 450, true), need("pg", 600, 500, false)]);
    expect(requests).toEqual([{ key: "mng", serviceCode: "eks", quotaCode: "L-mng", value: 392 }]);
  });
});
