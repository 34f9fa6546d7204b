import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Blueprint } from "../../core/blueprint/types";
import { lustreStorageClass } from "../../core/render/kubernetes/tenants/lustre-share";
import { kueueClusterObjects } from "../../core/render/kubernetes/kueue-objects";
import { ClusterAddons } from "./cluster-addons";
import { KueueObjects } from "./kueue";
import { TrainingOperators } from "./training-operators";
import { controllerSizing } from "../../core/blueprint/controller-sizing";
import { chartVersions } from "../../core/blueprint/charts";
import { systemPoolAdmission } from "../../core/render/kubernetes/system-pool-admission";
import { acceptanceQueueObjects } from "../../core/render/kubernetes/acceptance-queue";
import { customResource } from "../kubernetes-object";

export interface FactorySchedulingArgs {
  blueprint: Blueprint;
  /** The spec's priority classes (name → value). */
  priorities: Readonly<Record<string, number>>;
  /** The registry every chart and image comes from (the factory's ECR, or an on-premises registry). */
  registry: pulumi.Input<string>;
  /** Install cert-manager, for a chart that needs it (Slurm's operator, docs/sources.md#slinky-slurm-operator). */
  certManager?: boolean;
  /** The factory has a Lustre file system: the FSx CSI driver, and the storage class the tenants' shares bind with. */
  lustre?: boolean;
  /** What must exist before the charts install: nodes for their controllers, the registry's mirrored repositories. */
  requires: pulumi.Resource[];
}

export const SCHEDULING_TYPE = "gigafactory:kubernetes:Scheduling";

/**
 * Kubernetes scheduling for the factory's tenants, in the cluster only: the add-ons (GPU operator, EFA plugin,
 * Kueue, JobSet, and the FSx CSI driver with Lustre), the MPI operator, Kueue's topology, flavors, cohort and priorities, the storage class
 * of the tenants' Lustre shares, and the admission policy that keeps tenants' pods off the system pool. It reads the blueprint and the registry, and takes the Kubernetes provider from its
 * options; the tenants are the factory's own children (components/tenants).
 */
export class FactoryScheduling extends pulumi.ComponentResource {
  readonly addons: ClusterAddons;
  readonly kueue: KueueObjects;
  readonly trainingOperators: TrainingOperators;

  constructor(name: string, args: FactorySchedulingArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SCHEDULING_TYPE, name, {}, opts);
    const { blueprint } = args;
    const controllers = controllerSizing(blueprint);
    this.addons = new ClusterAddons(
      `${name}-addons`,
      {
        pools: blueprint.pools,
        registry: args.registry,
        certManager: args.certManager,
        lustreRegion: args.lustre ? blueprint.region : undefined,
        controllers,
        chartVersions: chartVersions(blueprint.charts),
      },
      { parent: this, dependsOn: args.requires },
    );
    this.trainingOperators = new TrainingOperators(`${name}-training`, { registry: args.registry, controllers }, { parent: this, dependsOn: args.requires });
    this.kueue = new KueueObjects(`${name}-kueue`, { objects: kueueClusterObjects(blueprint, args.priorities), kueue: this.addons.kueue }, { parent: this });
    // Tenants' pods stay off the system pool whatever they declare (system-pool-admission.ts).
    const [policy, binding] = systemPoolAdmission();
    const admission = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(`${name}-system-pool-admission`, policy as unknown as k8s.admissionregistration.v1.ValidatingAdmissionPolicyArgs, { parent: this });
    new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(`${name}-system-pool-admission-binding`, binding as unknown as k8s.admissionregistration.v1.ValidatingAdmissionPolicyBindingArgs, { parent: this, dependsOn: [admission] });
    // The operator's acceptance MPIJobs: a namespace and a queue of the platform's (kubernetes/acceptance-queue.ts).
    const [namespace, networkPolicy, clusterQueue, localQueue, podPolicy, podPolicyBinding] = acceptanceQueueObjects(blueprint);
    const podAdmission = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(`${name}-acceptance-admission`, podPolicy as unknown as k8s.admissionregistration.v1.ValidatingAdmissionPolicyArgs, { parent: this });
    const podAdmissionBinding = new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(`${name}-acceptance-admission-binding`, podPolicyBinding as unknown as k8s.admissionregistration.v1.ValidatingAdmissionPolicyBindingArgs, { parent: this, dependsOn: [podAdmission] });
    // The policy holds before the namespace can take a pod.
    const acceptance = new k8s.core.v1.Namespace(`${name}-acceptance-namespace`, namespace as unknown as k8s.core.v1.NamespaceArgs, { parent: this, dependsOn: [podAdmissionBinding] });
    new k8s.networking.v1.NetworkPolicy(`${name}-acceptance-network-policy`, networkPolicy as unknown as k8s.networking.v1.NetworkPolicyArgs, { parent: this, dependsOn: [acceptance] });
    const queue = customResource(`${name}-acceptance-clusterqueue`, clusterQueue, { parent: this, dependsOn: [this.addons.kueue, ...this.kueue.resources] });
    customResource(`${name}-acceptance-localqueue`, localQueue, { parent: this, dependsOn: [queue, acceptance] });
    if (args.lustre) {
      new k8s.storage.v1.StorageClass(`${name}-lustre-class`, lustreStorageClass() as unknown as k8s.storage.v1.StorageClassArgs, { parent: this });
    }
    this.registerOutputs({});
  }
}
