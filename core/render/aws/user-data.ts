import { parse } from "yaml";
import { lustreMountScript, type LustreMount } from "./lustre-mount";
import { nodeLabelsFlag, taintsFlag, type Taint } from "../../blueprint/labels";
import type { KubeletReserved } from "../../blueprint/kubelet-reserved";

// nodeadm user data for AL2023 nodes (docs/sources.md#eks-ami [P]; EKS launch templates,
// "Amazon Linux 2023 user data" [P]): a MIME multi-part document with one `application/node.eks.aws` part
// holding a NodeConfig. With an AMI of our own EKS merges nothing, so the NodeConfig carries everything
// the node needs to join: the cluster's endpoint, certificate authority and service CIDR. A node that mounts the
// factory's Lustre file system gets a second, `text/x-shellscript` part, which cloud-init runs at boot.

export const NODEADM_API_VERSION = "node.eks.aws/v1alpha1";
export const NODEADM_CONTENT_TYPE = "application/node.eks.aws";
export const SHELL_CONTENT_TYPE = "text/x-shellscript";
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
  /** What the kubelet reserves for itself and the node's daemons, and when it evicts (GPU nodes). */
  reserved?: KubeletReserved;
  /** Stripe the instance's NVMe drives into one RAID0 volume for kubelet and containerd (nodeadm localStorage). */
  stripeLocalNvme: boolean;
  /** The factory's Lustre file system, mounted at boot (GPU nodes; the system pool has no use for it). */
  lustre?: LustreMount;
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
    kubelet: { config: { maxPods: node.maxPods, ...(node.reserved ?? {}) }, flags },
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
  const parts = [[`Content-Type: ${NODEADM_CONTENT_TYPE}`, "", "---", document.trimEnd()]];
  if (node.lustre) parts.push([`Content-Type: ${SHELL_CONTENT_TYPE}; charset="us-ascii"`, "", lustreMountScript(node.lustre).trimEnd()]);
  return [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
    "",
    ...parts.flatMap((part) => [`--${BOUNDARY}`, ...part, ""]),
    `--${BOUNDARY}--`,
    "",
  ].join("\n");
}

/** The user data as a launch template takes it: base64. */
export function userDataBase64(cluster: ClusterJoin, node: NodeSettings): string {
  return Buffer.from(renderUserData(cluster, node), "utf8").toString("base64");
}

/** The body of the user data's part of one content type, or undefined. */
function userDataPart(base64: string, contentType: string): string | undefined {
  const text = Buffer.from(base64, "base64").toString("utf8");
  const part = text.split(`--${BOUNDARY}`).find((p) => p.startsWith(`\nContent-Type: ${contentType}`));
  if (part === undefined) return undefined;
  return part.slice(part.indexOf("\n\n") + 2);
}

/** The NodeConfig back out of user data (for tests and policies that read a launch template). */
export function parseUserData(base64: string): Record<string, unknown> | undefined {
  const body = userDataPart(base64, NODEADM_CONTENT_TYPE);
  return body === undefined ? undefined : (parse(body.replace(/^---\n/, "")) as Record<string, unknown>);
}

/** The boot script back out of user data, or undefined when the node runs none. */
export function userDataScript(base64: string): string | undefined {
  return userDataPart(base64, SHELL_CONTENT_TYPE)?.trimEnd();
}
