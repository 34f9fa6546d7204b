import type * as pulumi from "@pulumi/pulumi";
import type { KubernetesObject } from "../../core/render/kubernetes/objects-types";

/** An object whose content waits on outputs (the file system, the registry), as a resource's metadata and spec. */
export const declaredObject = (o: pulumi.Output<KubernetesObject>): { metadata: pulumi.Output<any>; spec: pulumi.Output<any> } => ({
  metadata: o.apply((x) => x.metadata),
  spec: o.apply((x) => x.spec),
});
