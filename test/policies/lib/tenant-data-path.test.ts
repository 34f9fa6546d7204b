import { beforeAll, describe, expect, it } from "vitest";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { POD_IDENTITY_CONTROLLERS } from "../../../core/blueprint/quotas";
import { identityModel, type IdentityModel } from "../../../policies/lib/iam/plan-identities";
import { walkTenantJob, type WalkContext } from "../../../policies/lib/iam/tenant-data-path";
import { plannedSnapshot } from "../../support/planned-stacks";

// A tenant's training job on the gigafactory plan, followed from its pod to its data on the plan's own documents
// (trust, session-tag conditions, role policies, access-point, bucket and key policies), for every one of its 128
// tenants; then the same plan with one tenant added to another's access-point policy.

let snapshot: PlanSnapshot;
let model: IdentityModel;
let ctx: WalkContext;
let tenants: string[];

const modelOf = (s: PlanSnapshot) => identityModel(s.resources, { partition: s.blueprint.partition as string, region: s.blueprint.region as string });

beforeAll(async () => {
  snapshot = await plannedSnapshot("gigafactory");
  model = modelOf(snapshot);
  const factory = snapshot.blueprint.factory as string;
  ctx = { factory, clusterName: factory, dnsSuffix: snapshot.blueprint.dnsSuffix as string };
  tenants = (snapshot.blueprint.tenants as { name: string }[]).map((t) => t.name);
}, 15 * 60_000);

describe("a tenant's job, from its pod to its data, on the gigafactory plan", () => {
  it("has a Pod Identity association per tenant besides the system ones, each to a role of its own", () => {
    expect(tenants.length).toBe(128);
    expect(model.podIdentities.length).toBeGreaterThanOrEqual(tenants.length + POD_IDENTITY_CONTROLLERS.length);
    const roles = tenants.map((t) => model.podIdentities.find((p) => p.namespace === t)!.roleArn);
    expect(new Set(roles).size).toBe(tenants.length);
  });

  it("reaches each tenant's prefix and key through its access points, and nothing of its neighbour's", () => {
    const problems = tenants.flatMap((t, i) => walkTenantJob(model, ctx, t, [tenants[(i + 1) % tenants.length]]).problems);
    expect(problems).toEqual([]);
  });

  it("walks the path a reviewer reads: service account, role, trust, access points, key", () => {
    const [a, b] = tenants;
    const path = walkTenantJob(model, ctx, a, [b]);
    const step = (text: string) => path.steps.find((s) => s.step.startsWith(text))!;
    expect(path.role!.arn).toMatch(new RegExp(`role/gigafactory/tenants/.*${a}-workload$`));
    expect(step(`Pod Identity sts:AssumeRole ${path.role!.name} for ${a}/workload`).allowed).toBe(true);
    expect(step(`Pod Identity sts:AssumeRole ${path.role!.name} for ${b}/workload`).allowed).toBe(false);
    expect(step(`read tenants/${a}/sample/part-0 through`)).toMatchObject({ allowed: true });
    expect(step(`read tenants/${a}/sample/part-0 through`).by.join(" ")).toMatch(/-data#Objects0/);
    expect(step(`read tenants/${b}/sample/part-0 through`).allowed).toBe(false);
    expect(step(`kms:Decrypt with alias/${ctx.factory}/tenants/${a}`).allowed).toBe(true);
    expect(step(`kms:Decrypt with alias/${ctx.factory}/tenants/${b}`).allowed).toBe(false);
  });

  it("fails when a plan adds another tenant's role to the tenant's access-point policy", () => {
    const [a, b] = tenants;
    const mutated = structuredClone(snapshot);
    const theirRole = model.podIdentities.find((p) => p.namespace === b)!.roleArn;
    const point = mutated.resources.find((r) => r.type === "aws:s3/accessPoint:AccessPoint" && r.name.endsWith(`-${a}-datasets-access`))!;
    const policy = JSON.parse(point.inputs.policy as string);
    const objects = policy.Statement.find((s: { Sid: string }) => s.Sid === "TenantObjects");
    objects.Principal.AWS = [...[objects.Principal.AWS].flat(), theirRole];
    point.inputs.policy = JSON.stringify(policy);
    const problems = walkTenantJob(modelOf(mutated), ctx, a, [b]).problems;
    expect(problems).toEqual([expect.stringMatching(new RegExp(`access point .*${a}-datasets admits ${b}'s role`))]);
  });

  it("fails when a plan points a tenant's association at another tenant's role, or its key admits another tenant", () => {
    const [a, b] = tenants;
    const mutated = structuredClone(snapshot);
    const association = (t: string) => mutated.resources.find((r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation" && r.inputs.namespace === t)!;
    association(a).inputs.roleArn = association(b).inputs.roleArn;
    expect(walkTenantJob(modelOf(mutated), ctx, a, [b]).problems.join("\n")).toMatch(/Pod Identity sts:AssumeRole .* for .* is refused/);
  });
});
