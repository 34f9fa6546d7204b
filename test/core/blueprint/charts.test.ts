import { describe, expect, it } from "vitest";
import { planCharts } from "../../../core/blueprint/charts";
import { KUBERNETES_MINORS } from "../../../core/catalog/kubernetes";
import { plannedSnapshot } from "../../support/planned-stacks";

// The Helm releases a factory's cluster runs come from its Kubernetes minor's data file; a release that does not run
// on the minor is an error at kubernetes.version that says what to do, never a silent pick.

const H200 = [{ instanceType: "p5e.48xlarge", efaInterfacesPerNode: 32 }];
const TRAINIUM = [{ instanceType: "trn2.48xlarge", efaInterfacesPerNode: 0 }];
const minor = (v: string) => KUBERNETES_MINORS.find((m) => m.version === v)!;
/** A minor past the catalog's, selecting 1.35's charts: the GPU operator's release stops at 1.35. */
const k136 = { ...minor("1.35"), version: "1.36", unconfirmed: [] };

describe("the charts of a factory", () => {
  it("on 1.34 run the releases 1.34.ts selects, each with the minors it supports and its source", () => {
    const { charts, findings } = planCharts("1.34", H200);
    expect(findings.filter((f) => f.level === "error")).toEqual([]);
    expect(charts.map((c) => c.chart)).toEqual(["gpu-operator", "aws-efa-k8s-device-plugin", "kueue", "jobset", "cert-manager", "aws-fsx-csi-driver", "slurm-operator-crds", "slurm-operator", "slurm"]);
    expect(charts.find((c) => c.chart === "kueue")).toMatchObject({ version: "0.19.2", supports: "1.29 or newer", source: expect.stringContaining("Kueue installation") });
    expect(charts.find((c) => c.chart === "gpu-operator")).toMatchObject({ version: "v26.3.3", supports: "1.32 to 1.35" });
  });

  it("follow the minor's selection: a release the minor names is the one installed", () => {
    const selecting = { ...minor("1.34"), charts: { ...minor("1.34").charts, jobset: "0.12.0" } };
    expect(planCharts("1.34", H200, selecting).charts.find((c) => c.chart === "jobset")!.version).toBe("0.12.0");
  });

  it("on a minor a selected release does not support: an error at kubernetes.version naming the release, its range and what to do", () => {
    const { findings } = planCharts("1.36", H200, k136);
    const errors = findings.filter((f) => f.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: "gigafactory:factory.kubernetes.version" });
    expect(errors[0].message).toBe(
      "gpu-operator v26.3.3 supports Kubernetes 1.32 to 1.35 (NVIDIA GPU Operator platform support, Cloud Service Providers: Amazon EKS Kubernetes 1.32 to 1.35 for the 26.3 releases [P]), not 1.36",
    );
    expect(errors[0].hint).toContain("add a release of gpu-operator that supports 1.36 to core/catalog/kubernetes/chart-releases.ts");
  });

  it("judge only the charts the factory installs: a Trainium factory has no GPU operator to refuse", () => {
    const { charts, findings } = planCharts("1.36", TRAINIUM, k136);
    expect(charts.map((c) => c.chart)).not.toContain("gpu-operator");
    expect(findings.filter((f) => f.level === "error")).toEqual([]);
  });

  it("on a release the catalog has no range for: an error, not a guess", () => {
    const unknown = { ...minor("1.34"), charts: { ...minor("1.34").charts, kueue: "0.99.0" } };
    const { charts, findings } = planCharts("1.34", H200, unknown);
    expect(charts.find((c) => c.chart === "kueue")).toMatchObject({ version: "0.99.0", supports: null, source: null });
    expect(findings).toContainEqual(expect.objectContaining({ level: "error", message: "Kubernetes 1.34 selects kueue 0.99.0, a release with no stated Kubernetes range" }));
  });

  it("warn at kubernetes.version while the minor's data file lists what no public source confirmed", () => {
    const warnings = planCharts("1.35", H200).findings.filter((f) => f.level === "warning");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ path: "gigafactory:factory.kubernetes.version" });
    expect(warnings[0].message).toContain("Kubernetes 1.35's data file pins what no public source confirmed: vpc-cni v1.20.0-eksbuild.1");
    expect(planCharts("1.33", H200).findings).toEqual([]);
  });

  it("are in the gigafactory's blueprint at 1.33's releases", async () => {
    const blueprint = (await plannedSnapshot("gigafactory")).blueprint as unknown as { charts: { chart: string; version: string; supports: string | null }[] };
    expect(blueprint.charts.map((c) => `${c.chart} ${c.version}`)).toContain("kueue 0.19.2");
    expect(blueprint.charts.every((c) => c.supports !== null)).toBe(true);
  });
});
