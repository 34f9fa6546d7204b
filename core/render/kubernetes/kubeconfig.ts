// A kubeconfig for the factory's cluster that authenticates with `aws eks get-token`: no static token
// in state, the caller's own AWS identity and the cluster's access entries decide what it may do.

export interface KubeconfigInput {
  clusterName: string;
  endpoint: string;
  /** Base64 PEM, as the EKS API returns it. */
  certificateAuthority: string;
  region: string;
}

export function kubeconfig(input: KubeconfigInput): Record<string, unknown> {
  const name = input.clusterName;
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: input.endpoint, "certificate-authority-data": input.certificateAuthority } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", name, "--region", input.region, "--output", "json"],
            interactiveMode: "Never",
          },
        },
      },
    ],
  };
}
