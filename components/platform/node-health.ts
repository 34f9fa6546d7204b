import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Blueprint } from "../../core/blueprint/types";
import type { ImageRef } from "../../core/render/image/slurmd-recipe";
import { nodeHealthObjects } from "../../core/render/health/node-agent";
import type { KubernetesObject } from "../../core/render/kubernetes/objects-types";
import { declaredObject } from "../kubernetes-object";

export interface NodeHealthArgs {
  blueprint: Pick<Blueprint, "factory" | "pools" | "nodeGroups" | "units">;
  /** The factory's registry: the kubectl and node exporter images come from it. */
  registry: pulumi.Input<string>;
  /** The factory's slurmd image by tag and digest, as the NodeSets run it (components/layers/slurmd-image-ref.ts). */
  slurmdImage: pulumi.Input<ImageRef>;
}

/**
 * The node-health agent (core/render/health/node-agent.ts) on every GPU node: its checks in the factory's slurmd image,
 * the taint that keeps Kueue's and the scheduler's pods off a failing node, and the report slurmd's health programs
 * read (slinky-gate.ts), without which Slurm drains every node.
 */
export class NodeHealth extends pulumi.ComponentResource {
  readonly daemonSet: k8s.apps.v1.DaemonSet;

  constructor(name: string, args: NodeHealthArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:platform:NodeHealth", name, {}, opts);
    const objects = pulumi.all([args.registry, args.slurmdImage]).apply(([registry, image]) => nodeHealthObjects(args.blueprint, registry, image));
    // Everything but the DaemonSet is a pure function of the blueprint: declared as is, so a preview shows it whole.
    const [namespace, account, role, binding, scripts] = nodeHealthObjects(args.blueprint, "", { repository: "", tag: "" }) as KubernetesObject[];
    const own = { parent: this };
    const ns = new k8s.core.v1.Namespace(`${name}-namespace`, namespace as k8s.core.v1.NamespaceArgs, own);
    const inNamespace = { parent: this, dependsOn: [ns] };
    const sa = new k8s.core.v1.ServiceAccount(`${name}-account`, account as k8s.core.v1.ServiceAccountArgs, inNamespace);
    const cr = new k8s.rbac.v1.ClusterRole(`${name}-role`, role as k8s.rbac.v1.ClusterRoleArgs, own);
    const crb = new k8s.rbac.v1.ClusterRoleBinding(`${name}-binding`, binding as unknown as k8s.rbac.v1.ClusterRoleBindingArgs, { parent: this, dependsOn: [cr, sa] });
    const cm = new k8s.core.v1.ConfigMap(`${name}-scripts`, scripts as k8s.core.v1.ConfigMapArgs, inNamespace);
    const daemonSet = objects.apply((all) => all.find((o) => o.kind === "DaemonSet")!);
    this.daemonSet = new k8s.apps.v1.DaemonSet(`${name}-agent`, declaredObject(daemonSet), { parent: this, dependsOn: [cm, crb] });
    this.registerOutputs({});
  }
}
