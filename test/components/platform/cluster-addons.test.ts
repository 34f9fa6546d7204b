import { beforeAll, describe, expect, it } from "vitest";
import { installRecordingMocks, settle, type Recorder } from "../../support/recording-mocks";
import { designedStack } from "../../fixtures/kubernetes/stacks";
import { controllerSizing } from "../../../core/blueprint/controller-sizing";

// ClusterAddons on recording mocks: one Helm release per chart the pools need, each pinned and installed from the
// registry it is given, cert-manager only when asked for.

const REGISTRY = "registry.example.eu";
let rec: Recorder;

beforeAll(async () => {
  rec = installRecordingMocks();
  const { ClusterAddons } = await import("../../../components/platform/cluster-addons");
  const { blueprint } = designedStack("gigafactory");
  new ClusterAddons("gf-addons", { pools: blueprint.pools, registry: REGISTRY, certManager: true, controllers: controllerSizing(blueprint) });
  await settle();
});

describe("ClusterAddons", () => {
  it("declares a Helm release per chart, never a chart rendered at plan time", () => {
    expect(rec.resources.filter((r) => r.type.startsWith("kubernetes:helm.sh/v4") || r.type === "kubernetes:helm.sh/v3:Chart")).toEqual([]);
    const releases = rec.ofType("kubernetes:helm.sh/v3:Release");
    const rows = releases.map((r) => [r.inputs.name, r.inputs.version, r.inputs.namespace, r.inputs.createNamespace]);
    expect(rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ["aws-efa-k8s-device-plugin", "v0.5.30", "kube-system", false],
      ["cert-manager", "v1.21.1", "cert-manager", true],
      ["gpu-operator", "v26.3.3", "gpu-operator", true],
      ["jobset", "0.12.0", "jobset-system", true],
      ["kueue", "0.19.2", "kueue-system", true],
    ]);
  });

  it("installs every chart from the registry it is given", () => {
    for (const r of rec.ofType("kubernetes:helm.sh/v3:Release")) expect(r.inputs.chart).toBe(`oci://${REGISTRY}/charts/${r.inputs.name}`);
  });
});
