import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SystemPlan } from "../../core/blueprint/types";
import { nodeGroupTaint, SYSTEM_POOL } from "../../core/blueprint/labels";
import { launchTemplateArgs } from "./launch-template";
import { userDataBase64, type ClusterJoin } from "../../core/render/aws/user-data";

export interface SystemNodePoolArgs {
  /** The system pool as the blueprint sized it for the factory's GPU nodes. */
  plan: SystemPlan;
  clusterName: pulumi.Input<string>;
  join: pulumi.Output<ClusterJoin>;
  clusterSecurityGroupId: pulumi.Input<string>;
  nodeRoleArn: pulumi.Input<string>;
  /** The system subnets' ids, one per system AZ. */
  subnetIds: pulumi.Input<string>[];
  keyArn: pulumi.Input<string>;
  /** The pool's own tags on its resources; the provider adds the factory's. */
  tags: Record<string, string>;
  /** Tags for the instances, their volumes and interfaces. */
  instanceTags: Record<string, string>;
  nodesDependOn: pulumi.Resource[];
}

/**
 * The CPU nodes the cluster's controllers run on (CoreDNS, Kueue, the Slurm operator and controller, the
 * GPU operator, CSI controllers): one managed node group spread over the system AZs, tainted so that only the
 * platform's pods, which tolerate it, run there; tenants' pods tolerate only their pools' accelerator taint.
 */
export class SystemNodePool extends pulumi.ComponentResource {
  readonly nodeGroup: aws.eks.NodeGroup;
  readonly launchTemplate: aws.ec2.LaunchTemplate;

  constructor(name: string, args: SystemNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:compute:SystemNodePool", name, {}, opts);
    const { plan } = args;
    const imageId = aws.ssm.getParameterOutput({ name: plan.amiParameter }, { parent: this }).value;

    this.launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-lt`,
      {
        ...launchTemplateArgs({
        instanceType: plan.instanceType,
        imageId,
        userData: args.join.apply((join) => userDataBase64(join, { maxPods: plan.kubeletMaxPods, labels: plan.labels, taints: plan.taints, stripeLocalNvme: false })),
        interfaces: [{ networkCardIndex: 0, deviceIndex: 0, interfaceType: "interface", primary: true }],
        primarySecurityGroupIds: [args.clusterSecurityGroupId],
        efaSecurityGroupIds: [],
        keyArn: args.keyArn,
        capacity: { capacityType: "ON_DEMAND", placementGroup: null, reservation: null, marketType: null, target: null, reservationPreference: null },
        placementGroupName: null,
        ownReservationId: null,
        instanceTags: args.instanceTags,
        // The system pool runs its controllers across AZs and rolls a new image in one update, a node at a time.
        updateDefaultVersion: true,
        }),
        tags: args.tags,
      },
      { parent: this },
    );

    this.nodeGroup = new aws.eks.NodeGroup(
      `${name}-ng`,
      {
        clusterName: args.clusterName,
        nodeGroupName: SYSTEM_POOL,
        nodeRoleArn: args.nodeRoleArn,
        subnetIds: args.subnetIds,
        scalingConfig: plan.scaling,
        capacityType: "ON_DEMAND",
        launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.apply(String) },
        labels: plan.labels,
        // The same taints the kubelet registers with: EKS applies the group's only after a node has joined.
        taints: plan.taints.map(nodeGroupTaint),
        // Controllers keep running while one node at a time is replaced.
        updateConfig: { maxUnavailable: 1 },
        nodeRepairConfig: { enabled: true },
        tags: args.tags,
      },
      { parent: this, dependsOn: args.nodesDependOn },
    );
    this.registerOutputs({ nodeGroupName: this.nodeGroup.nodeGroupName, instanceType: plan.instanceType });
  }
}
