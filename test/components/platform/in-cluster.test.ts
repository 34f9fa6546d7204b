import { beforeAll, describe, expect, it } from "vitest";
import { designedStack } from "../../fixtures/kubernetes/stacks";
import { installRecordingMocks, settle, type Recorder } from "../../support/recording-mocks";
import { importClosure } from "./module-imports";

// The platform's in-cluster components (DESIGN.md "Layers"): the scheduling (add-ons, Kueue, the Lustre storage
// class) and Slurm on Slinky, built on recording mocks from a Kubernetes provider, the blueprint and plain values
// alone, as they would be on a factory's own cluster: nothing of AWS is declared, read or imported.

const REGISTRY = "registry.factory.example.eu";
const IN_CLUSTER_MODULES = ["components/platform/scheduling.ts", "components/platform/cluster-addons.ts", "components/platform/kueue.ts", "components/platform/slinky.ts"];

let rec: Recorder;
let providerUrn: string;

beforeAll(async () => {
  rec = installRecordingMocks();
  const k8s = await import("@pulumi/kubernetes");
  const { FactoryScheduling } = await import("../../../components/platform/scheduling");
  const { SlinkySlurm } = await import("../../../components/platform/slinky");
  const { spec, blueprint } = designedStack("dev");
  const provider = new k8s.Provider("on-premises", { kubeconfig: "{}" });
  providerUrn = await new Promise((resolve) => provider.urn.apply(resolve));
  const opts = { providers: [provider] };
  const scheduling = new FactoryScheduling("gf-scheduling", { blueprint, priorities: spec.priorities, registry: REGISTRY, certManager: true, lustre: true, requires: [] }, opts);
  new SlinkySlurm(
    "gf-slinky",
    {
      blueprint,
      registry: REGISTRY,
      slurmdImage: { repository: `${REGISTRY}/gigafactory/slurmd`, tag: `recipe-0@sha256:${"d".repeat(64)}` },
      credentials: { slurmKey: "a2V5", jwtKey: "and0", databasePassword: "password" },
      storage: { host: "accounting.factory.example.eu", port: 3306, database: "slurm_acct_db", username: "slurm" },
      stateVolumeKeyArn: "state-volume-key",
      lustre: { fileSystemId: "lustre-1", dnsName: "lustre.factory.example.eu", mountName: "fsx", capacityGiB: 4800 },
      requires: Object.values(scheduling.addons.releases),
    },
    opts,
  );
  await settle();
});

describe("the platform's in-cluster components", () => {
  it("declare Kubernetes resources and components only", () => {
    const kinds = new Set(rec.resources.map((r) => r.type.split(":")[0]));
    expect([...kinds].sort()).toEqual(["gigafactory", "kubernetes", "pulumi"]);
    expect(rec.resources.filter((r) => r.type.startsWith("pulumi:")).map((r) => r.type)).toEqual(["pulumi:providers:kubernetes"]);
    const types = new Set(rec.resources.map((r) => r.type));
    for (const t of ["kubernetes:helm.sh/v3:Release", "kubernetes:kueue.x-k8s.io/v1beta2:Topology", "kubernetes:storage.k8s.io/v1:StorageClass", "kubernetes:core/v1:PersistentVolumeClaim"]) expect(types).toContain(t);
  });

  it("reach the cluster through the one provider they are given", () => {
    const declared = rec.resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(declared.length).toBeGreaterThan(10);
    for (const r of declared) expect(r.provider, r.name).toBe(`${providerUrn}::on-premises-id`);
  });

  it("read no cloud's data sources", () => {
    expect(rec.unmockedCalls).toEqual([]);
  });

  it("install every chart from the registry they are given", () => {
    for (const r of rec.ofType("kubernetes:helm.sh/v3:Release")) expect(r.inputs.chart, r.name).toBe(`oci://${REGISTRY}/charts/${r.inputs.name}`);
  });

  it.each(IN_CLUSTER_MODULES)("%s loads nothing of AWS and no component of another layer", (file) => {
    const { modules, packages } = importClosure(file);
    expect(packages).not.toContain("@pulumi/aws");
    expect(modules.filter((m) => m.startsWith("components/") && !m.startsWith("components/platform/") && m !== "components/kubernetes-object.ts")).toEqual([]);
  });
});
