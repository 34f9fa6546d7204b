import { describe, expect, it } from "vitest";
import { cidr, contains, firstServiceAddress, formatCidr, overlaps } from "../../../../core/lib/cidr";
import { LABEL_TENANT } from "../../../../core/blueprint/labels";
import { tenancyContext, tenantObjects } from "../../../../core/render/kubernetes/tenants/objects";
import { DNS_NAMESPACE, TENANT_METRICS_PORT } from "../../../../core/render/kubernetes/tenants/network-policy";
import { evaluateFlow, type Endpoint, type Flow, type NetworkPolicyObject } from "../../../../policies/lib/network-policy";
import { designedStack } from "../../../fixtures/kubernetes/stacks";

// The tenants' NetworkPolicies of the gigafactory stack, asked flow by flow as the cluster's policy agent would
// decide them: a training job's pods reach each other, DNS, the API server and the VPC's endpoints; the collector
// scrapes them; no other tenant reaches them or is reached by them, though both share the GPU subnets.

const { blueprint } = designedStack("gigafactory");
const ctx = tenancyContext(blueprint);
const [a, b] = blueprint.tenants;
const policies = blueprint.tenants.slice(0, 4).map((t) => tenantObjects(blueprint, t, ctx).networkPolicy as unknown as NetworkPolicyObject);

/** The n-th address of the first subnet of a role. */
function addressIn(role: string, n: number): string {
  const subnet = blueprint.network.subnets.find((s) => s.role === role)!;
  return formatCidr({ base: cidr(subnet.cidr).base + n, prefix: 32 }).replace(/\/32$/, "");
}

const namespaceLabels = (ns: string) => ({ "kubernetes.io/metadata.name": ns, [LABEL_TENANT]: ns });
const pod = (namespace: string, ip: string, labels: Record<string, string> = {}): Endpoint => ({ ip, pod: { namespace, labels, namespaceLabels: namespaceLabels(namespace) } });
// Prefix delegation: pods of both tenants take addresses from the same GPU subnet, even the same node's prefix.
const rankA0 = pod(a.name, addressIn("gpu", 20), { "training.kubeflow.org/job-role": "launcher" });
const rankA1 = pod(a.name, addressIn("gpu", 21));
const rankB = pod(b.name, addressIn("gpu", 22));
const dns: Endpoint = { ip: addressIn("system", 30), pod: { namespace: DNS_NAMESPACE, labels: { "k8s-app": "kube-dns" }, namespaceLabels: { "kubernetes.io/metadata.name": DNS_NAMESPACE } } };
const apiService: Endpoint = { ip: firstServiceAddress(blueprint.cluster.serviceCidr!) };
const controlPlaneEni: Endpoint = { ip: addressIn("system", 9) };
const stsEndpoint: Endpoint = { ip: addressIn("endpoints", 11) };
const scraper: Endpoint = { ip: addressIn("system", 40) };
const podIdentityAgent: Endpoint = { ip: "169.254.170.23" };
const instanceMetadata: Endpoint = { ip: "169.254.169.254" };

const tcp = (from: Endpoint, to: Endpoint, port: number): Flow => ({ from, to, protocol: "TCP", port });

/** What a multi-node training job needs, each with the reason. */
const NEEDED: [string, Flow][] = [
  ["ranks of one job, torch-elastic rendezvous", tcp(rankA0, rankA1, 29500)],
  ["MPI launcher to its workers over ssh", tcp(rankA0, rankA1, 22)],
  ["DNS over UDP", { ...tcp(rankA0, dns, 53), protocol: "UDP" }],
  ["kubectl and operators' clients through the kubernetes Service", tcp(rankA0, apiService, 443)],
  ["the API server's interfaces, after the Service's translation", tcp(rankA0, controlPlaneEni, 443)],
  ["STS (and KMS, ECR, Logs) through their interface endpoints", tcp(rankA0, stsEndpoint, 443)],
  ["the node's Pod Identity agent, for the pod's AWS credentials", tcp(rankA0, podIdentityAgent, 80)],
  ["the managed collector scrapes the pod's metrics", tcp(scraper, rankA1, TENANT_METRICS_PORT)],
];

const REFUSED: [string, Flow][] = [
  ["another tenant's pod in the same GPU subnet, on any port", tcp(rankA0, rankB, 29500)],
  ["another tenant's pod reaching in", tcp(rankB, rankA1, 22)],
  ["another tenant's pod on the metrics port", tcp(rankB, rankA1, TENANT_METRICS_PORT)],
  ["another tenant's pod on 443", tcp(rankA0, rankB, 443)],
  ["the instance metadata service", tcp(rankA0, instanceMetadata, 80)],
  ["the system subnets on any port but 443", tcp(rankA0, controlPlaneEni, 10250)],
  ["the endpoints on plain HTTP", tcp(rankA0, stsEndpoint, 80)],
  ["the collector's subnet on another port", tcp(scraper, rankA1, 22)],
];

describe("a tenant's network policy, flow by flow", () => {
  for (const [why, flow] of NEEDED) {
    it(`lets through: ${why}`, () => expect(evaluateFlow(policies, flow)).toMatchObject({ allowed: true }));
  }
  for (const [why, flow] of REFUSED) {
    it(`refuses: ${why}`, () => expect(evaluateFlow(policies, flow).allowed).toBe(false));
  }

  it("needs every rule it has: without any one of them, a flow a training job needs is refused", () => {
    const own = policies[0];
    for (const direction of ["ingress", "egress"] as const) {
      own.spec[direction]!.forEach((_, i) => {
        const cut: NetworkPolicyObject = { ...own, spec: { ...own.spec, [direction]: own.spec[direction]!.filter((__, j) => j !== i) } };
        const broken = NEEDED.filter(([, flow]) => !evaluateFlow([cut, ...policies.slice(1)], flow).allowed);
        expect(broken.length, `${direction}[${i}]`).toBeGreaterThan(0);
      });
    }
  });

  it("never opens a GPU subnet: pods of several tenants live there", () => {
    const spec = policies[0].spec;
    const blocks = [...(spec.ingress ?? []).flatMap((r) => r.from ?? []), ...(spec.egress ?? []).flatMap((r) => r.to ?? [])].flatMap((p) => (p.ipBlock ? [p.ipBlock] : []));
    const gpu = blueprint.network.subnets.filter((x) => x.role === "gpu").map((x) => cidr(x.cidr));
    for (const block of blocks) {
      const range = cidr(block.cidr);
      const excepted = (block.except ?? []).map(cidr);
      for (const subnet of gpu.filter((g) => overlaps(g, range))) expect(excepted.some((e) => contains(e, subnet)), `${block.cidr} opens ${formatCidr(subnet)}`).toBe(true);
    }
  });
});
