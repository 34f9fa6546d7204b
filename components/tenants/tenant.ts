import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Blueprint, PoolPlan, TenantPlan } from "../../core/blueprint/types";
import { slinkyEndpoints, tenantSlurmAccountCronJob } from "../../core/render/slurm/accounts-job";
import { tenantIdentityPatch } from "../../core/render/slurm/identity";
import { SLURM_CHART } from "../../core/catalog/slinky-charts";
import { imageReference } from "../../core/catalog/images";
import { SIDECAR_IMAGE } from "../../core/catalog/slinky-charts";
import type { KubernetesObject } from "../../core/render/kubernetes/objects-types";
import { tenantLustreObjects, tenantShareJob, type LustreShareSource } from "../../core/render/kubernetes/tenants/lustre-share";
import type { TenantObjects } from "../../core/render/kubernetes/tenants/objects";
import { customResource, declaredObject } from "../kubernetes-object";

export interface TenantArgs {
  tenant: TenantPlan;
  /** The tenant's in-cluster objects (objects.ts tenantObjects), declared as they are. */
  objects: TenantObjects;
  /** Kueue's release, where it is in the same stack: the queues need its CRDs and webhooks (a lower layer's are there already). */
  kueue?: pulumi.Resource;
  /** The factory's Lustre file system: the tenant gets a share of it, mounted by its pods through one claim. */
  lustre?: TenantLustreArgs;
  /** The factory's Slurm: the tenant's account and users are loaded into its slurmdbd. */
  slurm?: TenantSlurmArgs;
}

export interface TenantSlurmArgs {
  blueprint: Pick<Blueprint, "factory" | "pools">;
  /** The registry the sacctmgr image comes from. */
  registry: pulumi.Input<string>;
  /** Slurm's release, where it is declared in the same program: its namespace, key and slurmdbd come first. */
  requires?: pulumi.Resource[];
}

export interface TenantLustreArgs {
  source: pulumi.Input<LustreShareSource>;
  /** The factory's pools, for the nodes the share's Job may run on. */
  pools: readonly Pick<PoolPlan, "name" | "instanceType">[];
  /** The registry the Job's small image comes from. */
  registry: pulumi.Input<string>;
}

/**
 * One tenant of the factory, in the cluster: its namespace, quota, defaults, network policy, workload ServiceAccount,
 * Roles and RoleBindings, ClusterQueue and LocalQueue, and its share of the Lustre file system. It takes the Kubernetes provider from its options and nothing
 * of AWS; on EKS the factory declares the tenant's AWS access under it (tenant-access.ts).
 */
export class Tenant extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;

  constructor(name: string, args: TenantArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:tenancy:Tenant", name, {}, opts);
    const { objects } = args;
    const asArgs = (o: KubernetesObject) => o as Record<string, unknown>;
    this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, asArgs(objects.namespace), { parent: this });
    const inNamespace = { parent: this, dependsOn: [this.namespace] };
    new k8s.core.v1.ResourceQuota(`${name}-quota`, asArgs(objects.resourceQuota), inNamespace);
    new k8s.core.v1.LimitRange(`${name}-limits`, asArgs(objects.limitRange), inNamespace);
    new k8s.networking.v1.NetworkPolicy(`${name}-network-policy`, asArgs(objects.networkPolicy), inNamespace);
    new k8s.core.v1.ServiceAccount(`${name}-workload-account`, asArgs(objects.serviceAccount), inNamespace);
    const roles = objects.roles.map((r) => new k8s.rbac.v1.Role(`${name}-role-${r.metadata.name}`, asArgs(r), inNamespace));
    for (const b of objects.roleBindings) new k8s.rbac.v1.RoleBinding(`${name}-binding-${b.metadata.name}`, b as unknown as k8s.rbac.v1.RoleBindingArgs, { parent: this, dependsOn: [this.namespace, ...roles] });
    const queue = customResource(`${name}-cluster-queue`, objects.clusterQueue, { parent: this, dependsOn: args.kueue ? [args.kueue] : [] });
    customResource(`${name}-local-queue`, objects.localQueue, { parent: this, dependsOn: [this.namespace, queue] });

    if (args.lustre) this.lustreShare(name, args.tenant, args.lustre);
    if (args.slurm) this.slurmAccount(name, args.tenant, args.slurm);
    this.registerOutputs({ namespace: objects.namespace.metadata.name });
  }

  /**
   * The tenant's Slurm account and users, loaded by a CronJob of its own in Slurm's namespace (accounts-job.ts), and
   * its users' POSIX accounts and keys, its own keys of the shared identity ConfigMap (identity.ts) by server-side
   * apply: deleting the tenant removes them and touches no other tenant's.
   */
  private slurmAccount(name: string, tenant: TenantPlan, slurm: TenantSlurmArgs): void {
    const cronJob = pulumi.output(slurm.registry).apply((registry) => tenantSlurmAccountCronJob(slurm.blueprint, tenant, slinkyEndpoints(registry)));
    new k8s.batch.v1.CronJob(`${name}-slurm-account`, declaredObject(cronJob), { parent: this, dependsOn: slurm.requires ?? [] });
    if (tenant.users.length === 0) return;
    new k8s.core.v1.ConfigMapPatch(`${name}-slurm-identity`, tenantIdentityPatch(tenant, SLURM_CHART.namespace) as unknown as k8s.core.v1.ConfigMapPatchArgs, {
      parent: this,
      dependsOn: slurm.requires ?? [],
    });
  }

  /** The share's directory (made and kept by a CronJob), its volume bound to the tenant's one claim, and the claim. */
  private lustreShare(name: string, tenant: TenantPlan, lustre: TenantLustreArgs): void {
    const objects = pulumi.output(lustre.source).apply((fs) => tenantLustreObjects(tenant, fs));
    const job = pulumi
      .all([lustre.registry, lustre.source])
      .apply(([registry, fs]) => tenantShareJob(tenant, lustre.pools, imageReference(registry, SIDECAR_IMAGE), fs.capacityGiB));
    new k8s.batch.v1.CronJob(`${name}-lustre-share`, declaredObject(job), { parent: this });
    // The tenant's data lives on the file system, not in these objects; still, losing the binding unmounts every pod.
    const volume = new k8s.core.v1.PersistentVolume(`${name}-lustre-volume`, declaredObject(objects.apply((o) => o.persistentVolume)), {
      parent: this,
      protect: true,
      retainOnDelete: true,
    });
    new k8s.core.v1.PersistentVolumeClaim(`${name}-lustre-claim`, declaredObject(objects.apply((o) => o.persistentVolumeClaim)), {
      parent: this,
      dependsOn: [this.namespace, volume],
      protect: true,
      retainOnDelete: true,
    });
  }
}
