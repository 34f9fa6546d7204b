import type { Blueprint, TenantPlan } from "../../../blueprint/types";
import { LABEL_TENANT } from "../../../blueprint/labels";
import { MANAGED_BY } from "../kueue-objects";
import type { KubernetesObject } from "../objects-types";
import { firstServiceAddress } from "../../../lib/cidr";

// One NetworkPolicy per tenant, default deny in both directions, with what a training job needs open:
// - the tenant's own pods, to and from each other on every port (ranks, rendezvous, MPI's launcher and workers);
// - DNS, to the cluster's DNS pods only;
// - the API server on 443: the `kubernetes` Service's address and the control plane's network interfaces, which EKS
//   places in the cluster's (system) subnets and whose addresses change with the control plane, so the subnets are
//   named rather than the addresses (aws/aws-network-policy-agent#281: "allow the subnet" [S]);
// - the VPC's interface endpoints (STS, KMS, ECR, Logs, ...) on 443, in the endpoint subnets, where no pod runs;
// - addresses outside the VPC, the Services and the instance metadata service: in a private factory the region's
//   services through the gateway endpoints (S3, where datasets and checkpoints live) and the node's Pod Identity
//   agent (link-local, docs/sources.md#eks-pod-identity);
// - in: the managed Prometheus collector, whose interfaces sit in the system subnets, on the tenants' metrics port.
// GPU subnets are never opened: prefix delegation puts pods of several tenants there. EFA's SRD traffic bypasses the
// kernel and so every network policy: it is fenced by the EFA security group and placement instead.

export const NETWORK_POLICY_NAME = "tenant-isolation";
// CoreDNS pods as EKS's CoreDNS add-on labels them (k8s-app: kube-dns in kube-system [P]).
export const DNS_NAMESPACE = "kube-system";
export const DNS_POD_LABELS = { "k8s-app": "kube-dns" } as const;
export const HTTPS_PORT = 443;
// The port a tenant's pod serves metrics on for the managed collector (core/render/observability/scrape.ts), the
// Prometheus server's own default [U: project choice, one port the collector and the policy agree on].
export const TENANT_METRICS_PORT = 9090;

// The instance metadata service: a tenant's pod never needs the node's identity (the node's hop limit of 1
// already keeps IMDSv2 tokens from pods; this keeps the address itself closed too).
export const INSTANCE_METADATA_CIDR = "169.254.169.254/32";

export interface NetworkPolicyContext {
  /** The VPC's CIDR blocks: every node's and pod's address is in them. */
  vpcCidrs: readonly string[];
  /** The cluster's Service range (ClusterIPs), kept out of the outside-the-VPC rule. */
  serviceCidr?: string;
  /** The subnets of the control plane's interfaces and the managed collector's (the system subnets). */
  controlPlaneCidrs: readonly string[];
  /** The subnets of the VPC's interface endpoints. */
  endpointCidrs: readonly string[];
}

export function networkPolicyContext(blueprint: Pick<Blueprint, "network" | "cluster">): NetworkPolicyContext {
  const cidrs = (role: string) => blueprint.network.subnets.filter((s) => s.role === role).map((s) => s.cidr);
  return {
    vpcCidrs: blueprint.network.vpcCidrs,
    serviceCidr: blueprint.cluster.serviceCidr ?? undefined,
    controlPlaneCidrs: cidrs("system"),
    endpointCidrs: cidrs("endpoints"),
  };
}

const namespaceNamed = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });
const tcp = (port: number) => [{ protocol: "TCP", port }];
const blocks = (cidrs: readonly string[]) => cidrs.map((cidr) => ({ ipBlock: { cidr } }));

export function tenantNetworkPolicy(tenant: Pick<TenantPlan, "name">, ctx: NetworkPolicyContext): KubernetesObject {
  const ownPods = { podSelector: {} };
  const closed = [...ctx.vpcCidrs, ...(ctx.serviceCidr ? [ctx.serviceCidr] : []), INSTANCE_METADATA_CIDR];
  // The `kubernetes` Service takes the first address of the Service range (Kubernetes "Service ClusterIP allocation" [P]).
  const apiService = ctx.serviceCidr ? [`${firstServiceAddress(ctx.serviceCidr)}/32`] : [];
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: NETWORK_POLICY_NAME, namespace: tenant.name, labels: { ...MANAGED_BY, [LABEL_TENANT]: tenant.name } },
    spec: {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [ownPods] }, ...(ctx.controlPlaneCidrs.length > 0 ? [{ from: blocks(ctx.controlPlaneCidrs), ports: tcp(TENANT_METRICS_PORT) }] : [])],
      egress: [
        { to: [ownPods] },
        {
          to: [{ namespaceSelector: namespaceNamed(DNS_NAMESPACE), podSelector: { matchLabels: { ...DNS_POD_LABELS } } }],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
        { to: blocks([...apiService, ...ctx.controlPlaneCidrs]), ports: tcp(HTTPS_PORT) },
        ...(ctx.endpointCidrs.length > 0 ? [{ to: blocks(ctx.endpointCidrs), ports: tcp(HTTPS_PORT) }] : []),
        { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: closed } }] },
      ],
    },
  };
}
