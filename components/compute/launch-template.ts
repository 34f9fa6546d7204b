import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { UnitCapacity } from "../../core/blueprint/capacity";
import type { InterfaceSlot } from "../../core/blueprint/interfaces";
import { launchTemplateInterfaces } from "../../core/blueprint/interfaces";

// The launch template's contents as plain data: the component only hands them to aws.ec2.LaunchTemplate.

// The AL2023 EKS AMIs boot from /dev/xvda [P: EKS AMI build spec]. The root volume holds the OS and
// logs only: nodeadm moves kubelet and containerd state onto the striped NVMe drives (RAID0).
export const ROOT_DEVICE = "/dev/xvda";
export const ROOT_VOLUME_GIB = 100;

export interface LaunchTemplateInput {
  instanceType: string;
  imageId: pulumi.Input<string>;
  userData: pulumi.Input<string>;
  interfaces: readonly InterfaceSlot[];
  /** Groups of the primary interface: the cluster's (to reach the control plane), and the EFA group on GPU nodes. */
  primarySecurityGroupIds: pulumi.Input<string>[];
  /** Groups of every EFA interface: the EFA group alone. */
  efaSecurityGroupIds: pulumi.Input<string>[];
  keyArn: pulumi.Input<string>;
  capacity: UnitCapacity;
  /** The unit's placement group, by name (null where AWS places the instances). */
  placementGroupName: pulumi.Input<string> | null;
  /** The node group's own ODCR (created by the stack), where the capacity targets it. */
  ownReservationId: pulumi.Input<string> | null;
  /** Tags for the instances, their volumes and interfaces (provider default tags reach only the template). */
  instanceTags: Record<string, string>;
  /** False while a rollout of the pool is under way: the default version is what the waves to come run (core/blueprint/rollout.ts). */
  updateDefaultVersion: boolean;
}

export function launchTemplateArgs(input: LaunchTemplateInput): aws.ec2.LaunchTemplateArgs {
  const { capacity } = input;
  const args: aws.ec2.LaunchTemplateArgs = {
    instanceType: input.instanceType,
    imageId: input.imageId,
    userData: input.userData,
    updateDefaultVersion: input.updateDefaultVersion,
    networkInterfaces: launchTemplateInterfaces(input.interfaces, { primary: input.primarySecurityGroupIds, efa: input.efaSecurityGroupIds }),
    // IMDSv2 only, and one hop: pods take AWS credentials from Pod Identity, never from the node's role.
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
    blockDeviceMappings: [
      {
        deviceName: ROOT_DEVICE,
        ebs: { volumeSize: ROOT_VOLUME_GIB, volumeType: "gp3", encrypted: "true", kmsKeyId: input.keyArn, deleteOnTermination: "true" },
      },
    ],
    tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: input.instanceTags })),
  };
  if (input.placementGroupName !== null) {
    // The AZ follows from the node group's subnet, which the blueprint put in the pool's zone.
    args.placement = { groupName: input.placementGroupName };
  }
  if (capacity.marketType !== null) args.instanceMarketOptions = { marketType: capacity.marketType };
  // A target names the one reservation (or group) the instances run in; `capacity-reservations-only` beside it keeps a
  // launch the reservation cannot hold from running on on-demand capacity instead (a resource group alone would fall
  // back: docs/sources.md#ec2-capacity-reservation-groups [P]).
  const only = capacity.reservationPreference === null ? {} : { capacityReservationPreference: capacity.reservationPreference };
  const target = capacity.target;
  if (target?.kind === "capacity-block" || target?.kind === "reservation") {
    args.capacityReservationSpecification = { ...only, capacityReservationTarget: { capacityReservationId: target.reservationId } };
  } else if (target?.kind === "reservation-group") {
    args.capacityReservationSpecification = { ...only, capacityReservationTarget: { capacityReservationResourceGroupArn: target.resourceGroupArn } };
  } else if (target?.kind === "own-reservation") {
    if (input.ownReservationId === null) throw new Error("a launch template that targets its node group's reservation needs the reservation's id");
    args.capacityReservationSpecification = { ...only, capacityReservationTarget: { capacityReservationId: input.ownReservationId } };
  } else if (capacity.reservationPreference !== null) {
    args.capacityReservationSpecification = { capacityReservationPreference: capacity.reservationPreference };
  }
  return args;
}
