import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesObject } from "../../core/render/kubernetes/objects-types";
import { customResource } from "../kubernetes-object";

export interface KueueObjectsArgs {
  /** The cluster-wide Kueue objects (kueue-objects.ts kueueClusterObjects). */
  objects: KubernetesObject[];
  /** Kueue's release: its chart brings the CRDs and the webhooks that check these objects. */
  kueue: pulumi.Resource;
}

/** Kueue's topology, flavors, cohort and priority classes in the cluster. In-cluster only. */
export class KueueObjects extends pulumi.ComponentResource {
  readonly resources: k8s.apiextensions.CustomResource[];

  constructor(name: string, args: KueueObjectsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:kubernetes:KueueObjects", name, {}, opts);
    this.resources = args.objects.map((o) =>
      customResource(`${name}-${o.kind.toLowerCase()}-${o.metadata.name}`, o, { parent: this, dependsOn: [args.kueue] }),
    );
    this.registerOutputs({});
  }
}
