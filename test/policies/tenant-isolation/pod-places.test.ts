import { describe, expect, it } from "vitest";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { SnapshotProviders, stackArgs } from "../../../policies/harness/runtime-args";
import { planResourcesOf } from "../../../policies/lib/plan";
import { proveFactory } from "../../../policies/lib/proofs/prove";
import { plannedSnapshot } from "../../support/planned-stacks";
import { SYSTEM_POOL_ADMISSION } from "../../../core/render/kubernetes/system-pool-admission";

// Where a tenant's pod may take an address: only the node groups open to it. The system node group is closed to
// every tenant, by its taint and the admission policy that refuses the taint's toleration and a named node in the
// tenants' namespaces; then the rules that admit the system subnets (the API server, the metrics collector) admit
// no tenant's pod, and isolation no longer rests on the other tenant's policy alone. Either half gone, the system
// subnets count as the tenants' again.

const VAP = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const BINDING = `${VAP}Binding`;

function network(s: PlanSnapshot) {
  const args = stackArgs(s, new SnapshotProviders(s), () => ({}));
  return proveFactory(planResourcesOf(args.resources)).proofs["tenant-network-isolated"];
}

async function edited(edit: (s: PlanSnapshot) => void) {
  const s = structuredClone(await plannedSnapshot("dev"));
  edit(s);
  return network(s);
}

const systemGroup = (s: PlanSnapshot) => s.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.inputs.nodeGroupName === "system")!;
// The system pool's policy and binding, not the acceptance namespace's (acceptance-admission.ts).
const spec = (s: PlanSnapshot, type: string) =>
  s.resources.find((r) => r.type === type && (r.inputs.metadata as { name?: string } | undefined)?.name === SYSTEM_POOL_ADMISSION)!.inputs.spec as Record<string, unknown>;
const ONE_SIDED = /ingress\[1\] on TCP 9090 \(\d+ tenants\) admits addresses of the pod subnets/;

describe.each(["dev", "gigafactory"])("the %s plan", (stack) => {
  it("keeps every tenant's pod off the system node group, and proves isolation without leaning on the other side", async () => {
    const s = await plannedSnapshot(stack);
    const proof = network(s);
    expect(proof.findings).toEqual([]);
    expect(proof.notes).toContainEqual(expect.stringMatching(/-system-ng holds no tenant's pod: it is tainted gigafactory\.io\/system, and the admission policy gigafactory-tenant-pods-off-system-pool refuses/));
    expect(proof.notes.filter((n) => ONE_SIDED.test(n))).toEqual([]);
    // The pod subnets are the GPU node groups' alone.
    const gpuSubnets = new Set(s.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.inputs.nodeGroupName !== "system").flatMap((r) => r.inputs.subnetIds as string[]));
    // Every NetworkPolicy of the plan is read: the tenants' and the acceptance namespace's.
    const policies = s.resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy").length;
    expect(policies).toBe((s.blueprint.tenants as unknown[]).length + 1);
    expect(proof.over).toBe(`${(s.blueprint.tenants as unknown[]).length} tenants, ${policies} NetworkPolicies, ${gpuSubnets.size} pod subnets`);
  });
});

describe("the system node group counts as the tenants' again", () => {
  const opened = (proof: { findings: unknown[]; notes: string[] }) => {
    expect(proof.findings).toEqual([]);
    expect(proof.notes.some((n) => ONE_SIDED.test(n))).toBe(true);
    expect(proof.notes.some((n) => /holds no tenant's pod/.test(n))).toBe(false);
  };

  it("without its taint", async () => {
    opened(await edited((s) => void (systemGroup(s).inputs.taints = [])));
  });

  it("without the admission policy's binding, or with one that only warns", async () => {
    const unbound = await edited((s) => void (s.resources = s.resources.filter((r) => r.type !== BINDING || (r.inputs.metadata as { name?: string }).name !== SYSTEM_POOL_ADMISSION)));
    opened(unbound);
    expect(unbound.notes).toContainEqual(expect.stringMatching(/-system-ng is tainted gigafactory\.io\/system, but no admission policy refuses its toleration in every tenant's namespace/));
    opened(await edited((s) => void (spec(s, BINDING).validationActions = ["Warn"])));
  });

  it("when the policy fails open, skips updates, holds in one tenant's namespace only, or no longer refuses a named node", async () => {
    opened(await edited((s) => void (spec(s, VAP).failurePolicy = "Ignore")));
    opened(await edited((s) => void ((spec(s, VAP).matchConstraints as { resourceRules: { operations: string[] }[] }).resourceRules[0].operations = ["CREATE"])));
    opened(await edited((s) => void ((spec(s, VAP).matchConstraints as Record<string, unknown>).namespaceSelector = { matchLabels: { "kubernetes.io/metadata.name": "team-a" } })));
    opened(await edited((s) => void (spec(s, VAP).validations = (spec(s, VAP).validations as { expression: string }[]).filter((v) => !v.expression.includes("nodeName")))));
  });

  it("when the refusal is not the factory's own expression for the taint's key", async () => {
    opened(await edited((s) => {
      const v = (spec(s, VAP).validations as { expression: string }[])[0];
      v.expression = v.expression.replace("gigafactory.io/system", "gigafactory.io/other");
    }));
    opened(await edited((s) => {
      const v = (spec(s, VAP).validations as { expression: string }[])[0];
      v.expression = v.expression.replace(" : !(has(t.operator) && t.operator == 'Exists')", " : true");
    }));
  });
});
