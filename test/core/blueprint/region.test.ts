import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { dnsSuffixOf } from "../../../core/blueprint/region";
import { factorySpec, pool } from "../../fixtures/blueprint/spec";

describe("the factory's DNS suffix", () => {
  it("is amazonaws.com in an EU region of the commercial partition", () => {
    expect(buildBlueprint(factorySpec({ region: "eu-north-1" })).blueprint.dnsSuffix).toBe("amazonaws.com");
  });

  it("is amazonaws.eu in the European Sovereign Cloud, where service principals and endpoints end in it", () => {
    const spec = factorySpec({
      region: "eusc-de-east-1",
      pools: { train: pool({ availabilityZone: "eusc-de-east-1a" }) },
      network: { systemAvailabilityZones: ["eusc-de-east-1a", "eusc-de-east-1b"] },
    });
    expect(buildBlueprint(spec).blueprint).toMatchObject({ partition: "aws-eusc", dnsSuffix: "amazonaws.eu" });
  });

  it("follows the partition for a sovereign region the catalog does not list yet", () => {
    expect(dnsSuffixOf("eusc-fr-south-1")).toBe("amazonaws.eu");
  });
});
