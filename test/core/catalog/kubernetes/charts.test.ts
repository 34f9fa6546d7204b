import { describe, expect, it } from "vitest";
import { PINNED_CHARTS } from "../../../../core/catalog/charts";
import { CHART_NAMES, CHART_RELEASES, chartRelease, formatSupport, KUBERNETES_MINORS, releaseSupports, releasesSupporting } from "../../../../core/catalog/kubernetes";
import { SLINKY_CHARTS } from "../../../../core/catalog/slinky-charts";

// The chart releases each Kubernetes minor selects: every one a release whose publisher says it runs on that minor,
// with where it says so, and the release the images of images.ts were read from.

describe("the chart releases of each Kubernetes minor", () => {
  it("name every chart the factory installs, and only those", () => {
    expect([...CHART_NAMES].sort()).toEqual([...PINNED_CHARTS, ...SLINKY_CHARTS].map((c) => c.chart).sort());
    for (const m of KUBERNETES_MINORS) expect(Object.keys(m.charts).sort(), m.version).toEqual([...CHART_NAMES].sort());
  });

  it("are releases the catalog knows, each supporting the minor by its publisher's statement", () => {
    for (const m of KUBERNETES_MINORS) {
      for (const name of CHART_NAMES) {
        const release = chartRelease(name, m.charts[name]);
        expect(release, `${m.version} ${name} ${m.charts[name]}`).toBeDefined();
        expect(releaseSupports(release!, m.version), `${name} ${release!.version} (${formatSupport(release!)}) on ${m.version}`).toBe(true);
      }
    }
  });

  it("are the releases whose images images.ts pins, so a minor never installs a chart with another release's images", () => {
    const pinned = new Map([...PINNED_CHARTS, ...SLINKY_CHARTS].map((c) => [c.chart, c.version]));
    for (const m of KUBERNETES_MINORS) {
      for (const name of CHART_NAMES) expect(m.charts[name], `${m.version} ${name}: pin its images in images.ts (or slinky-charts.ts) before selecting it`).toBe(pinned.get(name));
    }
  });

  it("each say where their Kubernetes range is stated, and whether it is the chart's own word", () => {
    for (const name of CHART_NAMES) {
      for (const r of CHART_RELEASES[name]) {
        expect(r.source.length, `${name} ${r.version}`).toBeGreaterThan(20);
        expect(r.source).toMatch(/\[P\]|\[S\]/);
        if (r.basis === "api") expect(r.source).toMatch(/publishes no Kubernetes range/);
      }
    }
  });
});

describe("a chart release's Kubernetes range", () => {
  const gpuOperator = chartRelease("gpu-operator", "v26.3.3")!;
  const kueue = chartRelease("kueue", "0.19.2")!;

  it("holds from its first minor through its last, and refuses the minors outside", () => {
    expect(["1.31", "1.32", "1.35", "1.36"].map((v) => releaseSupports(gpuOperator, v))).toEqual([false, true, true, false]);
    expect(formatSupport(gpuOperator)).toBe("1.32 to 1.35");
  });

  it("without a last minor is a floor", () => {
    expect(["1.28", "1.29", "1.40"].map((v) => releaseSupports(kueue, v))).toEqual([false, true, true]);
    expect(formatSupport(kueue)).toBe("1.29 or newer");
  });

  it("refuses what is not a minor version", () => {
    for (const v of ["", "1", "2.0", "1.3x", "v1.34"]) expect(releaseSupports(kueue, v), v).toBe(false);
  });

  it("lists the releases of a chart a minor can take", () => {
    expect(releasesSupporting("gpu-operator", "1.34").map((r) => r.version)).toEqual(["v26.3.3"]);
    expect(releasesSupporting("gpu-operator", "1.36")).toEqual([]);
  });
});

describe("the minors' data", () => {
  it("say what no public source confirmed: 1.34 and 1.35 carry 1.33's VPC CNI, Pod Identity, node monitoring and EBS CSI builds", () => {
    const byVersion = new Map(KUBERNETES_MINORS.map((m) => [m.version, m]));
    for (const v of ["1.34", "1.35"]) {
      const m = byVersion.get(v)!;
      expect(m.unconfirmed.join(" ")).toContain("vpc-cni v1.20.0-eksbuild.1");
      expect(m.unconfirmed.join(" ")).toContain(`--kubernetes-version ${v}`);
    }
  });

  it("pin node image releases of their own minor, published by awslabs/amazon-eks-ami", () => {
    for (const m of KUBERNETES_MINORS) expect(m.nodeImageRelease).toMatch(new RegExp(`^${m.version.replace(".", "\\.")}-v20\\d{6}$`));
    expect(KUBERNETES_MINORS.find((m) => m.version === "1.35")!.nodeImageRelease).toBe("1.35-v20260505");
  });
});
