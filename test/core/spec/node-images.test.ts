import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AMI_RELEASE, parseAmiRelease } from "../../../core/catalog/ami";
import { aiFactoryDoc, at, errorsOf, validate } from "../../fixtures/spec/specs";

// The node image a spec pins and the rollout of a pool: each bad value is an error at its YAML path, saying what to do.

const POOL = "gigafactory:factory.pools.train";

describe("a pinned node image", () => {
  it("defaults to the preset's release and is taken as the pool names it", () => {
    expect(validate(aiFactoryDoc()).spec!.pools.train.image).toEqual({ release: "1.33-v20251120" });
    const doc = aiFactoryDoc();
    doc.pools.train.image = { release: "1.33-v20251209" };
    expect(validate(doc).spec!.pools.train.image).toEqual({ release: "1.33-v20251209" });
    doc.kubernetes = { image: { release: "1.33-v20251203" } };
    delete doc.pools.train.image;
    expect(validate(doc).spec!.pools.train.image).toEqual({ release: "1.33-v20251203" });
  });

  it("that is no release is an error at the pool's image.release with an example", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.image = { release: "latest" };
    const [f] = at(validate(doc), `${POOL}.image.release`);
    expect(f).toMatchObject({ level: "error", message: '"latest" is no EKS-optimized AMI release' });
    expect(f.hint).toContain("e.g. 1.33-v20251120");
  });

  it("newer than the control plane, or more than three minors behind, is an error; behind within three a warning", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.image = { release: "1.34-v20251016" };
    expect(at(validate(doc), `${POOL}.image.release`)[0]).toMatchObject({ level: "error", message: expect.stringContaining("newer than the control plane's 1.33") });
    doc.kubernetes = { version: "1.35", image: { release: "1.35-v20260505" } };
    doc.pools.train.image = { release: "1.31-v20251016" };
    expect(at(validate(doc), `${POOL}.image.release`)[0]).toMatchObject({ level: "error", message: expect.stringContaining("4 minors behind") });
    doc.pools.train.image = { release: "1.33-v20251120" };
    const v = validate(doc);
    expect(errorsOf(v)).toEqual([]);
    expect(at(v, `${POOL}.image.release`)[0]).toMatchObject({ level: "warning" });
  });

  it("whose NVIDIA AMIs carry a driver older than the slurmd image's CUDA needs is an error at the field that pins it", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.image = { release: "1.33-v20251016" };
    const [f] = at(validate(doc), `${POOL}.image.release`);
    expect(f).toMatchObject({ level: "error", message: "the NVIDIA AMIs of 1.33-v20251016 carry a driver older than the 580 branch, and the slurmd image's CUDA 13.0 needs it: every GPU job of pool train would fail" });
    expect(f.hint).toContain("pin 1.33-v20251029 or a later release");
    // The first release of the minor with the 580 branch passes; so does any release from v20251120.
    doc.pools.train.image = { release: "1.33-v20251029" };
    expect(errorsOf(validate(doc))).toEqual([]);
    // Inherited from kubernetes.image: one error there, not one per pool.
    delete doc.pools.train.image;
    doc.kubernetes = { image: { release: "1.33-v20250915" } };
    expect(at(validate(doc), "gigafactory:factory.kubernetes.image.release")).toEqual([expect.objectContaining({ level: "error", hint: expect.stringContaining("pin 1.33-v20251029") })]);
  });

  it("parses only <minor>-v<8 digits>, whatever else is written", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        const parsed = parseAmiRelease(text);
        expect(parsed === undefined).toBe(!AMI_RELEASE.test(text));
        if (parsed) expect(`${parsed.kubernetesVersion}-${parsed.tag}`).toBe(text);
      }),
    );
  });
});

describe("a pool's rollout", () => {
  it("takes units or a percentage, not both; maxUnavailable within EKS's 100", () => {
    const doc = aiFactoryDoc();
    doc.pools.train.rollout = { waveUnits: 1, wavePercent: 10 };
    expect(at(validate(doc), `${POOL}.rollout`)[0]).toMatchObject({ level: "error", hint: expect.stringContaining("keep one") });
    doc.pools.train.rollout = { maxUnavailable: 101 };
    expect(at(validate(doc), `${POOL}.rollout.maxUnavailable`)[0]).toMatchObject({ level: "error", hint: "set it to at most 100" });
  });

});
