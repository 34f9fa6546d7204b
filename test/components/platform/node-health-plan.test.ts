import { beforeAll, describe, expect, it } from "vitest";
import type { PlanSnapshot, SnapshotResource } from "../../../plan/snapshot";
import { HEALTH_NAMESPACE } from "../../../core/render/health/node-agent";
import { imageReference } from "../../../core/render/image/slurmd-recipe";
import { plannedSnapshot } from "../../support/planned-stacks";
import { schemaProblems } from "../../fixtures/kubernetes/schemas";

// The node-health agent in the gigafactory's plan: the platform layer declares it (without it slurmd's health programs
// drain every node), and its checks run the very image the NodeSets run, by the same tag and digest.

let snapshot: PlanSnapshot;
beforeAll(async () => {
  snapshot = await plannedSnapshot("gigafactory");
}, 300_000);

const inAgent = (): SnapshotResource[] => snapshot.resources.filter((r) => r.urn.includes("gigafactory:platform:NodeHealth"));

describe("the node-health agent in the plan", () => {
  it("is declared by the platform layer: namespace, identity, rights, scripts and the DaemonSet", () => {
    const agent = inAgent();
    expect(agent.map((r) => r.type).sort()).toEqual(
      [
        "gigafactory:platform:NodeHealth",
        "kubernetes:apps/v1:DaemonSet",
        "kubernetes:core/v1:ConfigMap",
        "kubernetes:core/v1:Namespace",
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
      ].sort(),
    );
    for (const r of agent) expect(r.layer, r.name).toBe("platform");
    expect((agent.find((r) => r.type === "kubernetes:core/v1:Namespace")!.inputs as any).metadata.name).toBe(HEALTH_NAMESPACE);
  });

  it("runs its checks in the image the NodeSets run, by the same tag and digest", () => {
    const release = snapshot.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && (r.inputs as { name?: string }).name === "slurm")!;
    const nodeSetImage = (release.inputs as any).values.nodesetDefaults.slurmd.image;
    const daemonSet = inAgent().find((r) => r.type === "kubernetes:apps/v1:DaemonSet")!.inputs as any;
    const checks = daemonSet.spec.template.spec.containers.find((c: { name: string }) => c.name === "checks");
    expect(checks.image).toBe(imageReference(nodeSetImage));
    expect(checks.image).toMatch(/\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/gigafactory\/slurmd:recipe-[0-9a-f]{20}@sha256:[0-9a-f]{64}$/);
  });

  it("is what the API server accepts, as planned", () => {
    for (const r of inAgent().filter((x) => x.custom)) {
      const kind = r.type.split(":")[2]!;
      const apiVersion = r.type.split(":")[1]!.replace(/^core\//, "");
      expect(schemaProblems({ apiVersion, kind, ...(r.inputs as Record<string, unknown>) }), r.name).toEqual([]);
    }
  });
});
