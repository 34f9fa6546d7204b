import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { certManagerValues, efaDevicePluginValues, gpuOperatorValues, kueueValues, resourcesOf } from "../../../../core/render/kubernetes/addon-values";
import { jobsetValues } from "../../../../core/render/kubernetes/training-operators";
import { controllerSizing } from "../../../../core/blueprint/controller-sizing";
import { cniConfiguration } from "../../../../core/render/kubernetes/eks-addons";
import { CERT_MANAGER_CHART, EFA_DEVICE_PLUGIN_CHART, GPU_OPERATOR_CHART, installedCharts, JOBSET_CHART, KUEUE_CHART, PINNED_CHARTS } from "../../../../core/catalog/charts";
import { helmVersionProblem } from "../../../../policies/guardrails/helm-versions";
import { DEFAULT_CHART_IMAGE_VALUES } from "../../../../policies/eu-residency/chart-images";
import { imageRefOf, imagesInValues } from "../../../../policies/eu-residency/images";
import { asBoolean, at } from "../../../../policies/lib/values";
import { designedStack } from "../../../fixtures/kubernetes/stacks";

// The add-ons' Helm values: every image the chart can run comes from the factory's registry (the residency
// pack's own table of each chart's image settings decides which), and each chart is pinned to an exact version.

const REGISTRY = "123456789012.dkr.ecr.eu-north-1.amazonaws.com";
const { blueprint } = designedStack("gigafactory");
const sizes = controllerSizing(blueprint);
const gpuSizes = { operator: sizes.gpuOperator, nfdMaster: sizes.nfdMaster };

/** Every image setting of the chart (as the residency pack knows them) that is switched on, as a reference. */
function enabledImages(chart: string, values: object): { path: string; ref: string | undefined }[] {
  return (DEFAULT_CHART_IMAGE_VALUES[chart] ?? [])
    .filter((e) => !e.enabledBy || (asBoolean(at(values, e.enabledBy)) ?? e.enabledByDefault ?? true))
    .map((e) => ({ path: e.path, ref: imageRefOf(at(values, e.path)) }));
}

const VALUES: Record<string, object> = {
  [GPU_OPERATOR_CHART.chart]: gpuOperatorValues(REGISTRY, blueprint.pools, gpuSizes),
  [EFA_DEVICE_PLUGIN_CHART.chart]: efaDevicePluginValues(REGISTRY, blueprint.pools),
  [KUEUE_CHART.chart]: kueueValues(REGISTRY, sizes.kueue),
  [CERT_MANAGER_CHART.chart]: certManagerValues(REGISTRY, sizes.certManager),
  [JOBSET_CHART.chart]: jobsetValues(REGISTRY, resourcesOf(sizes.jobset)),
};

describe("add-on charts", () => {
  it("are each pinned to an exact version", () => {
    for (const c of PINNED_CHARTS) expect(helmVersionProblem({ chart: c.chart, version: c.version }), c.chart).toBeUndefined();
  });

  for (const chart of Object.keys(VALUES)) {
    it(`${chart}: every image setting the chart has, and every image its values name, is in the factory's registry`, () => {
      const settings = enabledImages(chart, VALUES[chart]);
      expect(settings.length + imagesInValues(VALUES[chart]).length).toBeGreaterThan(0);
      for (const s of settings) expect(s.ref, `${chart} ${s.path}`).toMatch(new RegExp(`^${REGISTRY.replace(/\./g, "\\.")}/`));
      for (const i of imagesInValues(VALUES[chart])) expect(i.ref, `${chart} ${i.path}`).toMatch(new RegExp(`^${REGISTRY.replace(/\./g, "\\.")}/`));
    });
  }

  it("installs what the pools need: the GPU operator for NVIDIA nodes, the EFA plugin where nodes have EFA, Kueue and JobSet always", () => {
    expect(installedCharts(blueprint.pools).map((c) => c.chart)).toEqual(["gpu-operator", "aws-efa-k8s-device-plugin", "kueue", "jobset"]);
    expect(installedCharts([{ instanceType: "trn2.48xlarge", efaInterfacesPerNode: 0 }]).map((c) => c.chart)).toEqual(["kueue", "jobset"]);
    expect(installedCharts(blueprint.pools, { certManager: true }).map((c) => c.chart)).toContain("cert-manager");
  });
});

describe("the GPU operator on EKS's GPU AMI", () => {
  const v = gpuOperatorValues(REGISTRY, blueprint.pools, gpuSizes);

  it("leaves the driver and the container toolkit to the AMI and exports GPU metrics with DCGM", () => {
    expect(v.driver.enabled).toBe(false);
    expect(v.toolkit.enabled).toBe(false);
    expect(v.dcgmExporter.enabled).toBe(true);
    expect(v.devicePlugin.enabled).toBe(true);
  });

  it("runs its daemons on the GPU nodes by tolerating their taint, and its controllers on the system pool", () => {
    expect(v.daemonsets.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    expect(v.operator.nodeSelector).toEqual({ "gigafactory.io/pool": "system" });
  });
});

describe("the EFA device plugin", () => {
  const v = efaDevicePluginValues(REGISTRY, blueprint.pools);

  it("pulls its image from the factory's registry, not the chart's default in us-west-2", () => {
    expect(v.image.repository).toBe(`${REGISTRY}/ecr-public/eks/aws-efa-k8s-device-plugin`);
    expect(v.image.repository).not.toMatch(/us-west-2/);
    expect(v.image.tag).toBe("v0.5.20");
  });

  it("runs on the factory's GPU types, tolerating their taint", () => {
    expect(v.supportedInstanceLabels.values).toEqual(["p5.48xlarge", "p5en.48xlarge"]);
    expect(v.tolerations).toContainEqual({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
  });
});

describe("Kueue's configuration", () => {
  const config = parse(kueueValues(REGISTRY, sizes.kueue).managerConfig.controllerManagerConfigYaml);

  it("is Kueue's v1beta2 Configuration with fair sharing and all-or-nothing starts", () => {
    expect(config).toMatchObject({ apiVersion: "config.kueue.x-k8s.io/v1beta2", kind: "Configuration" });
    expect(config.fairSharing.preemptionStrategies).toEqual(["LessThanOrEqualToFinalShare", "LessThanInitialShare"]);
    expect(config.waitForPodsReady.timeout).toBe("10m");
  });

  it("does not let unmetered resources block admission, and never excludes an accelerator", () => {
    expect(config.resources.excludeResourcePrefixes).toEqual(["ephemeral-storage", "hugepages-"]);
  });
});

describe("the VPC CNI", () => {
  it("enforces network policies, so the tenants' NetworkPolicies are not just stored", () => {
    expect(cniConfiguration("prefix-delegation").enableNetworkPolicy).toBe("true");
    expect(cniConfiguration("secondary-ip").enableNetworkPolicy).toBe("true");
  });
});
