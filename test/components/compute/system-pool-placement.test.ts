import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { renderFiles } from "../../../cli/commands/render-run";
import { SYSTEM_TAINT } from "../../../core/blueprint/labels";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { designedStack } from "../../fixtures/kubernetes/stacks";
import { placementContext, placementProblems, podSpecOf, tenantTolerationsOfSystem, tolerates } from "../../fixtures/kubernetes/system-placement";
import { plannedSnapshot } from "../../support/planned-stacks";

// The system pool is tainted, and every pod the factory deploys is placed: the platform's controllers on the
// system pool, tolerating its taint; node daemons on every node; GPU pods on their pools; and no pod of a tenant's
// namespace tolerates the system taint, so no tenant workload shares a node or a subnet with the platform.

const STACKS = ["dev", "gigafactory"] as const;

const release = (s: PlanSnapshot, chart: string) => s.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && String(r.inputs.chart).endsWith(`/${chart}`))!;
const addon = (s: PlanSnapshot, name: string) => s.resources.find((r) => r.type === "aws:eks/addon:Addon" && r.inputs.addonName === name)!;

describe.each(STACKS)("the %s plan", (stack) => {
  it("taints the system node group and registers its nodes with the taint", async () => {
    const s = await plannedSnapshot(stack);
    const group = s.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.inputs.nodeGroupName === "system")!;
    expect(group.inputs.taints).toEqual([{ key: SYSTEM_TAINT.key, value: SYSTEM_TAINT.value, effect: "NO_SCHEDULE" }]);
    const template = s.resources.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.name.endsWith("-system-lt"))!;
    expect(Buffer.from(String(template.inputs.userData), "base64").toString("utf8")).toContain(`--register-with-taints=${SYSTEM_TAINT.key}=${SYSTEM_TAINT.value}:${SYSTEM_TAINT.effect}`);
  });

  it("places every pod it deploys: workloads, every chart's pod blocks and every EKS add-on", async () => {
    const s = await plannedSnapshot(stack);
    expect(placementProblems(s)).toEqual([]);
    // What the proof walks over: the controllers of every kind, and the tenants' own objects.
    const kinds = new Set(s.resources.filter((r) => podSpecOf(r.inputs)).map((r) => (r.inputs as { kind: string }).kind));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["CronJob", "DaemonSet", "Deployment"]));
    expect(s.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release")).toHaveLength(9);
    expect(placementContext(s).tenants.length).toBeGreaterThan(1);
  });

  it("gives no pod of a tenant's namespace, planned or rendered, a toleration of the system taint", async () => {
    const s = await plannedSnapshot(stack);
    const { tenants } = placementContext(s);
    const planned = s.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.inputs);
    expect(tenantTolerationsOfSystem(planned, tenants)).toEqual([]);
    const { spec, blueprint } = designedStack(stack);
    const rendered = renderFiles({ spec, blueprint })
      .filter((f) => /\.ya?ml$/.test(f.path))
      .flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as unknown))
      .filter((o): o is Record<string, unknown> => typeof o === "object" && o !== null && "kind" in o);
    const inTenants = rendered.filter((o) => tenants.includes((o.metadata as { namespace?: string } | undefined)?.namespace ?? ""));
    // The tenants' rendered workloads (the training example, the acceptance jobs) are among them, and tolerate their GPUs.
    expect(inTenants.some((o) => JSON.stringify(o).includes('"tolerations"'))).toBe(true);
    expect(tenantTolerationsOfSystem(rendered, tenants)).toEqual([]);
  });
});

describe("a plan whose placement is broken one way", () => {
  const broken = async (edit: (s: PlanSnapshot) => void) => {
    const s = structuredClone(await plannedSnapshot("dev"));
    edit(s);
    return placementProblems(s);
  };

  it("is refused for a system node group without its taint", async () => {
    expect(await broken((s) => void (s.resources.find((r) => r.inputs.nodeGroupName === "system")!.inputs.taints = []))).toEqual([
      expect.stringMatching(/: the system node group does not carry gigafactory\.io\/system=true:NoSchedule$/),
    ]);
  });

  it("is refused for a controller on the system pool without the toleration, in a chart or an object", async () => {
    const out = await broken((s) => {
      delete (release(s, "kueue").inputs.values as { controllerManager: { tolerations?: unknown } }).controllerManager.tolerations;
      const mpi = s.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
      delete podSpecOf(mpi.inputs)!.tolerations;
    });
    expect(out).toEqual([
      expect.stringMatching(/-mpi-operator \(mpi-operator\): does not tolerate gigafactory\.io\/system$/),
      expect.stringMatching(/-kueue controllerManager: does not tolerate gigafactory\.io\/system$/),
      expect.stringMatching(/-kueue controllerManager: on the system pool without tolerating its taint$/),
    ]);
  });

  it("is refused for a chart pod left to its chart's default, and for a node daemon that no longer runs everywhere", async () => {
    const out = await broken((s) => {
      delete (release(s, "cert-manager").inputs.values as { startupapicheck?: unknown }).startupapicheck;
      const nfd = (release(s, "gpu-operator").inputs.values as Record<string, { worker: { tolerations: unknown[] } }>)["node-feature-discovery"];
      nfd.worker.tolerations = nfd.worker.tolerations.slice(0, 1);
    });
    expect(out).toEqual([
      expect.stringMatching(/-cert-manager startupapicheck: not set, so the chart's default places it$/),
      expect.stringMatching(/-gpu-operator node-feature-discovery\.worker: does not tolerate gigafactory\.io\/system$/),
    ]);
  });

  it("is refused for an add-on that loses its placement, and for a chart nobody has placed", async () => {
    const out = await broken((s) => {
      addon(s, "coredns").inputs.configurationValues = JSON.stringify({ autoScaling: { enabled: true, minReplicas: 2, maxReplicas: 4 } });
      addon(s, "kube-proxy").inputs.configurationValues = JSON.stringify({ tolerations: [{ key: "x", operator: "Exists" }] });
      addon(s, "aws-ebs-csi-driver").inputs.configurationValues = JSON.stringify({ controller: { nodeSelector: { "gigafactory.io/pool": "system" } } });
      release(s, "jobset").inputs.chart = "oci://example/charts/unknown-chart";
    });
    expect(out).toEqual([
      expect.stringMatching(/-unknown-chart$|: chart unknown-chart has no known pod blocks$/),
      expect.stringMatching(/\(kube-proxy\): overrides the tolerations that keep it on every node$/),
      expect.stringMatching(/\(coredns\): does not tolerate gigafactory\.io\/system, is not placed on the system pool/),
      expect.stringMatching(/\(aws-ebs-csi-driver\): controller does not tolerate gigafactory\.io\/system$/),
      expect.stringMatching(/\(aws-ebs-csi-driver\): node plugin does not tolerate every taint$/),
    ]);
  });

  it("is refused for a pod of a tenant's namespace that tolerates the system taint, by key or by tolerating everything", () => {
    const pod = (tolerations: unknown[]) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "team-a" }, spec: { tolerations, containers: [] } });
    expect(tenantTolerationsOfSystem([pod([{ key: SYSTEM_TAINT.key, operator: "Exists" }]), pod([{ operator: "Exists" }]), pod([{ key: "nvidia.com/gpu", operator: "Exists" }])], ["team-a"])).toEqual([
      "Pod team-a/p spec",
      "Pod team-a/p spec",
    ]);
    expect(tolerates([{ key: SYSTEM_TAINT.key, operator: "Equal", value: "false" }], SYSTEM_TAINT)).toBe(false);
    expect(tolerates([{ key: SYSTEM_TAINT.key, operator: "Exists", effect: "NoExecute" }], SYSTEM_TAINT)).toBe(false);
  });
});
