import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { POD_IDENTITY_CONTROLLERS } from "../../../core/blueprint/quotas";
import { systemPoolSize } from "../../../core/catalog/cpu-instances";
import { VPC_INTERFACE_ENDPOINTS } from "../../../core/catalog/endpoints";
import type { QuotaNeed } from "../../../core/blueprint/types";
import { factorySpec, gigafactorySpec, pool, slash16s, tenant } from "../../fixtures/blueprint/spec";

const quota = (quotas: QuotaNeed[], key: string) => quotas.find((q) => q.key === key);

describe("service quotas of a gigafactory", () => {
  const { blueprint } = buildBlueprint(gigafactorySpec());

  it("needs a managed node group per group of units and the system group: a raise from 30, within the hard 100", () => {
    const needed = blueprint.nodeGroups.length + 1;
    expect(needed).toBeLessThanOrEqual(100);
    expect(quota(blueprint.quotas, "eks.managed-node-groups-per-cluster")).toMatchObject({ needed, defaultValue: 30, raise: true, ceiling: 100 });
    expect(quota(blueprint.quotas, "autoscaling.groups-per-region")).toMatchObject({ needed, raise: false });
  });

  it("counts the system pool's general-purpose vCPUs against the standard on-demand quota", () => {
    const system = systemPoolSize(blueprint.nodes).instanceType;
    expect(quota(blueprint.quotas, "ec2.on-demand-standard-vcpus")).toMatchObject({
      needed: blueprint.system.maxNodes * system.vcpus,
      defaultValue: 5,
      quotaCode: "L-1216C47A",
      raise: true,
    });
  });

  it("needs 17 network interfaces per p5en node (ENA primary + 16 EFA-only), plus system nodes and endpoints", () => {
    const systemNodes = blueprint.system.maxNodes;
    const endpoints = VPC_INTERFACE_ENDPOINTS.length * blueprint.system.availabilityZones.length;
    expect(quota(blueprint.quotas, "vpc.network-interfaces")).toMatchObject({ needed: 12_500 * 17 + systemNodes + endpoints, raise: true });
  });

  it("needs the vCPUs of every on-demand P node", () => {
    expect(quota(blueprint.quotas, "ec2.on-demand-p-vcpus")?.needed).toBe(12_500 * 192);
    expect(quota(blueprint.quotas, "ec2.spot-p-vcpus")).toBeUndefined();
  });

  it("counts one placement group per node group, within the hard limit of 500", () => {
    expect(quota(blueprint.quotas, "ec2.placement-groups")).toMatchObject({ needed: blueprint.nodeGroups.length, raise: false, adjustable: false, ceiling: 500 });
  });

  it("counts its VPC CIDR blocks, subnets and interface endpoints", () => {
    expect(quota(blueprint.quotas, "vpc.ipv4-cidr-blocks-per-vpc")).toMatchObject({ needed: 16, defaultValue: 5, raise: true });
    expect(quota(blueprint.quotas, "vpc.subnets-per-vpc")?.needed).toBe(blueprint.network.subnets.length);
    expect(quota(blueprint.quotas, "vpc.interface-endpoints-per-vpc")?.needed).toBe(15);
  });

  it("sizes the largest node group by its units, within the hard 450", () => {
    expect(quota(blueprint.quotas, "eks.nodes-per-managed-node-group")).toMatchObject({ needed: 448, raise: false, adjustable: false });
  });

  it("counts a Pod Identity association per controller and per tenant", () => {
    expect(quota(blueprint.quotas, "eks.pod-identity-associations")?.needed).toBe(POD_IDENTITY_CONTROLLERS.length + 3);
  });
});

describe("hard limits", () => {
  it("keep 782 units of 16 nodes within both the node groups' and the placement groups' limits by sharing groups", () => {
    const { blueprint, findings } = buildBlueprint(gigafactorySpec({ scalableUnit: { nodes: 16 }, network: { vpcCidrs: slash16s(16) } }));
    expect(blueprint.units).toHaveLength(782);
    expect(quota(blueprint.quotas, "ec2.placement-groups")?.needed).toBe(blueprint.nodeGroups.length);
    expect(quota(blueprint.quotas, "eks.managed-node-groups-per-cluster")!.needed).toBeLessThanOrEqual(100);
    expect(findings.filter((f) => f.level === "error")).toEqual([]);
  });

  it("count no placement group for capacity blocks, and refuse more than 256 instances across blocks", () => {
    const blocks = Array.from({ length: 5 }, (_, i) => ({ reservationId: `cr-${String(i).padStart(17, "0")}`, instances: 64 }));
    const spec = factorySpec({ pools: { burst: pool({ nodes: 320, capacity: { source: "capacity-block", blocks }, placement: "none" }) }, network: { vpcCidrs: slash16s(2) } });
    const { blueprint, findings } = buildBlueprint(spec);
    expect(quota(blueprint.quotas, "ec2.placement-groups")).toBeUndefined();
    expect(quota(blueprint.quotas, "ec2.capacity-block-instances")).toMatchObject({ needed: 320, defaultValue: 256 });
    expect(findings).toContainEqual(expect.objectContaining({ level: "error", path: "gigafactory:factory.pools.burst.capacity.blocks" }));
  });

  it("refuse more tenants than Pod Identity associations allow", () => {
    const tenants = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`t${i}`, tenant({ gpuQuota: 0 })]));
    const { findings } = buildBlueprint(factorySpec({ tenants }));
    const error = findings.find((f) => f.path === "gigafactory:factory.tenants" && f.level === "error");
    expect(error?.hint).toMatch(`at most ${1000 - POD_IDENTITY_CONTROLLERS.length} tenants`);
  });
});

describe("capacity sources", () => {
  it("count spot P vCPUs against the spot quota, not the on-demand one", () => {
    const { blueprint } = buildBlueprint(factorySpec({ pools: { cheap: pool({ nodes: 10, capacity: { source: "spot" }, placement: "none" }) } }));
    expect(quota(blueprint.quotas, "ec2.spot-p-vcpus")?.needed).toBe(1920);
    expect(quota(blueprint.quotas, "ec2.on-demand-p-vcpus")).toBeUndefined();
  });

  it("count capacity-block vCPUs against the on-demand quota, the safe side of an unconfirmed rule", () => {
    const blocks = [{ reservationId: "cr-0123456789abcdef0", instances: 16 }];
    const { blueprint } = buildBlueprint(factorySpec({ pools: { burst: pool({ nodes: 16, capacity: { source: "capacity-block", blocks }, placement: "none" }) } }));
    expect(quota(blueprint.quotas, "ec2.on-demand-p-vcpus")?.needed).toBe(16 * 192);
  });

  it("count 33 interfaces on a p5 node: an ENA primary and 32 EFA-only", () => {
    const { blueprint } = buildBlueprint(factorySpec({ pools: { train: pool({ instanceType: "p5.48xlarge", nodes: 10 }) } }));
    const fixed = blueprint.system.maxNodes + VPC_INTERFACE_ENDPOINTS.length * 3;
    expect(quota(blueprint.quotas, "vpc.network-interfaces")?.needed).toBe(10 * 33 + fixed);
  });
});
