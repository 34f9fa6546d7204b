import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { factorySpec } from "../../fixtures/blueprint/spec";

describe("protection per preset", () => {
  it("leaves a dev trial free to tear down: no deletion protection, no standby database", () => {
    expect(buildBlueprint(factorySpec({ preset: "dev" })).blueprint.protection).toEqual({ deletionProtection: false, highAvailability: false });
  });

  it.each(["ai-factory", "gigafactory"] as const)("guards an %s against a mistaken delete and the loss of an AZ", (preset) => {
    expect(buildBlueprint(factorySpec({ preset })).blueprint.protection).toEqual({ deletionProtection: true, highAvailability: true });
  });
});
