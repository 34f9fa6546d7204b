import { stringify } from "yaml";
import type { Blueprint } from "../../blueprint/types";
import type { RenderedFile } from "../files";
import { tenancyContext, tenantObjectList, tenantObjects } from "./tenants/objects";
import { kueueClusterObjects } from "./kueue-objects";
import { objectKey, type KubernetesObject } from "./objects-types";

// Every Kubernetes object the factory declares (besides what its Helm charts install), from the blueprint and
// the spec's priorities: the input the in-cluster components take, so the same objects can be applied to an
// on-premises cluster. `gigafactory render` writes them as YAML under kubernetes/.

export interface KubernetesInput {
  blueprint: Pick<Blueprint, "factory" | "pools" | "tenants" | "topology" | "network" | "cluster">;
  /** The spec's priority classes (name → value): Kueue WorkloadPriorityClasses, Slurm QOS priorities. */
  priorities: Readonly<Record<string, number>>;
}

export const KUBERNETES_DIR = "kubernetes";

/** The cluster-wide objects (Kueue's topology, flavors, cohort, priority classes), then each tenant's. */
export function kubernetesObjects(input: KubernetesInput): { cluster: KubernetesObject[]; tenants: Map<string, KubernetesObject[]> } {
  const ctx = tenancyContext(input.blueprint);
  const tenants = new Map(input.blueprint.tenants.map((t) => [t.name, tenantObjectList(tenantObjects(input.blueprint, t, ctx))]));
  return { cluster: kueueClusterObjects(input.blueprint, input.priorities), tenants };
}

/** Objects as one multi-document YAML file, in order. */
export function yamlDocuments(objects: readonly KubernetesObject[]): string {
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`).join("");
}

/**
 * kubernetes/kueue.yaml with the cluster-wide objects and kubernetes/tenants/<name>.yaml per tenant. A reader
 * or `kubectl apply --dry-run=server -R -f kubernetes/` takes them as they are deployed.
 */
export function renderKubernetes(input: KubernetesInput): RenderedFile[] {
  const { cluster, tenants } = kubernetesObjects(input);
  const keys = new Set<string>();
  for (const o of [cluster, ...tenants.values()].flat()) {
    const key = objectKey(o);
    if (keys.has(key)) throw new Error(`${key} is declared twice`);
    keys.add(key);
  }
  return [
    { path: `${KUBERNETES_DIR}/kueue.yaml`, content: yamlDocuments(cluster) },
    ...[...tenants].map(([name, objects]) => ({ path: `${KUBERNETES_DIR}/tenants/${name}.yaml`, content: yamlDocuments(objects) })),
  ];
}
