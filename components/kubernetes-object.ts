import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { KubernetesObject } from "../core/render/kubernetes/objects-types";

// How an object the pure core rendered becomes a Kubernetes resource, for every in-cluster layer (platform, tenants).

/** A Kubernetes object of a custom resource (Kueue's), declared exactly as the pure builder returned it. */
export function customResource(name: string, object: KubernetesObject, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(name, object as k8s.apiextensions.CustomResourceArgs, opts);
}

/** An object whose content waits on outputs (the file system, the registry), as a resource's metadata and spec. */
export const declaredObject = (o: pulumi.Output<KubernetesObject>): { metadata: pulumi.Output<any>; spec: pulumi.Output<any> } => ({
  metadata: o.apply((x) => x.metadata),
  spec: o.apply((x) => x.spec),
});

/** A ConfigMap whose content waits on outputs: its metadata and data. */
export const declaredConfigMap = (o: pulumi.Output<KubernetesObject>): { metadata: pulumi.Output<any>; data: pulumi.Output<any> } => ({
  metadata: o.apply((x) => x.metadata),
  data: o.apply((x) => x.data),
});
