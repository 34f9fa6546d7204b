import type * as pulumi from "@pulumi/pulumi";
// The provider module alone: the package index loads every Kubernetes type (~250 ms of each plan).
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumiRuntime from "@pulumi/pulumi";
import { kubeconfig } from "../../core/render/kubernetes/kubeconfig";

export interface ClusterConnection {
  clusterName: pulumi.Input<string>;
  endpoint: pulumi.Input<string>;
  /** Base64 PEM, as the EKS API returns it. */
  certificateAuthority: pulumi.Input<string>;
  region: string;
}

/**
 * A Kubernetes provider for the factory's cluster that authenticates as whoever deploys (`aws eks get-token`): the
 * deploy runner's role or an operator's, each through its access entry. No token is kept in state.
 */
export function clusterKubernetesProvider(name: string, c: ClusterConnection, opts: pulumi.CustomResourceOptions): KubernetesProvider {
  return new KubernetesProvider(
    name,
    {
      kubeconfig: pulumiRuntime
        .all([c.clusterName, c.endpoint, c.certificateAuthority])
        .apply(([clusterName, endpoint, certificateAuthority]) => JSON.stringify(kubeconfig({ clusterName, endpoint, certificateAuthority, region: c.region }))),
      enableServerSideApply: true,
    },
    opts,
  );
}
