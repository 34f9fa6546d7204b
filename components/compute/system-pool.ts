import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PodAddressing } from "../../core/blueprint/pods";
import type { SystemPlan } from "../../core/blueprint/types";
import { systemPoolSize } from "../../core/catalog/cpu-instances";
import { eksAmiParameter } from "../../core/catalog/ami";
import { LABEL_POOL, SYSTEM_POOL } from "../../core/blueprint/labels";
import { launchTemplateArgs } from "./launch-template";
import { kubeletMaxPods } from "../../core/blueprint/max-pods";
import { userDataBase64, type ClusterJoin } from "../../core/render/aws/user-data";

export interface SystemNodePoolArgs {
  plan: SystemPlan;
  /** GPU nodes of the factory: the system pool grows with them. */
  gpuNodes: number;
  podAddressing: PodAddressing;
  kubernetesVersion: string;
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
 * GPU operator, CSI controllers): one managed node group spread over the system AZs, untainted, so that
 * only pods that tolerate the GPU taint ever reach a GPU node.
 */
export class SystemNodePool extends pulumi.ComponentResource {
  readonly nodeGroup: aws.eks.NodeGroup;
  readonly launchTemplate: aws.ec2.LaunchTemplate;

  constructor(name: string, args: SystemNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:compute:SystemNodePool", name, {}, opts);
    const size = systemPoolSize(args.gpuNodes);
    const type = size.instanceType;
    const zones = args.plan.availabilityZones.length;
    const maxPods = kubeletMaxPods(type, args.podAddressing, args.plan.maxPodsPerNode);
    const imageId = aws.ssm.getParameterOutput({ name: eksAmiParameter(args.kubernetesVersion, type.architecture, "standard") }, { parent: this }).value;
    const labels = { [LABEL_POOL]: SYSTEM_POOL };

    this.launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-lt`,
      {
        ...launchTemplateArgs({
        instanceType: type.name,
        imageId,
        userData: args.join.apply((join) => userDataBase64(join, { maxPods, labels, taints: [], stripeLocalNvme: false })),
        interfaces: [{ networkCardIndex: 0, deviceIndex: 0, interfaceType: "interface", primary: true }],
        primarySecurityGroupIds: [args.clusterSecurityGroupId],
        efaSecurityGroupIds: [],
        keyArn: args.keyArn,
        capacity: { capacityType: "ON_DEMAND", placementGroup: null, reservation: null, marketType: null, target: null, reservationPreference: null },
        placementGroupName: null,
        ownReservationId: null,
        instanceTags: args.instanceTags,
        }),
        tags: args.tags,
      },
      { parent: this },
    );

    const desired = Math.min(args.plan.maxNodes, zones * size.nodesPerAvailabilityZone);
    this.nodeGroup = new aws.eks.NodeGroup(
      `${name}-ng`,
      {
        clusterName: args.clusterName,
        nodeGroupName: SYSTEM_POOL,
        nodeRoleArn: args.nodeRoleArn,
        subnetIds: args.subnetIds,
        // At least one node per AZ so the controllers' replicas can spread; room to the blueprint's maximum.
        scalingConfig: { minSize: Math.min(zones, desired), desiredSize: desired, maxSize: args.plan.maxNodes },
        capacityType: "ON_DEMAND",
        launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.apply(String) },
        labels,
        // Controllers keep running while one node at a time is replaced.
        updateConfig: { maxUnavailable: 1 },
        nodeRepairConfig: { enabled: true },
        tags: args.tags,
      },
      { parent: this, dependsOn: args.nodesDependOn },
    );
    this.registerOutputs({ nodeGroupName: this.nodeGroup.nodeGroupName, instanceType: type.name });
  }
}
