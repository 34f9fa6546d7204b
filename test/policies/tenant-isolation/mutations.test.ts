import { beforeAll, describe, expect, it } from "vitest";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { plannedSnapshot } from "../../support/planned-stacks";
import { editPolicy, lines, mandatory, prove, resource, without } from "./support";

// Each property refused on the dev plan edited one way, as a hand-edited snapshot would be: the violation names the
// property (its policy), the tenant and the resource that breaks it; and with the edit undone, the same property holds.

let plan: PlanSnapshot;
beforeAll(async () => {
  plan = await plannedSnapshot("dev");
}, 15 * 60_000);

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ACCESS_POINT = "aws:s3/accessPoint:AccessPoint";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

async function refused(edit: (s: PlanSnapshot) => void, policy: string) {
  const s = structuredClone(plan);
  edit(s);
  const result = await prove(s);
  return { found: mandatory(result, policy), all: lines(result) };
}

describe("one edit, one refused property", () => {
  it("holds on the plan as planned: every case below starts from a proven plan", async () => {
    expect(lines(await prove(structuredClone(plan)))).toBe("");
  });

  it("a policy granting `*` to one tenant's pods: the other tenant's prefixes and key are no longer theirs alone", async () => {
    const edit = (s: PlanSnapshot) => editPolicy(resource(s, ROLE_POLICY, "team-b-workload-data"), "policy", (d) => d.Statement.push({ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" }));
    const s3 = await refused(edit, "tenant-s3-isolated");
    expect(s3.found.map((d) => d.message)).toContainEqual(expect.stringMatching(/^team-a: team-b's role gf-dev-team-b-workload reads team-a's objects in gf-dev-data-datasets-\w+ directly \(gf-dev-scheduling-team-b-workload-data#Everything\)/));
    expect(s3.found[0].resourceName).toBe("gf-dev-scheduling-team-b-workload-role");
    const kms = await refused(edit, "tenant-key-isolated");
    expect(kms.found.map((d) => d.message)).toContainEqual(expect.stringMatching(/^team-a: team-b's role gf-dev-team-b-workload decrypts with team-a's key alias\/gf-dev\/tenants\/team-a/));
  });

  it("a role trusted by another account", async () => {
    const { found } = await refused((s) => editPolicy(resource(s, ROLE, "team-a-role"), "assumeRolePolicy", (d) => d.Statement.push({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::210987654321:root" }, Action: "sts:AssumeRole" })), "no-external-flows");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ resourceName: "gf-dev-scheduling-team-a-role", message: expect.stringMatching(/^team-a: gf-dev-team-a lets the account 210987654321 in \(gf-dev-team-a#1\)/) });
  });

  it("a tenant's NetworkPolicy removed: its pods are open to the other tenant's", async () => {
    const { found } = await refused((s) => without(s, resource(s, NETWORK_POLICY, "team-b-network-policy")), "tenant-network-isolated");
    const messages = found.map((d) => d.message);
    expect(messages).toContainEqual(expect.stringMatching(/^team-b: no NetworkPolicy of the namespace selects all its pods for ingress/));
    // team-a's policy still keeps them out: its one rule open to other addresses admits the system subnets, where no
    // tenant's pod runs (the system pool's taint and admission policy), so no pair is open.
    expect(messages.filter((m) => /pods reach team-a's pods/.test(m))).toEqual([]);
    expect(found.find((d) => /for ingress/.test(d.message))?.resourceName).toBe("gf-dev-scheduling-team-b-namespace");
  });

  it("both tenants' NetworkPolicies removed: each one's pods reach the other's", async () => {
    const { found } = await refused((s) => {
      without(s, resource(s, NETWORK_POLICY, "team-a-network-policy"));
      without(s, resource(s, NETWORK_POLICY, "team-b-network-policy"));
    }, "tenant-network-isolated");
    expect(found.map((d) => d.message)).toContainEqual("team-b's pods reach team-a's pods: team-b's pods no egress policy selects lets them out and team-a's pods no ingress policy selects lets them in — close the rule that admits another tenant's pods (namespace selector or an address range over the pod subnets)");
  });

  it("a second tenant added to an access point's policy", async () => {
    const { found } = await refused((s) => {
      const theirs = resource(s, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "team-b-workload-identity").inputs.roleArn as string;
      editPolicy(resource(s, ACCESS_POINT, "team-a-datasets-access"), "policy", (d) => {
        const objects = d.Statement.find((x) => x.Sid === "TenantObjects")!;
        (objects.Principal as { AWS: string[] }).AWS.push(theirs);
      });
    }, "tenant-s3-isolated");
    expect(found.map((d) => `${d.resourceName}: ${d.message}`)).toContainEqual(expect.stringMatching(/^gf-dev-scheduling-team-a-datasets-access: team-a: team-b's role gf-dev-team-b-workload is let into team-a's prefix by the access point gf-dev-team-a-datasets/));
  });

  it("a security group opened to the internet", async () => {
    const { found } = await refused((s) => {
      resource(s, INGRESS, "net-sg-endpoints-in-0").inputs.cidrIpv4 = "0.0.0.0/0";
    }, "no-external-flows");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ resourceName: "gf-dev-net-sg-endpoints-in-0", message: expect.stringMatching(/lets 0\.0\.0\.0\/0 into gf-dev-net-sg-endpoints \(sg-\w+\), outside the VPC and the declared networks/) });
  });

  it("a tenant's Lustre volume bound to the other tenant's namespace, with its handle", async () => {
    const { found } = await refused((s) => {
      const b = resource(s, "kubernetes:core/v1:PersistentVolume", "team-b-lustre-volume").inputs as { spec: { claimRef: { namespace: string }; csi: { volumeHandle: string } } };
      const a = resource(s, "kubernetes:core/v1:PersistentVolume", "team-a-lustre-volume").inputs as typeof b;
      b.spec.claimRef.namespace = "team-a";
      b.spec.csi.volumeHandle = a.spec.csi.volumeHandle;
    }, "tenant-lustre-isolated");
    const messages = found.map((d) => `${d.resourceName}: ${d.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/^gf-dev-scheduling-team-b-lustre-volume: team-b: the volume lustre-team-b is bound to namespace team-a/));
    expect(messages).toContainEqual(expect.stringMatching(/^gf-dev-scheduling-team-a-lustre-volume: team-a: the volume handle .* is shared with lustre-team-b/));
  });

  it("a tenant's access policy scoped to the whole cluster", async () => {
    const { found } = await refused((s) => {
      resource(s, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "team-a-access-policy").inputs.accessScope = { type: "cluster" };
    }, "tenant-namespace-isolated");
    expect(found.map((d) => `${d.resourceName}: ${d.message}`)).toEqual([expect.stringMatching(/^gf-dev-scheduling-team-a-access-policy: team-a: .* gives the tenant's role the whole cluster/)]);
  });

  it("a tenant's pods without their way to the API server", async () => {
    const { found } = await refused((s) => {
      const spec = (resource(s, NETWORK_POLICY, "team-a-network-policy").inputs as { spec: { egress: { ports?: { port: number }[]; to: { ipBlock?: { cidr: string } }[] }[] } }).spec;
      spec.egress = spec.egress.filter((r) => !r.to.some((p) => p.ipBlock?.cidr.endsWith("/32") && r.ports?.[0]?.port === 443));
    }, "tenant-pods-reach-services");
    expect(found.map((d) => d.message)).toContainEqual(expect.stringMatching(/^team-a: a pod at [\d.]+ cannot reach the API server's Service address \(172\.20\.0\.1\) on TCP 443/));
    expect(found[0].resourceName).toBe("gf-dev-scheduling-team-a-network-policy");
  });

  it("the deploy runner without its rule into the API server", async () => {
    const { found } = await refused((s) => without(s, resource(s, INGRESS, "access-sg-api-in-0")), "deploy-path-reaches-api");
    expect(found.map((d) => `${d.resourceName}: ${d.message}`)).toEqual([expect.stringMatching(/^gf-dev-access-runner: no inbound rule of gf-dev-access-sg-api \(sg-\w+\), the cluster security group of gf-dev-cluster-eks \(sg-\w+\) admits TCP 443 from the deploy runner/)]);
  });

  it("GPU nodes without the endpoints' rule, or Lustre's", async () => {
    const endpoints = await refused((s) => without(s, resource(s, INGRESS, "net-sg-endpoints-in-0")), "gpu-nodes-reach-services");
    expect(endpoints.found.map((d) => d.message)).toContainEqual(expect.stringMatching(/^no inbound rule of gf-dev-net-sg-endpoints \(sg-\w+\) admits TCP 443 from the nodes of gf-dev-try-su001-ng to the sts endpoint/));
    const lustre = await refused((s) => without(s, resource(s, INGRESS, "data-sg-lustre-in-3")), "gpu-nodes-reach-services");
    expect(lustre.found.map((d) => `${d.resourceName}: ${d.message}`)).toContainEqual(expect.stringMatching(/^gf-dev-data-lustre: no inbound rule of gf-dev-data-sg-lustre .* admits TCP 1018 from the nodes of gf-dev-try-su001-ng/));
  });

  it("cannot prove what it cannot read: a managed policy outside the catalog on a tenant's role", async () => {
    const { found } = await refused((s) => {
      const role = resource(s, ROLE, "team-b-workload-role");
      s.resources.push({ ...structuredClone(resource(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "cluster-node-role-AmazonEKSWorkerNodePolicy")), urn: `${role.urn}-admin`, name: "team-b-admin", inputs: { role: "gf-dev-team-b-workload", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }, dependencies: [role.urn] });
    }, "tenant-s3-isolated");
    expect(found.map((d) => d.message)).toContainEqual(expect.stringMatching(/^cannot prove gf-dev-team-b-workload stays out of team-a's data: its attached arn:aws:iam::aws:policy\/AdministratorAccess cannot be read/));
  });
});
