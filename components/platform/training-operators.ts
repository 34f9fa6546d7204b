import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ControllerSizing } from "../../core/blueprint/controller-sizing";
import { resourcesOf } from "../../core/render/kubernetes/addon-values";
import type { KubernetesObject } from "../../core/render/kubernetes/objects-types";
import { mpiOperatorAccess, mpiOperatorDeployment } from "../../core/render/kubernetes/training-operators";
import { declaredObject } from "../kubernetes-object";

// The MPIJob CRD of the pinned MPI operator release, as the release ships it (crds/SOURCE.md).
export const MPIJOB_CRD_FILE = join(__dirname, "crds", "kubeflow.org_mpijobs.yaml");
// The same CRD less its descriptions, as JSON: what is applied. Parsing the release's 670 kB of YAML cost a
// third of a second of every plan; a test keeps this file equal to the release's (crds/SOURCE.md).
export const MPIJOB_CRD_APPLIED_FILE = join(__dirname, "crds", "kubeflow.org_mpijobs.applied.json");

export function mpiJobCrd(): KubernetesObject {
  return JSON.parse(readFileSync(MPIJOB_CRD_APPLIED_FILE, "utf8")) as KubernetesObject;
}

export interface TrainingOperatorsArgs {
  /** The registry the operator's image comes from. */
  registry: pulumi.Input<string>;
  controllers: ControllerSizing;
}

/**
 * The MPI operator (JobSet comes as a chart with the add-ons): its CRD, namespace, RBAC and controller, in the cluster
 * only. Kueue admits its MPIJobs (kueue-config.ts frameworks).
 */
export class TrainingOperators extends pulumi.ComponentResource {
  readonly mpiJobCrd: k8s.apiextensions.v1.CustomResourceDefinition;

  constructor(name: string, args: TrainingOperatorsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:kubernetes:TrainingOperators", name, {}, opts);
    const own = { parent: this };
    this.mpiJobCrd = new k8s.apiextensions.v1.CustomResourceDefinition(`${name}-mpijob-crd`, mpiJobCrd() as unknown as k8s.apiextensions.v1.CustomResourceDefinitionArgs, own);
    const [namespace, account, role, binding] = mpiOperatorAccess();
    const ns = new k8s.core.v1.Namespace(`${name}-mpi-namespace`, namespace as k8s.core.v1.NamespaceArgs, own);
    const sa = new k8s.core.v1.ServiceAccount(`${name}-mpi-account`, account as k8s.core.v1.ServiceAccountArgs, { parent: this, dependsOn: [ns] });
    const cr = new k8s.rbac.v1.ClusterRole(`${name}-mpi-role`, role as k8s.rbac.v1.ClusterRoleArgs, own);
    const crb = new k8s.rbac.v1.ClusterRoleBinding(`${name}-mpi-binding`, binding as unknown as k8s.rbac.v1.ClusterRoleBindingArgs, { parent: this, dependsOn: [cr, sa] });
    const deployment = pulumi.output(args.registry).apply((r) => mpiOperatorDeployment(r, resourcesOf(args.controllers.mpiOperator)));
    new k8s.apps.v1.Deployment(`${name}-mpi-operator`, declaredObject(deployment), { parent: this, dependsOn: [this.mpiJobCrd, crb] });
    this.registerOutputs({});
  }
}
