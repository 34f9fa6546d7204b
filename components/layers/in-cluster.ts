import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { clusterKubernetesProvider } from "../compute/kubernetes-provider";
import type { Below } from "./exports";
import type { GigaFactory } from "./root";

/** The in-cluster layers' Kubernetes provider, to the cluster the compute layer exports; named alike in each. */
export function inClusterProvider(root: GigaFactory, region: string, below: Below): KubernetesProvider {
  return clusterKubernetesProvider(
    `${root.factoryName}-cluster-k8s`,
    {
      clusterName: below.get("compute", "clusterName"),
      endpoint: below.get("compute", "endpoint"),
      certificateAuthority: below.get("compute", "certificateAuthority"),
      region,
    },
    { parent: root },
  );
}
