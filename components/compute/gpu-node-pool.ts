import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PodAddressing } from "../../core/blueprint/pods";
import type { PoolPlan, ScalableUnitPlan } from "../../core/blueprint/types";
import { instanceType } from "../../core/catalog/instances";
import { amiVariant, eksAmiParameter } from "../../core/catalog/ami";
import { launchTemplateKey, unitCapacity, type UnitCapacity } from "../../core/blueprint/capacity";
import { interfaceLayout, type InterfaceSlot } from "../../core/blueprint/interfaces";
import { acceleratorTaint, nodeLabels } from "../../core/blueprint/labels";
import { launchTemplateArgs } from "./launch-template";
import { kubeletMaxPods } from "../../core/blueprint/max-pods";
import { unitNodeGroup } from "../../core/blueprint/node-group";
import type { LustreMount } from "../../core/render/aws/lustre-mount";
import { userDataBase64, type ClusterJoin, type NodeSettings } from "../../core/render/aws/user-data";

export interface GpuNodePoolArgs {
  pool: PoolPlan;
  /** The pool's scalable units, from the blueprint. */
  units: ScalableUnitPlan[];
  podAddressing: PodAddressing;
  kubernetesVersion: string;
  clusterName: pulumi.Input<string>;
  join: pulumi.Output<ClusterJoin>;
  clusterSecurityGroupId: pulumi.Input<string>;
  nodeRoleArn: pulumi.Input<string>;
  efaSecurityGroupId: pulumi.Input<string>;
  /** Subnet ids by the blueprint's subnet name. */
  subnetIds: Readonly<Record<string, pulumi.Input<string>>>;
  keyArn: pulumi.Input<string>;
  /** The spec's own labels for the pool's nodes. */
  labels: Readonly<Record<string, string>>;
  /** The pool's own tags (pool, tenant) on every resource it declares; the provider adds the factory's. */
  tags: Record<string, string>;
  /** Tags for the instances and their volumes and interfaces, which provider default tags do not reach. */
  instanceTags: Record<string, string>;
  /** What must exist before a node starts (the CNI and kube-proxy add-ons). */
  nodesDependOn: pulumi.Resource[];
  /** The factory's Lustre file system, which every node of the pool mounts at boot. */
  lustre?: pulumi.Output<LustreMount>;
}

/**
 * One GPU pool of the blueprint: per scalable unit a cluster placement group, an ODCR inside it where the
 * pool reserves, a launch template that wires every EFA interface, and a managed node group.
 */
export class GpuNodePool extends pulumi.ComponentResource {
  readonly nodeGroups: aws.eks.NodeGroup[] = [];
  readonly launchTemplates: aws.ec2.LaunchTemplate[] = [];
  readonly placementGroups: aws.ec2.PlacementGroup[] = [];
  readonly capacityReservations: aws.ec2.CapacityReservation[] = [];

  constructor(name: string, args: GpuNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:compute:GpuNodePool", name, {}, opts);
    const { pool } = args;
    const type = instanceType(pool.instanceType);
    if (!type) throw new Error(`instance type ${pool.instanceType} of pool ${pool.name} is not in the catalog`);
    const layout = interfaceLayout(type);
    if ("problem" in layout) throw new Error(layout.problem);

    // One AMI lookup for the whole pool, never one per unit.
    const imageId = aws.ssm.getParameterOutput({ name: eksAmiParameter(args.kubernetesVersion, type.architecture, amiVariant(type)) }, { parent: this }).value;
    const taints = [acceleratorTaint(type)];
    const node = (unit?: string): NodeSettings => ({
      maxPods: kubeletMaxPods(type, args.podAddressing, pool.maxPodsPerNode),
      labels: nodeLabels({ pool: pool.name, unit, tenants: pool.tenants, gpuModel: type.gpuModel, extra: args.labels }),
      taints,
      stripeLocalNvme: type.nvmeGB > 0,
    });

    const templates = new Map<string, aws.ec2.LaunchTemplate>();
    for (const unit of args.units) {
      const result = unitCapacity(pool, unit);
      if ("problem" in result) throw new Error(result.problem);
      const capacity = result.capacity;
      const role = unit.name.startsWith(`${pool.name}-`) ? unit.name.slice(pool.name.length + 1) : unit.name;

      const placementGroup = capacity.placementGroup === null
        ? undefined
        : new aws.ec2.PlacementGroup(`${name}-${role}-pg`, { name: capacity.placementGroup, strategy: "cluster", tags: args.tags }, { parent: this });
      if (placementGroup) this.placementGroups.push(placementGroup);
      const reservation = capacity.reservation === null
        ? undefined
        : new aws.ec2.CapacityReservation(
            `${name}-${role}-odcr`,
            {
              instanceType: type.name,
              instancePlatform: "Linux/UNIX",
              availabilityZone: unit.availabilityZone,
              instanceCount: capacity.reservation.instanceCount,
              instanceMatchCriteria: capacity.reservation.matchCriteria,
              placementGroupArn: placementGroup?.arn,
              endDateType: "unlimited",
              tenancy: "default",
              tags: args.tags,
            },
            { parent: this },
          );
      if (reservation) this.capacityReservations.push(reservation);

      const key = launchTemplateKey(capacity, unit.name);
      let template = templates.get(key);
      if (!template) {
        const own = key.startsWith("unit:");
        const suffix = own ? role : key === "pool" ? "" : capacity.target?.kind === "capacity-block" ? capacity.target.reservationId : key;
        template = this.launchTemplate(`${name}-lt${suffix ? `-${suffix}` : ""}`, args, {
          instanceType: type.name,
          imageId,
          interfaces: layout.slots,
          capacity,
          placementGroupName: placementGroup?.name ?? null,
          ownReservationId: reservation?.id ?? null,
          // A template of its own carries the unit label at registration; a shared one leaves it to the node group.
          node: node(own ? unit.name : undefined),
        });
        templates.set(key, template);
        this.launchTemplates.push(template);
      }

      const plan = unitNodeGroup(unit, capacity.capacityType, node(unit.name).labels, taints);
      const subnetId = args.subnetIds[unit.subnet];
      if (subnetId === undefined) throw new Error(`unit ${unit.name} names subnet ${unit.subnet}, which the network does not have`);
      this.nodeGroups.push(
        new aws.eks.NodeGroup(
          `${name}-${role}-ng`,
          {
            clusterName: args.clusterName,
            nodeGroupName: plan.nodeGroupName,
            nodeRoleArn: args.nodeRoleArn,
            subnetIds: [subnetId],
            scalingConfig: plan.scaling,
            capacityType: plan.capacityType,
            launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
            labels: plan.labels,
            taints: plan.taints,
            updateConfig: plan.updateConfig,
            nodeRepairConfig: { enabled: true },
            tags: args.tags,
          },
          { parent: this, dependsOn: args.nodesDependOn, ignoreChanges: plan.desiredSizeManagedByEks ? ["scalingConfig.desiredSize"] : [] },
        ),
      );
    }

    this.registerOutputs({ nodeGroupNames: this.nodeGroups.map((g) => g.nodeGroupName) });
  }

  private launchTemplate(
    name: string,
    args: GpuNodePoolArgs,
    t: {
      instanceType: string;
      imageId: pulumi.Output<string>;
      interfaces: InterfaceSlot[];
      capacity: UnitCapacity;
      placementGroupName: pulumi.Output<string> | null;
      ownReservationId: pulumi.Output<string> | null;
      node: NodeSettings;
    },
  ): aws.ec2.LaunchTemplate {
    return new aws.ec2.LaunchTemplate(
      name,
      {
        ...launchTemplateArgs({
        instanceType: t.instanceType,
        imageId: t.imageId,
        userData: pulumi.all([args.join, args.lustre]).apply(([join, lustre]) => userDataBase64(join, { ...t.node, lustre })),
        interfaces: t.interfaces,
        primarySecurityGroupIds: [args.clusterSecurityGroupId, args.efaSecurityGroupId],
        efaSecurityGroupIds: [args.efaSecurityGroupId],
        keyArn: args.keyArn,
        capacity: t.capacity,
        placementGroupName: t.placementGroupName,
        ownReservationId: t.ownReservationId,
        instanceTags: args.instanceTags,
        }),
        tags: args.tags,
      },
      { parent: this },
    );
  }
}
