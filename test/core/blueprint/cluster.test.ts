import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { SYSTEM_MAX_NODES_PER_AZ } from "../../../core/blueprint/system";
import { undecided } from "../../../core/blueprint/provisionable";
import { validateServiceCidr } from "../../../core/checks/kubernetes";
import { factorySpec, gigafactorySpec, pool } from "../../fixtures/blueprint/spec";

// The control plane's sizing, decided in the blueprint: the Services' range every node's NodeConfig names, and the
// tier for the nodes the cluster holds at full size.

describe("the cluster's Service CIDR", () => {
  it("is EKS's 172.20.0.0/16 when the VPC leaves it free", () => {
    expect(buildBlueprint(factorySpec({ network: { vpcCidrs: ["10.0.0.0/16"] } })).blueprint.cluster.serviceCidr).toBe("172.20.0.0/16");
  });

  it("is EKS's other range, 10.100.0.0/16, when the VPC takes 172.16.0.0/12", () => {
    expect(buildBlueprint(factorySpec({ network: { vpcCidrs: ["172.16.0.0/16", "172.20.0.0/16"] } })).blueprint.cluster.serviceCidr).toBe("10.100.0.0/16");
  });

  it("is left open when the VPC overlaps both, which the design's Kubernetes check reports at network.vpcCidrs", () => {
    const spec = factorySpec({ network: { vpcCidrs: ["172.20.0.0/16", "10.100.0.0/16"] } });
    const { blueprint } = buildBlueprint(spec);
    expect(blueprint.cluster.serviceCidr).toBeNull();
    expect(undecided(blueprint)).toContain("the cluster's Service CIDR");
    expect(validateServiceCidr(spec)).toEqual([expect.objectContaining({ path: "gigafactory:factory.network.vpcCidrs", level: "error", message: expect.stringContaining("172.20.0.0/16 and 10.100.0.0/16") })]);
  });
});

describe("the control-plane tier", () => {
  it("counts the system nodes with the GPU nodes: a two-node trial on standard, a gigafactory on tier-8xl", () => {
    const dev = buildBlueprint(factorySpec({ pools: { train: pool({ nodes: 2 }) } })).blueprint;
    expect(dev.cluster.nodes).toBe(2 + 3 * SYSTEM_MAX_NODES_PER_AZ);
    expect(dev.cluster.controlPlaneTier).toBe("standard");
    const giga = buildBlueprint(gigafactorySpec()).blueprint;
    expect(giga.cluster.nodes).toBe(12_500 + giga.system.maxNodes);
    expect(giga.cluster.controlPlaneTier).toBe("tier-8xl");
  });

  it("moves up a tier when the system nodes tip the count over a tier's bound", () => {
    // 226 GPU nodes and 24 system nodes are 250, standard's bound; one more GPU node needs tier-xl.
    expect(buildBlueprint(factorySpec({ pools: { train: pool({ nodes: 226 }) } })).blueprint.cluster.controlPlaneTier).toBe("standard");
    expect(buildBlueprint(factorySpec({ pools: { train: pool({ nodes: 227 }) } })).blueprint.cluster.controlPlaneTier).toBe("tier-xl");
  });
});
