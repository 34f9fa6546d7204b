import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffInputs } from "../../../cli/diff/inputs";
import { segments, touches } from "../../../cli/diff/spec-changes";

describe("spec paths", () => {
  it("read back as the keys they were written from, whatever the keys hold (property)", () => {
    const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !["__proto__", "constructor", "prototype"].includes(k));
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 5 }), (keys) => {
        const nest = (leaf: number) => keys.reduceRight<unknown>((inner, k) => ({ [k]: inner }), leaf) as Record<string, unknown>;
        const [change] = diffInputs(nest(1), nest(2));
        expect(segments(change.path)).toEqual(keys);
      }),
    );
  });

  it("match a template key by key, `*` for any one, either inside the other", () => {
    expect(touches("pools.h200-a.nodes", "pools.*.nodes")).toBe(true);
    expect(touches("tenants.acme", "tenants.*.gpuQuota")).toBe(true);
    expect(touches("storage.checkpoint.seconds", "storage.checkpoint")).toBe(true);
    expect(touches("storage.datasetTB", "storage.checkpoint.seconds")).toBe(false);
    expect(touches("pools.h200-a.capacity.reservations[3]", "pools.h200-a.nodes")).toBe(false);
  });
});
