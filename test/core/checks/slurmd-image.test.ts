import { describe, expect, it } from "vitest";
import { slurmdImageFindings } from "../../../core/checks/slurmd-image";
import { formatFinding } from "../../../core/spec/format";
import { slurmBlueprint } from "../../fixtures/slurm/blueprint";

// The slurmd image is built for one architecture: a Slurm pool of another is named with what to do.

describe("the slurmd image's architecture against the Slurm pools", () => {
  it("says nothing of x86_64 GPU pools", () => {
    const blueprint = slurmBlueprint({ factory: "gf-x86", pools: [{ name: "train", instanceType: "p5en.48xlarge", nodes: 32 }, { name: "tune", instanceType: "p5.48xlarge", nodes: 8 }] });
    expect(slurmdImageFindings(blueprint)).toEqual([]);
  });

  it("warns at the pool's instance type when Grace (arm64) nodes would get an image they cannot run", () => {
    const blueprint = slurmBlueprint({ factory: "gf-grace", pools: [{ name: "train", instanceType: "p5en.48xlarge", nodes: 32 }, { name: "grace", instanceType: "p6e-gb200.36xlarge", nodes: 18 }] });
    expect(slurmdImageFindings(blueprint).map((f) => formatFinding(f))).toEqual([
      expect.stringMatching(/^warning gigafactory:factory\.pools\.grace\.instanceType: pool grace: p6e-gb200\.36xlarge is arm64, and the factory's slurmd image is built for x86_64 only: .* — run Slurm's jobs on an x86_64 pool/),
    ]);
  });

  it("leaves a pool with no nodes alone: Slurm has nothing there", () => {
    const blueprint = slurmBlueprint({ factory: "gf-idle", pools: [{ name: "grace", instanceType: "p6e-gb200.36xlarge", nodes: 0 }] });
    expect(slurmdImageFindings(blueprint)).toEqual([]);
  });
});
