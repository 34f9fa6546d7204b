import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ProvisionablePool, ProvisionableUnit } from "../../core/blueprint/provisionable";
import type { UnitCapacity } from "../../core/blueprint/capacity";
import type { InterfaceSlot } from "../../core/blueprint/interfaces";
import { launchTemplateArgs } from "./launch-template";
import type { LustreMount } from "../../core/render/aws/lustre-mount";
import { userDataBase64, type ClusterJoin, type NodeSettings } from "../../core/render/aws/user-data";

export interface GpuNodePoolArgs {
  pool: ProvisionablePool;
  /** The pool's scalable units, from the blueprint; the units of one node group carry the same launch plan. */
  units: ProvisionableUnit[];
  clusterName: pulumi.Input<string>;
  join: pulumi.Output<ClusterJoin>;
  clusterSecurityGroupId: pulumi.Input<string>;
  nodeRoleArn: pulumi.Input<string>;
  efaSecurityGroupId: pulumi.Input<string>;
  /** Subnet ids by the blueprint's subnet name. */
  subnetIds: Readonly<Record<string, pulumi.Input<string>>>;
  keyArn: pulumi.Input<string>;
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
 * One GPU pool of the blueprint: per node group of scalable units a cluster placement group, an ODCR inside it
 * where the pool reserves, a launch template that wires every EFA interface, and a managed node group. The
 * blueprint decides each of them and which units share them (core/blueprint/node-groups.ts, launch.ts); this only
 * declares them, once per group.
 */
export class GpuNodePool extends pulumi.ComponentResource {
  readonly nodeGroups: aws.eks.NodeGroup[] = [];
  readonly launchTemplates: aws.ec2.LaunchTemplate[] = [];
  readonly placementGroups: aws.ec2.PlacementGroup[] = [];
  readonly capacityReservations: aws.ec2.CapacityReservation[] = [];

  constructor(name: string, args: GpuNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:compute:GpuNodePool", name, {}, opts);
    const { pool } = args;

    // One AMI lookup for the whole pool, never one per unit: the parameter of the release the spec pins, never
    // `recommended`, so a plan changes no image unless the spec does.
    const imageId = aws.ssm.getParameterOutput({ name: pool.amiParameter }, { parent: this }).value;
    const templates = new Map<string, aws.ec2.LaunchTemplate>();
    const declared = new Set<string>();
    for (const unit of args.units) {
      const { role, capacity, launchTemplate, nodeGroup } = unit.launch;
      if (declared.has(nodeGroup.nodeGroupName)) continue;
      declared.add(nodeGroup.nodeGroupName);

      const placementGroup = capacity.placementGroup === null
        ? undefined
        : new aws.ec2.PlacementGroup(`${name}-${role}-pg`, { name: capacity.placementGroup, strategy: "cluster", tags: args.tags }, { parent: this });
      if (placementGroup) this.placementGroups.push(placementGroup);
      const reservation = capacity.reservation === null
        ? undefined
        : new aws.ec2.CapacityReservation(
            `${name}-${role}-odcr`,
            {
              instanceType: pool.instanceType,
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

      let template = templates.get(launchTemplate.key);
      if (!template) {
        template = this.launchTemplate(`${name}-lt${launchTemplate.role === null ? "" : `-${launchTemplate.role}`}`, args, {
          instanceType: pool.instanceType,
          imageId,
          interfaces: pool.interfaces,
          capacity,
          placementGroupName: placementGroup?.name ?? null,
          ownReservationId: reservation?.id ?? null,
          node: { maxPods: pool.kubeletMaxPods, reserved: pool.kubeletReserved, labels: launchTemplate.labels, taints: pool.taints, stripeLocalNvme: pool.stripeLocalNvme },
          updateDefaultVersion: launchTemplate.updateDefaultVersion,
        });
        templates.set(launchTemplate.key, template);
        this.launchTemplates.push(template);
      }

      this.nodeGroups.push(
        new aws.eks.NodeGroup(
          `${name}-${role}-ng`,
          {
            clusterName: args.clusterName,
            nodeGroupName: nodeGroup.nodeGroupName,
            nodeRoleArn: args.nodeRoleArn,
            subnetIds: [args.subnetIds[unit.subnet]],
            scalingConfig: nodeGroup.scaling,
            capacityType: nodeGroup.capacityType,
            // The version the group's wave runs: the newest, or the default one while its wave is to come (core/blueprint/rollout.ts).
            // A number, never $Latest/$Default: EKS resolves those once and the provider would then show a diff on every
            // plan (Pulumi AWS NodeGroup launchTemplate.version; docs/sources.md#launch-template-versions).
            launchTemplate: {
              id: template.id,
              version: (nodeGroup.launchTemplateVersion === "latest" ? template.latestVersion : template.defaultVersion).apply(String),
            },
            labels: nodeGroup.labels,
            taints: nodeGroup.taints,
            updateConfig: nodeGroup.updateConfig,
            nodeRepairConfig: { enabled: true },
            tags: args.tags,
          },
          { parent: this, dependsOn: args.nodesDependOn, ignoreChanges: nodeGroup.desiredSizeManagedByEks ? ["scalingConfig.desiredSize"] : [] },
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
      updateDefaultVersion: boolean;
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
        updateDefaultVersion: t.updateDefaultVersion,
        }),
        tags: args.tags,
      },
      { parent: this },
    );
  }
}
