import { beforeAll, describe, expect, it } from "vitest";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { apiServerPaths, runnerSecurityGroupIds, type PlannedResource } from "../../../policies/lib/api-reachability";
import { plannedSnapshot } from "../../support/planned-stacks";

// The deploy path into the private cluster, proven from the gigafactory stack's plan alone (its security group
// rules and the cluster's vpcConfig, never its spec): the deploy runner and the operator network reach the API
// server on 443, nothing else does, and taking one rule away breaks the path.

let resources: PlannedResource[];
beforeAll(async () => {
  const snapshot: PlanSnapshot = await plannedSnapshot("gigafactory");
  resources = snapshot.resources.map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
}, 600_000);

const without = (name: string) => resources.filter((r) => r.name !== name);
const OPERATOR_HOST = { cidr: "10.200.7.9/32" };

describe("the API server's reachability in the gigafactory plan", () => {
  it("admits the deploy runner's security group, out of the runner and into the API server, on 443", () => {
    const [runner] = runnerSecurityGroupIds(resources);
    expect(runner).toMatch(/^sg-/);
    const [path] = apiServerPaths(resources, { securityGroupId: runner });
    expect(path).toMatchObject({ cluster: "gf-nordics-cluster-eks", reachable: true });
    expect(path.via).toEqual(["gf-nordics-access-sg-runner-out-0", "gf-nordics-access-sg-api-in-0"]);
  });

  it("admits the operator network on the private endpoint, and no other range", () => {
    expect(apiServerPaths(resources, OPERATOR_HOST)[0]).toMatchObject({ reachable: true, via: ["gf-nordics-access-sg-api-in-1"] });
    expect(apiServerPaths(resources, { cidr: "10.200.0.0/16" })[0].reachable).toBe(true);
    expect(apiServerPaths(resources, { cidr: "10.201.0.1/32" })[0].reachable).toBe(false);
    expect(apiServerPaths(resources, { cidr: "203.0.113.10/32" })[0].reachable).toBe(false);
    expect(apiServerPaths(resources, { securityGroupId: "sg-0123456789abcdef0" })[0].reachable).toBe(false);
  });

  it("loses the runner's path when its inbound or outbound rule is removed", () => {
    const [runner] = runnerSecurityGroupIds(resources);
    expect(apiServerPaths(without("gf-nordics-access-sg-api-in-0"), { securityGroupId: runner })[0]).toMatchObject({ reachable: false, why: expect.stringMatching(/no inbound rule/) });
    expect(apiServerPaths(without("gf-nordics-access-sg-runner-out-0"), { securityGroupId: runner })[0]).toMatchObject({ reachable: false, why: expect.stringMatching(/no outbound rule/) });
  });

  it("loses the operator's path when its rule is removed, or the group leaves the cluster's vpcConfig", () => {
    expect(apiServerPaths(without("gf-nordics-access-sg-api-in-1"), OPERATOR_HOST)[0].reachable).toBe(false);
    const detached = resources.map((r) =>
      r.type === "aws:eks/cluster:Cluster" ? { ...r, props: { ...r.props, vpcConfig: { ...(r.props.vpcConfig as object), securityGroupIds: [] } } } : r,
    );
    expect(apiServerPaths(detached, OPERATOR_HOST)[0]).toMatchObject({ reachable: false, why: expect.stringMatching(/\(none\)/) });
  });

  it("keeps the public endpoint off: a public address has no way in", () => {
    const cluster = resources.find((r) => r.type === "aws:eks/cluster:Cluster")!;
    expect(cluster.props.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
    const opened = resources.map((r) => (r === cluster ? { ...r, props: { ...r.props, vpcConfig: { ...(r.props.vpcConfig as object), endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } } } : r));
    expect(apiServerPaths(opened, { cidr: "203.0.113.10/32" })[0]).toMatchObject({ reachable: true, via: ["public endpoint"] });
  });
});
