import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { LABEL_POOL } from "../../../core/blueprint/labels";
import { factorySpec, gigafactorySpec, pool } from "../../fixtures/blueprint/spec";

describe("the system pool", () => {
  it("of a trial is one small node per system AZ, with room to eight per AZ", () => {
    const { system } = buildBlueprint(factorySpec({ pools: { train: pool({ nodes: 2 }) } })).blueprint;
    expect(system).toMatchObject({ instanceType: "m7i.2xlarge", scaling: { minSize: 3, desiredSize: 3, maxSize: 24 }, labels: { [LABEL_POOL]: "system" } });
    expect(system.amiParameter).toBe("/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.33-v20251120/image_id");
  });

  it("of a gigafactory grows to memory-optimised nodes, two per AZ, for controllers that watch 12,500 nodes", () => {
    expect(buildBlueprint(gigafactorySpec()).blueprint.system).toMatchObject({ instanceType: "r7i.4xlarge", scaling: { minSize: 3, desiredSize: 6, maxSize: 24 } });
  });

  it("admits 110 pods per node, or what network card 0 addresses in secondary-ip mode", () => {
    expect(buildBlueprint(factorySpec()).blueprint.system.kubeletMaxPods).toBe(110);
    expect(buildBlueprint(factorySpec({ network: { podAddressing: "secondary-ip" } })).blueprint.system.kubeletMaxPods).toBe(58);
  });
});
