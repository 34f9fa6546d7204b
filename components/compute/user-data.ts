import { parse } from "yaml";
import { nodeLabelsFlag, taintsFlag, type Taint } from "./labels";

// nodeadm user data for AL2023 nodes (DOMAIN.md "EKS"; DOMAIN-REFERENCE.md C.5 [P]; EKS launch templates,
// "Amazon Linux 2023 user data" [P]): a MIME multi-part document with one `application/node.eks.aws` part
// holding a NodeConfig. With an AMI of our own EKS merges nothing, so the NodeConfig carries everything
// the node needs to join: the cluster's endpoint, certificate authority and service CIDR.

export const NODEADM_API_VERSION = "node.eks.aws/v1alpha1";
export const NODEADM_CONTENT_TYPE = "application/node.eks.aws";
const BOUNDARY = "GIGAFACTORY";

/** What a node needs from the cluster to join it without asking the EKS API (no DescribeCluster at scale). */
export interface ClusterJoin {
  name: string;
  apiServerEndpoint: string;
  /** Base64 PEM, as DescribeCluster returns it. */
  certificateAuthority: string;
  serviceCidr: string;
}

export interface NodeSettings {
  maxPods: number;
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  /** Stripe the instance's NVMe drives into one RAID0 volume for kubelet and containerd (nodeadm localStorage). */
  stripeLocalNvme: boolean;
}

export function nodeConfig(cluster: ClusterJoin, node: NodeSettings): Record<string, unknown> {
  const flags = [nodeLabelsFlag(node.labels)];
  if (node.taints.length > 0) flags.push(taintsFlag(node.taints));
  const spec: Record<string, unknown> = {
    cluster: {
      name: cluster.name,
      apiServerEndpoint: cluster.apiServerEndpoint,
      certificateAuthority: cluster.certificateAuthority,
      cidr: cluster.serviceCidr,
    },
    kubelet: { config: { maxPods: node.maxPods }, flags },
  };
  if (node.stripeLocalNvme) spec.instance = { localStorage: { strategy: "RAID0" } };
  return { apiVersion: NODEADM_API_VERSION, kind: "NodeConfig", spec };
}

/**
 * The MIME multi-part user data, as text. The NodeConfig is written as JSON, which is YAML too (nodeadm
 * reads it with a YAML parser): rendering it for hundreds of launch templates stays cheap.
 */
export function renderUserData(cluster: ClusterJoin, node: NodeSettings): string {
  const document = JSON.stringify(nodeConfig(cluster, node), null, 2);
  return [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
    "",
    `--${BOUNDARY}`,
    `Content-Type: ${NODEADM_CONTENT_TYPE}`,
    "",
    "---",
    document.trimEnd(),
    "",
    `--${BOUNDARY}--`,
    "",
  ].join("\n");
}

/** The user data as a launch template takes it: base64. */
export function userDataBase64(cluster: ClusterJoin, node: NodeSettings): string {
  return Buffer.from(renderUserData(cluster, node), "utf8").toString("base64");
}

/** The NodeConfig back out of user data (for tests and policies that read a launch template). */
export function parseUserData(base64: string): Record<string, unknown> | undefined {
  const text = Buffer.from(base64, "base64").toString("utf8");
  const start = text.indexOf(`Content-Type: ${NODEADM_CONTENT_TYPE}`);
  if (start < 0) return undefined;
  const body = text.slice(text.indexOf("\n\n", start) + 2, text.indexOf(`--${BOUNDARY}--`));
  return parse(body.replace(/^---\n/, "")) as Record<string, unknown>;
}
