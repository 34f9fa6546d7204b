import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { error, info, warning } from "../../../core/spec/findings";
import { formatFinding, hasErrors } from "../../../core/spec/format";
import { specPath } from "../../../core/spec/paths";

describe("findings", () => {
  it("carry their level with the path, message and hint as given", () => {
    const path = specPath("pools", "train", "nodes");
    expect(error(path, "too many nodes", "use fewer")).toEqual({ path, level: "error", message: "too many nodes", hint: "use fewer" });
    expect(warning(path, "m", "h").level).toBe("warning");
    expect(info(path, "m", "h").level).toBe("info");
  });

  it("keep the key order a plan's JSON writes: path, level, message, hint (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(error, warning, info), fc.string(), fc.string(), fc.string(), (make, path, message, hint) => {
        const f = make(path, message, hint);
        expect(Object.keys(f)).toEqual(["path", "level", "message", "hint"]);
        expect([f.path, f.message, f.hint]).toEqual([path, message, hint]);
      }),
    );
  });

  it("read on a terminal as level, path, what is wrong and what to do; only an error stops the flow", () => {
    const e = error(specPath("network", "vpcCidrs", 0), "10.0.0.5/16 has host bits set", "write 10.0.0.0/16");
    expect(formatFinding(e, "stacks/Pulumi.dev.yaml:7:9")).toBe(
      "error gigafactory:factory.network.vpcCidrs[0]: 10.0.0.5/16 has host bits set — write 10.0.0.0/16 (stacks/Pulumi.dev.yaml:7:9)",
    );
    expect(formatFinding(info("aws:region", "m", ""))).toBe("info aws:region: m");
    expect(hasErrors([warning("p", "m", "h"), info("p", "m", "h")])).toBe(false);
    expect(hasErrors([warning("p", "m", "h"), e])).toBe(true);
  });
});
