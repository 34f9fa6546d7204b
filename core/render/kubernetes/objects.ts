import { stringify } from "yaml";
import type { Blueprint } from "../../blueprint/types";
import { REGISTRY_VARIABLE, type RenderedFile } from "../files";
import { controllerSizing } from "../../blueprint/controller-sizing";
import { resourcesOf } from "./addon-values";
import { mpiOperatorObjects } from "./training-operators";
import { tenantTrainingExample } from "./tenants/training-example";
import { tenancyContext, tenantObjectList, tenantObjects } from "./tenants/objects";
import { kueueClusterObjects } from "./kueue-objects";
import { acceptanceQueueObjects } from "./acceptance-queue";
import { systemPoolAdmission } from "./system-pool-admission";
import { objectKey, type KubernetesObject } from "./objects-types";

// Every Kubernetes object the factory declares (besides what its Helm charts install), from the blueprint and
// the spec's priorities: the input the in-cluster components take, so the same objects can be applied to an
// on-premises cluster. `gigafactory render` writes them as YAML under kubernetes/.

export interface KubernetesInput {
  blueprint: Pick<Blueprint, "factory" | "pools" | "tenants" | "topology" | "network" | "cluster" | "nodes" | "totalGpus"> & { system?: Pick<Blueprint["system"], "scaling"> };
  /** The spec's priority classes (name → value): Kueue WorkloadPriorityClasses, Slurm QOS priorities. */
  priorities: Readonly<Record<string, number>>;
}

export const KUBERNETES_DIR = "kubernetes";

/** The cluster-wide objects (Kueue's topology, flavors, cohort, priority classes, the system pool's admission policy), the MPI operator's, then each tenant's. */
export function kubernetesObjects(input: KubernetesInput): { cluster: KubernetesObject[]; operators: KubernetesObject[]; tenants: Map<string, KubernetesObject[]> } {
  const ctx = tenancyContext(input.blueprint);
  const tenants = new Map(input.blueprint.tenants.map((t) => [t.name, tenantObjectList(tenantObjects(input.blueprint, t, ctx))]));
  const operators = mpiOperatorObjects(REGISTRY_VARIABLE, resourcesOf(controllerSizing(input.blueprint).mpiOperator));
  return { cluster: [...kueueClusterObjects(input.blueprint, input.priorities), ...systemPoolAdmission(), ...acceptanceQueueObjects(input.blueprint)], operators, tenants };
}

/** Objects as one multi-document YAML file, in order. */
export function yamlDocuments(objects: readonly KubernetesObject[]): string {
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`).join("");
}

/**
 * kubernetes/kueue.yaml with the cluster-wide objects, kubernetes/mpi-operator.yaml, and kubernetes/tenants/<name>.yaml per tenant. A reader
 * or `kubectl apply --dry-run=server -R -f kubernetes/` takes them as they are deployed.
 */
export function renderKubernetes(input: KubernetesInput): RenderedFile[] {
  const { cluster, operators, tenants } = kubernetesObjects(input);
  const keys = new Set<string>();
  for (const o of [cluster, operators, ...tenants.values()].flat()) {
    const key = objectKey(o);
    if (keys.has(key)) throw new Error(`${key} is declared twice`);
    keys.add(key);
  }
  return [
    { path: `${KUBERNETES_DIR}/kueue.yaml`, content: yamlDocuments(cluster) },
    // The MPI operator without its CRD (the release's own, components/platform/crds/): apply that first.
    { path: `${KUBERNETES_DIR}/mpi-operator.yaml`, content: yamlDocuments(operators) },
    ...[...tenants].map(([name, objects]) => ({ path: `${KUBERNETES_DIR}/tenants/${name}.yaml`, content: yamlDocuments(objects) })),
    ...trainingExamples(input),
  ];
}

/** kubernetes/examples/<tenant>-training.yaml: a JobSet on the first of the tenant's pools that has nodes and GPUs. */
function trainingExamples(input: KubernetesInput): RenderedFile[] {
  return input.blueprint.tenants.flatMap((t) => {
    const pool = input.blueprint.pools.find((p) => t.pools.includes(p.name) && p.nodes > 0 && p.gpusPerNode > 0);
    if (!pool) return [];
    return [{ path: `${KUBERNETES_DIR}/examples/${t.name}-training.yaml`, content: yamlDocuments([tenantTrainingExample(input.blueprint, t, pool, Math.min(2, pool.nodes))]) }];
  });
}
