// The factory is deployed as five Pulumi stacks, one per layer, each its own project beside the others
// (`layers/<layer>/Pulumi.yaml`), all reading the same stack file. Lower layers change rarely and hold the state
// that must never be lost; a new tenant or a resized pool reaches only the layers above the data.

export const LAYERS = ["foundation", "data", "compute", "platform", "tenants"] as const;
export type LayerName = (typeof LAYERS)[number];

export const LAYER_PURPOSE: Readonly<Record<LayerName, string>> = {
  foundation: "network, keys, registry, the deploy path into the cluster, quota requests",
  data: "the shared file system, buckets, Slurm's accounting database and secrets",
  compute: "the EKS control plane, its add-ons, the system and GPU node groups",
  platform: "in-cluster add-ons, Kueue, Slurm on Kubernetes, observability",
  tenants: "everything of one tenant: namespace, queues, share, role, access entry, key, access points",
};

/** The layers that put objects into the cluster: deployed from inside the VPC (the runner) or an operator network. */
export const IN_CLUSTER_LAYERS: readonly LayerName[] = ["platform", "tenants"];
/** Where the layers' projects live, beside the project that holds the stack files. */
export const LAYERS_FOLDER = "layers";

export function isLayer(value: string): value is LayerName {
  return (LAYERS as readonly string[]).includes(value);
}

/** The Pulumi project of a layer: `gigafactory` → `gigafactory-compute`. */
export function layerProject(baseProject: string, layer: LayerName): string {
  return `${baseProject}-${layer}`;
}

/** `organization/gigafactory-data/gigafactory`: the fully qualified name a stack reference takes. */
export function layerStackName(organization: string, baseProject: string, layer: LayerName, stack: string): string {
  return `${organization}/${layerProject(baseProject, layer)}/${stack}`;
}
