// A Kubernetes object as plain data: what the pure builders return, what the components declare and what
// `gigafactory render` writes, so the reviewed YAML is the deployed object.

export interface ObjectMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMetadata;
  [field: string]: unknown;
}

/** `kind/namespace/name` (or `kind/name`): unique within a factory's objects. */
export function objectKey(o: KubernetesObject): string {
  return o.metadata.namespace === undefined ? `${o.kind}/${o.metadata.name}` : `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
}
