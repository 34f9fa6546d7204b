import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { isProvisionable, undecided } from "../../../core/blueprint/provisionable";
import { factorySpec, gigafactorySpec, pool } from "../../fixtures/blueprint/spec";

describe("a blueprint the components can map", () => {
  it("is every blueprint of a spec the design accepts: nothing left undecided", () => {
    for (const spec of [factorySpec(), gigafactorySpec()]) {
      const { blueprint } = buildBlueprint(spec);
      expect(undecided(blueprint)).toEqual([]);
      expect(isProvisionable(blueprint)).toBe(true);
    }
  });

  it("is not one that leaves a decision open, and the list says which", () => {
    const { blueprint } = buildBlueprint(
      factorySpec({ network: { vpcCidrs: ["172.20.0.0/16", "10.100.0.0/16"] }, pools: { neuron: pool({ instanceType: "trn2.48xlarge", nodes: 4 }) } }),
    );
    expect(undecided(blueprint)).toEqual(["the cluster's Service CIDR", "the network interfaces of pool neuron"]);
    expect(isProvisionable(blueprint)).toBe(false);
  });

  it("is not one whose network could not be laid out: no unit has a subnet, nor the file system", () => {
    const { blueprint } = buildBlueprint(factorySpec({ network: { vpcCidrs: ["10.0.0.0/24"] } }));
    expect(undecided(blueprint)).toContain("the Lustre file system's subnet");
    expect(undecided(blueprint)).toContain(`the subnet of unit ${blueprint.units[0].name}`);
  });
});
