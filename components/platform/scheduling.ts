import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Blueprint } from "../../core/blueprint/types";
import { SIDECAR_IMAGE } from "../../core/catalog/slinky-charts";
import { lustreStorageClass, type LustreShareSource } from "../../core/render/kubernetes/tenants/lustre-share";
import { Tenant, type TenantDataArgs, type TenantLustreArgs } from "../tenants/tenant";
import { tenancyContext, tenantObjects } from "../../core/render/kubernetes/tenants/objects";
import { installedCharts } from "../../core/catalog/charts";
import { ClusterAddons } from "./cluster-addons";
import { ImageSupply } from "../foundation/image-supply";
import { imageReference, mirrorCopies, type MirrorCopy } from "../../core/catalog/images";
import { KueueObjects } from "./kueue";
import { kueueClusterObjects } from "../../core/render/kubernetes/kueue-objects";

export interface FactorySchedulingArgs {
  blueprint: Blueprint;
  /** The spec's priority classes (name → value). */
  priorities: Readonly<Record<string, number>>;
  dnsSuffix: string;
  clusterName: pulumi.Input<string>;
  /** The nodes' IAM role: first pulls import images through the cache. */
  nodeRoleName: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  /** Nodes the add-ons' controllers run on, ready before the charts are installed. */
  nodes: pulumi.Resource[];
  /** Install cert-manager, for a chart that needs it (Slurm's operator, docs/sources.md#slinky-slurm-operator). */
  certManager?: boolean;
  /** The VPC and the factory's buckets: each tenant reaches its prefix of them through access points of its own. */
  data?: { vpcId: pulumi.Input<string>; buckets: TenantDataArgs["buckets"] };
  /** The factory's Lustre file system: the FSx CSI driver and each tenant's share of it. */
  lustre?: pulumi.Output<LustreShareSource>;
  /** Copies into the registry beyond the add-ons' own (Slurm's charts and images). */
  extraMirrorCopies?: readonly MirrorCopy[];
}

/**
 * Kubernetes scheduling for the factory's tenants: the image supply in the region (AWS), the add-ons (GPU
 * operator, EFA plugin, Kueue), Kueue's topology, flavors, cohort and priorities, and one Tenant per tenant.
 * The in-cluster parts read only the blueprint, the registry and the Kubernetes provider in the options.
 */
export class FactoryScheduling extends pulumi.ComponentResource {
  readonly images: ImageSupply;
  readonly addons: ClusterAddons;
  readonly kueue: KueueObjects;
  readonly tenants: Tenant[];

  constructor(name: string, args: FactorySchedulingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:kubernetes:Scheduling", name, {}, opts);
    const { blueprint } = args;
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const charts = installedCharts(blueprint.pools, { certManager: args.certManager, lustre: args.lustre !== undefined });

    this.images = new ImageSupply(
      `${name}-images`,
      {
        region: blueprint.region,
        partition: blueprint.partition,
        dnsSuffix: args.dnsSuffix,
        accountId,
        keyArn: args.keyArn,
        pullerRoleNames: [args.nodeRoleName],
        copies: [...mirrorCopies(charts.map((c) => c.chart)), ...(args.extraMirrorCopies ?? [])],
      },
      { parent: this },
    );
    this.addons = new ClusterAddons(
      `${name}-addons`,
      { pools: blueprint.pools, registry: this.images.registry, certManager: args.certManager, lustreRegion: args.lustre ? blueprint.region : undefined },
      { parent: this, dependsOn: [...args.nodes, ...this.images.repositories] },
    );
    this.kueue = new KueueObjects(`${name}-kueue`, { objects: kueueClusterObjects(blueprint, args.priorities), kueue: this.addons.kueue }, { parent: this });

    const ctx = tenancyContext(blueprint);
    const tenantAws = {
      factory: blueprint.factory,
      clusterName: args.clusterName,
      partition: blueprint.partition,
      accountId,
      data: args.data ? { region: blueprint.region, ...args.data } : undefined,
    };
    let lustre: TenantLustreArgs | undefined;
    if (args.lustre) {
      const storageClass = lustreStorageClass();
      new k8s.storage.v1.StorageClass(`${name}-lustre-class`, storageClass as unknown as k8s.storage.v1.StorageClassArgs, { parent: this });
      lustre = { source: args.lustre, pools: blueprint.pools, jobImage: this.images.registry.apply((r) => imageReference(r, SIDECAR_IMAGE)) };
    }
    this.tenants = blueprint.tenants.map(
      (tenant) =>
        new Tenant(
          `${name}-${tenant.name}`,
          { tenant, objects: tenantObjects(blueprint, tenant, ctx), kueue: this.addons.kueue, aws: tenantAws, lustre },
          { parent: this },
        ),
    );
    this.registerOutputs({ registry: this.images.registry });
  }
}
