import type { TenantPlan } from "../../../blueprint/types";
import { LABEL_TENANT } from "../../../blueprint/labels";
import { MANAGED_BY } from "../kueue-objects";
import type { KubernetesObject } from "../objects-types";
import { METRICS_NAMESPACE } from "../../../catalog/namespaces";

export { METRICS_NAMESPACE };

// One NetworkPolicy per tenant, default deny in both directions, with what must stay open:
// - the tenant's own pods, to and from each other (a distributed job's ranks and its services);
// - DNS, to the cluster's DNS pods only;
// - the metrics scraper, in from its namespace;
// - addresses outside the VPC, the cluster's Services and the instance metadata service: in a private factory
//   only the region's services through the VPC's gateway endpoints (S3, where datasets and checkpoints live)
//   and the node's Pod Identity agent (link-local) are there.
// Another tenant's pods have VPC addresses, so nothing lets one tenant reach another. EFA traffic bypasses the
// kernel and so every network policy: it is fenced by the EFA security group and placement instead.

export const NETWORK_POLICY_NAME = "tenant-isolation";
// The namespace of the Prometheus that scrapes tenants' pods: Kueue's chart assumes the same one
// (kubernetes-sigs/kueue charts/kueue values.yaml metrics.prometheusNamespace: monitoring [P]).
// CoreDNS pods as EKS's CoreDNS add-on labels them (k8s-app: kube-dns in kube-system [P]).
export const DNS_NAMESPACE = "kube-system";
export const DNS_POD_LABELS = { "k8s-app": "kube-dns" } as const;

// The instance metadata service: a tenant's pod never needs the node's identity (the node's hop limit of 1
// already keeps IMDSv2 tokens from pods; this keeps the address itself closed too).
export const INSTANCE_METADATA_CIDR = "169.254.169.254/32";

export interface NetworkPolicyContext {
  /** The VPC's CIDR blocks: every node's and pod's address is in them. */
  vpcCidrs: readonly string[];
  /** The cluster's Service range (ClusterIPs), kept out of the outside-the-VPC rule. */
  serviceCidr?: string;
  metricsNamespace?: string;
}

const namespaceNamed = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });

export function tenantNetworkPolicy(tenant: Pick<TenantPlan, "name">, ctx: NetworkPolicyContext): KubernetesObject {
  const ownPods = { podSelector: {} };
  const closed = [...ctx.vpcCidrs, ...(ctx.serviceCidr ? [ctx.serviceCidr] : []), INSTANCE_METADATA_CIDR];
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: NETWORK_POLICY_NAME, namespace: tenant.name, labels: { ...MANAGED_BY, [LABEL_TENANT]: tenant.name } },
    spec: {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [ownPods] }, { from: [{ namespaceSelector: namespaceNamed(ctx.metricsNamespace ?? METRICS_NAMESPACE) }] }],
      egress: [
        { to: [ownPods] },
        {
          to: [{ namespaceSelector: namespaceNamed(DNS_NAMESPACE), podSelector: { matchLabels: { ...DNS_POD_LABELS } } }],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
        { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: closed } }] },
      ],
    },
  };
}
