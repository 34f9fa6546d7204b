// Which input changes force a replacement, per resource type the factory uses.
//
// @pulumi/aws is bridged from the Terraform AWS provider: a field marked `ForceNew` (or `RequiresReplace`)
// in that provider's schema replaces the resource, every other field is updated in place. Each entry
// names the provider source file that holds the schema. Kubernetes objects follow the rules of
// pulumi-kubernetes (provider/pkg/provider/diff.go, `forceNewProperties`). A type or field that is not
// in this table is classed `replace`, with a note, never as harmless.

export type FieldEffect = "in-place" | "rolling" | "replace";

export interface FieldRule {
  effect: FieldEffect;
  /** A numeric field that may only grow in place: a smaller value takes this effect instead. */
  whenDecreases?: FieldEffect;
  /** A block that may be added in place but not taken away. */
  whenRemoved?: FieldEffect;
  note?: string;
}

export interface TypeRules {
  source: string;
  fields: Record<string, FieldEffect | FieldRule>;
  /** Effect of any field the table does not name; absent means "unknown field → replace". */
  otherFields?: FieldEffect;
  /** Said on every change of this type (e.g. what a launch template change does to its node groups). */
  note?: string;
}

const TF = (file: string) => `terraform-provider-aws ${file} (ForceNew in the schema; the bridge behind @pulumi/aws)`;

// Every aws:* resource: tags are updated through the tagging API; `region` (per resource since @pulumi/aws v7) is ForceNew.
const AWS_COMMON: Record<string, FieldEffect | FieldRule> = {
  tags: "in-place",
  tagsAll: "in-place",
  region: "replace",
};

const s3Child = (extra: Record<string, FieldEffect | FieldRule>, file: string): TypeRules => ({
  source: TF(`internal/service/s3/${file}`),
  fields: { bucket: "replace", expectedBucketOwner: "replace", ...extra },
});

export const AWS_REPLACEMENT_TABLE: Record<string, TypeRules> = {
  "aws:ec2/vpc:Vpc": {
    source: TF("internal/service/ec2/vpc_.go"),
    fields: {
      cidrBlock: "replace",
      ipv4IpamPoolId: "replace",
      ipv4NetmaskLength: "replace",
      enableDnsHostnames: "in-place",
      enableDnsSupport: "in-place",
      enableNetworkAddressUsageMetrics: "in-place",
      instanceTenancy: "in-place",
      assignGeneratedIpv6CidrBlock: "in-place",
      ipv6CidrBlock: "in-place",
      ipv6IpamPoolId: "in-place",
      ipv6NetmaskLength: "in-place",
      ipv6CidrBlockNetworkBorderGroup: "in-place",
    },
  },
  "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": {
    source: TF("internal/service/ec2/vpc_ipv4_cidr_block_association.go"),
    fields: { cidrBlock: "replace", vpcId: "replace", ipv4IpamPoolId: "replace", ipv4NetmaskLength: "replace" },
  },
  "aws:ec2/subnet:Subnet": {
    source: TF("internal/service/ec2/vpc_subnet.go"),
    fields: {
      availabilityZone: "replace",
      availabilityZoneId: "replace",
      cidrBlock: "replace",
      vpcId: "replace",
      outpostArn: "replace",
      ipv6Native: "replace",
      mapPublicIpOnLaunch: "in-place",
      assignIpv6AddressOnCreation: "in-place",
      enableDns64: "in-place",
      enableResourceNameDnsARecordOnLaunch: "in-place",
      enableResourceNameDnsAaaaRecordOnLaunch: "in-place",
      privateDnsHostnameTypeOnLaunch: "in-place",
      ipv6CidrBlock: "in-place",
      customerOwnedIpv4Pool: "in-place",
      mapCustomerOwnedIpOnLaunch: "in-place",
      enableLniAtDeviceIndex: "in-place",
    },
  },
  "aws:ec2/securityGroup:SecurityGroup": {
    source: TF("internal/service/ec2/vpc_security_group.go"),
    fields: {
      name: "replace",
      namePrefix: "replace",
      description: "replace",
      vpcId: "replace",
      ingress: "in-place",
      egress: "in-place",
      revokeRulesOnDelete: "in-place",
    },
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
    source: TF("internal/service/ec2/vpc_security_group_ingress_rule.go (RequiresReplace)"),
    fields: {
      securityGroupId: "replace",
      cidrIpv4: "in-place",
      cidrIpv6: "in-place",
      description: "in-place",
      fromPort: "in-place",
      toPort: "in-place",
      ipProtocol: "in-place",
      prefixListId: "in-place",
      referencedSecurityGroupId: "in-place",
    },
  },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
    source: TF("internal/service/ec2/vpc_security_group_egress_rule.go (RequiresReplace)"),
    fields: {
      securityGroupId: "replace",
      cidrIpv4: "in-place",
      cidrIpv6: "in-place",
      description: "in-place",
      fromPort: "in-place",
      toPort: "in-place",
      ipProtocol: "in-place",
      prefixListId: "in-place",
      referencedSecurityGroupId: "in-place",
    },
  },
  "aws:ec2/securityGroupRule:SecurityGroupRule": {
    source: TF("internal/service/ec2/vpc_security_group_rule.go"),
    fields: {
      description: "in-place",
      type: "replace",
      fromPort: "replace",
      toPort: "replace",
      protocol: "replace",
      cidrBlocks: "replace",
      ipv6CidrBlocks: "replace",
      prefixListIds: "replace",
      securityGroupId: "replace",
      sourceSecurityGroupId: "replace",
      self: "replace",
    },
  },
  "aws:ec2/routeTable:RouteTable": {
    source: TF("internal/service/ec2/vpc_route_table.go"),
    fields: { vpcId: "replace", routes: "in-place", propagatingVgws: "in-place" },
  },
  "aws:ec2/route:Route": {
    source: TF("internal/service/ec2/vpc_route.go"),
    fields: {
      routeTableId: "replace",
      destinationCidrBlock: "replace",
      destinationIpv6CidrBlock: "replace",
      destinationPrefixListId: "replace",
      gatewayId: "in-place",
      natGatewayId: "in-place",
      vpcEndpointId: "in-place",
      transitGatewayId: "in-place",
      networkInterfaceId: "in-place",
      vpcPeeringConnectionId: "in-place",
      egressOnlyGatewayId: "in-place",
      localGatewayId: "in-place",
      carrierGatewayId: "in-place",
      coreNetworkArn: "in-place",
    },
  },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": {
    source: TF("internal/service/ec2/vpc_route_table_association.go"),
    fields: { subnetId: "replace", gatewayId: "replace", routeTableId: "in-place" },
  },
  "aws:ec2/vpcEndpoint:VpcEndpoint": {
    source: TF("internal/service/ec2/vpc_endpoint.go"),
    fields: {
      vpcId: "replace",
      serviceName: "replace",
      vpcEndpointType: "replace",
      serviceRegion: "replace",
      routeTableIds: "in-place",
      subnetIds: "in-place",
      subnetConfigurations: "in-place",
      securityGroupIds: "in-place",
      policy: "in-place",
      privateDnsEnabled: "in-place",
      autoAccept: "in-place",
      dnsOptions: "in-place",
      ipAddressType: "in-place",
    },
  },
  "aws:ec2/flowLog:FlowLog": {
    source: TF("internal/service/ec2/vpc_flow_log.go"),
    fields: {
      iamRoleArn: "replace",
      logDestination: "replace",
      logDestinationType: "replace",
      logGroupName: "replace",
      trafficType: "replace",
      vpcId: "replace",
      subnetId: "replace",
      eniId: "replace",
      transitGatewayId: "replace",
      transitGatewayAttachmentId: "replace",
      maxAggregationInterval: "replace",
      logFormat: "replace",
      destinationOptions: "replace",
      deliverCrossAccountRole: "replace",
    },
  },
  "aws:ec2/internetGateway:InternetGateway": {
    source: TF("internal/service/ec2/vpc_internet_gateway.go"),
    fields: { vpcId: "in-place" },
  },
  "aws:ec2/natGateway:NatGateway": {
    source: TF("internal/service/ec2/vpc_nat_gateway.go"),
    fields: {
      allocationId: "replace",
      subnetId: "replace",
      connectivityType: "replace",
      privateIp: "replace",
      secondaryAllocationIds: "in-place",
      secondaryPrivateIpAddresses: "in-place",
      secondaryPrivateIpAddressCount: "in-place",
    },
  },
  "aws:ec2/eip:Eip": {
    source: TF("internal/service/ec2/ec2_eip.go"),
    fields: {
      domain: "replace",
      address: "replace",
      customerOwnedIpv4Pool: "replace",
      publicIpv4Pool: "replace",
      networkBorderGroup: "replace",
      ipamPoolId: "replace",
      instance: "in-place",
      networkInterface: "in-place",
      associateWithPrivateIp: "in-place",
    },
  },
  "aws:ec2/placementGroup:PlacementGroup": {
    source: TF("internal/service/ec2/ec2_placement_group.go"),
    fields: { name: "replace", strategy: "replace", partitionCount: "replace", spreadLevel: "replace" },
  },
  "aws:ec2/launchTemplate:LaunchTemplate": {
    source: TF("internal/service/ec2/ec2_launch_template.go: only name and name_prefix are ForceNew, any other change is a new version"),
    fields: {
      name: "replace",
      namePrefix: "replace",
      description: "in-place",
      updateDefaultVersion: "in-place",
      defaultVersion: "in-place",
    },
    otherFields: "rolling",
    note: "a new launch template version: the node groups that use it replace their nodes unit by unit",
  },
  "aws:ec2/capacityReservation:CapacityReservation": {
    source: TF("internal/service/ec2/ec2_capacity_reservation.go; ModifyCapacityReservation changes only the count and end date"),
    fields: {
      availabilityZone: "replace",
      instanceType: "replace",
      instancePlatform: "replace",
      instanceMatchCriteria: "replace",
      tenancy: "replace",
      ebsOptimized: "replace",
      ephemeralStorage: "replace",
      outpostArn: "replace",
      placementGroupArn: "replace",
      instanceCount: "in-place",
      endDate: "in-place",
      endDateType: "in-place",
    },
  },
  "aws:eks/cluster:Cluster": {
    source: TF("internal/service/eks/cluster.go"),
    fields: {
      name: "replace",
      roleArn: "replace",
      bootstrapSelfManagedAddons: "replace",
      "accessConfig.bootstrapClusterCreatorAdminPermissions": "replace",
      "accessConfig.authenticationMode": "in-place",
      "kubernetesNetworkConfig.ipFamily": "replace",
      "kubernetesNetworkConfig.serviceIpv4Cidr": "replace",
      "kubernetesNetworkConfig.elasticLoadBalancing": "in-place",
      outpostConfig: "replace",
      remoteNetworkConfig: "replace",
      // Envelope encryption can be turned on in place; turning it off is irreversible, so the provider replaces.
      encryptionConfig: { effect: "in-place", whenRemoved: "replace" },
      version: { effect: "in-place", note: "control-plane upgrade: running workloads keep running" },
      vpcConfig: "in-place",
      enabledClusterLogTypes: "in-place",
      upgradePolicy: "in-place",
      zonalShiftConfig: "in-place",
      computeConfig: "in-place",
      storageConfig: "in-place",
      controlPlaneScalingConfig: "in-place",
      deletionProtection: "in-place",
      forceUpdateVersion: "in-place",
    },
  },
  "aws:eks/nodeGroup:NodeGroup": {
    source: TF("internal/service/eks/node_group.go"),
    fields: {
      amiType: "replace",
      capacityType: "replace",
      clusterName: "replace",
      diskSize: "replace",
      instanceTypes: "replace",
      "launchTemplate.id": "replace",
      "launchTemplate.name": "replace",
      "launchTemplate.version": { effect: "rolling", note: "nodes move to the new launch template version unit by unit" },
      nodeGroupName: "replace",
      nodeGroupNamePrefix: "replace",
      nodeRoleArn: "replace",
      remoteAccess: "replace",
      subnetIds: "replace",
      releaseVersion: { effect: "rolling", note: "new AMI release: nodes replaced unit by unit" },
      version: { effect: "rolling", note: "Kubernetes upgrade of the nodes: replaced unit by unit" },
      // Growing a group adds nodes; shrinking it drains and removes nodes.
      "scalingConfig.desiredSize": { effect: "in-place", whenDecreases: "rolling", note: "fewer nodes: nodes drained and removed" },
      "scalingConfig.minSize": "in-place",
      "scalingConfig.maxSize": "in-place",
      labels: "in-place",
      taints: "in-place",
      updateConfig: "in-place",
      nodeRepairConfig: "in-place",
      forceUpdateVersion: "in-place",
    },
  },
  "aws:eks/addon:Addon": {
    source: TF("internal/service/eks/addon.go"),
    fields: {
      addonName: "replace",
      clusterName: "replace",
      addonVersion: "in-place",
      configurationValues: "in-place",
      resolveConflictsOnCreate: "in-place",
      resolveConflictsOnUpdate: "in-place",
      serviceAccountRoleArn: "in-place",
      podIdentityAssociations: "in-place",
      preserve: "in-place",
    },
  },
  "aws:eks/accessEntry:AccessEntry": {
    source: TF("internal/service/eks/access_entry.go"),
    fields: { clusterName: "replace", principalArn: "replace", type: "replace", kubernetesGroups: "in-place", userName: "in-place" },
  },
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": {
    source: TF("internal/service/eks/access_policy_association.go"),
    fields: { clusterName: "replace", principalArn: "replace", policyArn: "replace", accessScope: "replace" },
  },
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": {
    source: TF("internal/service/eks/pod_identity_association.go (RequiresReplace)"),
    fields: {
      clusterName: "replace",
      namespace: "replace",
      serviceAccount: "replace",
      roleArn: "in-place",
      targetRoleArn: "in-place",
      disableSessionTags: "in-place",
    },
  },
  "aws:autoscaling/group:Group": {
    source: TF("internal/service/autoscaling/group.go"),
    fields: {
      name: "replace",
      namePrefix: "replace",
      launchTemplate: { effect: "rolling", note: "new instances from the new template; an instance refresh replaces the rest" },
      mixedInstancesPolicy: { effect: "rolling", note: "new instances from the new template; an instance refresh replaces the rest" },
      launchConfiguration: "rolling",
      desiredCapacity: { effect: "in-place", whenDecreases: "rolling", note: "fewer nodes: nodes drained and removed" },
      minSize: "in-place",
      maxSize: "in-place",
      vpcZoneIdentifiers: "rolling",
      availabilityZones: "rolling",
      placementGroup: "rolling",
      capacityRebalance: "in-place",
      healthCheckType: "in-place",
      healthCheckGracePeriod: "in-place",
      instanceRefresh: "in-place",
      protectFromScaleIn: "in-place",
      suspendedProcesses: "in-place",
      terminationPolicies: "in-place",
      waitForCapacityTimeout: "in-place",
      defaultCooldown: "in-place",
      maxInstanceLifetime: "in-place",
      forceDelete: "in-place",
      capacityReservationSpecification: "rolling",
    },
  },
  "aws:iam/role:Role": {
    source: TF("internal/service/iam/role.go"),
    fields: {
      name: "replace",
      namePrefix: "replace",
      path: "replace",
      assumeRolePolicy: "in-place",
      description: "in-place",
      maxSessionDuration: "in-place",
      permissionsBoundary: "in-place",
      forceDetachPolicies: "in-place",
      inlinePolicies: "in-place",
      managedPolicyArns: "in-place",
    },
  },
  "aws:iam/rolePolicy:RolePolicy": {
    source: TF("internal/service/iam/role_policy.go"),
    fields: { name: "replace", namePrefix: "replace", role: "replace", policy: "in-place" },
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    source: TF("internal/service/iam/role_policy_attachment.go"),
    fields: { role: "replace", policyArn: "replace" },
  },
  "aws:iam/policy:Policy": {
    source: TF("internal/service/iam/policy.go"),
    fields: { name: "replace", namePrefix: "replace", path: "replace", description: "replace", policy: "in-place" },
  },
  "aws:iam/instanceProfile:InstanceProfile": {
    source: TF("internal/service/iam/instance_profile.go"),
    fields: { name: "replace", namePrefix: "replace", path: "replace", role: "in-place" },
  },
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
    source: TF("internal/service/iam/openid_connect_provider.go"),
    fields: { url: "replace", clientIdLists: "in-place", thumbprintLists: "in-place" },
  },
  "aws:kms/key:Key": {
    source: TF("internal/service/kms/key.go"),
    fields: {
      customerMasterKeySpec: "replace",
      keyUsage: "replace",
      multiRegion: "replace",
      customKeyStoreId: "replace",
      xksKeyId: "replace",
      description: "in-place",
      enableKeyRotation: "in-place",
      rotationPeriodInDays: "in-place",
      isEnabled: "in-place",
      policy: "in-place",
      deletionWindowInDays: "in-place",
      bypassPolicyLockoutSafetyCheck: "in-place",
    },
  },
  "aws:kms/grant:Grant": {
    source: TF("internal/service/kms/grant.go: every argument is ForceNew"),
    fields: {
      name: "replace",
      keyId: "replace",
      granteePrincipal: "replace",
      operations: "replace",
      retiringPrincipal: "replace",
      constraints: "replace",
      grantCreationTokens: "replace",
      retireOnDelete: "replace",
    },
  },
  "aws:kms/alias:Alias": {
    source: TF("internal/service/kms/alias.go"),
    fields: { name: "replace", namePrefix: "replace", targetKeyId: "in-place" },
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    source: TF("internal/service/logs/group.go"),
    fields: {
      name: "replace",
      namePrefix: "replace",
      logGroupClass: "replace",
      retentionInDays: "in-place",
      kmsKeyId: "in-place",
      skipDestroy: "in-place",
      deletionProtectionEnabled: "in-place",
    },
  },
  "aws:fsx/lustreFileSystem:LustreFileSystem": {
    source: TF(
      "internal/service/fsx/lustre_file_system.go; storage_capacity ForceNew when it shrinks (CustomizeDiff); per_unit_storage_throughput in place since hashicorp/terraform-provider-aws#34932",
    ),
    fields: {
      backupId: "replace",
      copyTagsToBackups: "replace",
      deploymentType: "replace",
      driveCacheType: "replace",
      exportPath: "replace",
      fileSystemTypeVersion: "replace",
      importPath: "replace",
      importedFileChunkSize: "replace",
      kmsKeyId: "replace",
      securityGroupIds: "replace",
      storageType: "replace",
      subnetIds: "replace",
      efaEnabled: "replace",
      storageCapacity: { effect: "in-place", whenDecreases: "replace", note: "a Lustre file system only grows: a smaller capacity is a new file system" },
      perUnitStorageThroughput: {
        effect: "in-place",
        note: "in place without EFA; an EFA-enabled file system keeps the tier it was created with, and FSx refuses the update (FSx API efaEnabled)",
      },
      autoImportPolicy: "in-place",
      automaticBackupRetentionDays: "in-place",
      dailyAutomaticBackupStartTime: "in-place",
      dataCompressionType: "in-place",
      logConfiguration: "in-place",
      rootSquashConfiguration: "in-place",
      weeklyMaintenanceStartTime: "in-place",
      "metadataConfiguration.mode": "in-place",
      "metadataConfiguration.iops": {
        effect: "in-place",
        whenDecreases: "replace",
        note: "metadata IOPS only grow: fewer is a new file system (ForceNew on metadata_configuration.0.iops when it decreases)",
      },
      throughputCapacity: "in-place",
      dataReadCacheConfiguration: "in-place",
      skipFinalBackup: "in-place",
      finalBackupTags: "in-place",
    },
  },
  "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation": {
    source: TF("internal/service/fsx/data_repository_association.go"),
    fields: {
      fileSystemId: "replace",
      fileSystemPath: "replace",
      dataRepositoryPath: "replace",
      batchImportMetaDataOnCreate: "replace",
      importedFileChunkSize: "in-place",
      s3: "in-place",
      deleteDataInFilesystem: "in-place",
    },
  },
  "aws:s3/bucket:Bucket": {
    source: TF("internal/service/s3/bucket.go"),
    fields: {
      bucket: "replace",
      bucketPrefix: "replace",
      objectLockEnabled: "replace",
      bucketNamespace: "replace",
      forceDestroy: "in-place",
      // Inline blocks that older programs set on the bucket itself.
      versioning: "in-place",
      versionings: "in-place",
      serverSideEncryptionConfiguration: "in-place",
      serverSideEncryptionConfigurations: "in-place",
      lifecycleRules: "in-place",
      loggings: "in-place",
      policy: "in-place",
      acl: "in-place",
      grants: "in-place",
    },
  },
  "aws:s3/bucketVersioning:BucketVersioning": s3Child({ versioningConfiguration: "in-place", mfa: "in-place" }, "bucket_versioning.go"),
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": s3Child(
    { rules: "in-place" },
    "bucket_server_side_encryption_configuration.go",
  ),
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": s3Child(
    { blockPublicAcls: "in-place", blockPublicPolicy: "in-place", ignorePublicAcls: "in-place", restrictPublicBuckets: "in-place", skipDestroy: "in-place" },
    "bucket_public_access_block.go",
  ),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": s3Child(
    { rules: "in-place", transitionDefaultMinimumObjectSize: "in-place" },
    "bucket_lifecycle_configuration.go",
  ),
  "aws:s3/bucketPolicy:BucketPolicy": s3Child({ policy: "in-place" }, "bucket_policy.go"),
  // An access point is renamed, moved or re-scoped only by a new one: its alias changes, tenants' tools must follow.
  "aws:s3/accessPoint:AccessPoint": {
    source: TF("internal/service/s3control/access_point.go"),
    fields: {
      bucket: "replace",
      bucketAccountId: "replace",
      accountId: "replace",
      name: "replace",
      vpcConfiguration: "replace",
      publicAccessBlockConfiguration: "replace",
      policy: "in-place",
    },
  },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": s3Child({ rule: "in-place" }, "bucket_ownership_controls.go"),
  "aws:s3/bucketLogging:BucketLogging": s3Child(
    { targetBucket: "in-place", targetPrefix: "in-place", targetGrants: "in-place", targetObjectKeyFormat: "in-place" },
    "bucket_logging.go",
  ),
  "aws:ebs/volume:Volume": {
    source: TF("internal/service/ec2/ebs_volume.go"),
    fields: {
      availabilityZone: "replace",
      encrypted: "replace",
      kmsKeyId: "replace",
      snapshotId: "replace",
      outpostArn: "replace",
      size: { effect: "in-place", whenDecreases: "replace", note: "an EBS volume only grows" },
      type: "in-place",
      iops: "in-place",
      throughput: "in-place",
      multiAttachEnabled: "in-place",
      finalSnapshot: "in-place",
    },
  },
  "aws:amp/workspace:Workspace": {
    source: TF("internal/service/amp/workspace.go"),
    fields: { alias: "in-place", kmsKeyArn: "replace", loggingConfiguration: "in-place" },
  },
  "aws:amp/alertManagerDefinition:AlertManagerDefinition": {
    source: TF("internal/service/amp/alert_manager_definition.go"),
    fields: { workspaceId: "replace", definition: "in-place" },
  },
  "aws:amp/ruleGroupNamespace:RuleGroupNamespace": {
    source: TF("internal/service/amp/rule_group_namespace.go"),
    fields: { name: "replace", workspaceId: "replace", data: "in-place" },
  },
  "aws:amp/scraper:Scraper": {
    source: TF("internal/service/amp/scraper.go (RequiresReplace plan modifiers)"),
    fields: { alias: "replace", source: "replace", destination: "replace", scrapeConfiguration: "in-place", roleConfiguration: "in-place" },
  },
  "aws:sns/topic:Topic": {
    source: TF("internal/service/sns/topic.go"),
    fields: { name: "replace", namePrefix: "replace", fifoTopic: "replace", kmsMasterKeyId: "in-place", displayName: "in-place", policy: "in-place" },
  },
  "aws:sns/topicPolicy:TopicPolicy": {
    source: TF("internal/service/sns/topic_policy.go"),
    fields: { arn: "replace", policy: "in-place" },
  },
  "aws:rds/subnetGroup:SubnetGroup": {
    source: TF("internal/service/rds/subnet_group.go"),
    fields: { name: "replace", namePrefix: "replace", subnetIds: "in-place", description: "in-place" },
  },
  "aws:rds/cluster:Cluster": {
    source: TF("internal/service/rds/cluster.go"),
    fields: {
      clusterIdentifier: "replace",
      clusterIdentifierPrefix: "replace",
      engine: "replace",
      engineMode: "replace",
      availabilityZones: "replace",
      databaseName: "replace",
      masterUsername: "replace",
      kmsKeyId: "replace",
      storageEncrypted: "replace",
      snapshotIdentifier: "replace",
      sourceRegion: "replace",
      dbSubnetGroupName: "replace",
      s3Import: "replace",
      restoreToPointInTime: "replace",
      engineVersion: "in-place",
      backupRetentionPeriod: "in-place",
      preferredBackupWindow: "in-place",
      preferredMaintenanceWindow: "in-place",
      deletionProtection: "in-place",
      skipFinalSnapshot: "in-place",
      finalSnapshotIdentifier: "in-place",
      vpcSecurityGroupIds: "in-place",
      masterPassword: "in-place",
      manageMasterUserPassword: "in-place",
      masterUserSecretKmsKeyId: "in-place",
      serverlessv2ScalingConfiguration: "in-place",
      applyImmediately: "in-place",
      copyTagsToSnapshot: "in-place",
      enabledCloudwatchLogsExports: "in-place",
      iamDatabaseAuthenticationEnabled: "in-place",
      dbClusterParameterGroupName: "in-place",
      allowMajorVersionUpgrade: "in-place",
      port: "in-place",
    },
  },
  "aws:rds/clusterInstance:ClusterInstance": {
    source: TF("internal/service/rds/cluster_instance.go"),
    fields: {
      clusterIdentifier: "replace",
      engine: "replace",
      identifier: "replace",
      identifierPrefix: "replace",
      availabilityZone: "replace",
      dbSubnetGroupName: "replace",
      instanceClass: "in-place",
      engineVersion: "in-place",
      applyImmediately: "in-place",
      promotionTier: "in-place",
      autoMinorVersionUpgrade: "in-place",
      dbParameterGroupName: "in-place",
      publiclyAccessible: "in-place",
      caCertIdentifier: "in-place",
      preferredMaintenanceWindow: "in-place",
      copyTagsToSnapshot: "in-place",
      monitoringInterval: "in-place",
      monitoringRoleArn: "in-place",
      performanceInsightsEnabled: "in-place",
      performanceInsightsKmsKeyId: "in-place",
      performanceInsightsRetentionPeriod: "in-place",
    },
  },
  "aws:rds/instance:Instance": {
    source: TF("internal/service/rds/instance.go"),
    fields: {
      identifier: "replace",
      identifierPrefix: "replace",
      engine: "replace",
      availabilityZone: "replace",
      kmsKeyId: "replace",
      storageEncrypted: "replace",
      username: "replace",
      dbName: "replace",
      characterSetName: "replace",
      snapshotIdentifier: "replace",
      restoreToPointInTime: "replace",
      s3Import: "replace",
      allocatedStorage: { effect: "in-place", whenDecreases: "replace", note: "RDS storage only grows" },
      instanceClass: "in-place",
      engineVersion: "in-place",
      multiAz: "in-place",
      backupRetentionPeriod: "in-place",
      backupWindow: "in-place",
      maintenanceWindow: "in-place",
      deletionProtection: "in-place",
      skipFinalSnapshot: "in-place",
      finalSnapshotIdentifier: "in-place",
      vpcSecurityGroupIds: "in-place",
      dbSubnetGroupName: "in-place",
      password: "in-place",
      manageMasterUserPassword: "in-place",
      applyImmediately: "in-place",
      parameterGroupName: "in-place",
      storageType: "in-place",
      iops: "in-place",
      storageThroughput: "in-place",
      maxAllocatedStorage: "in-place",
      copyTagsToSnapshot: "in-place",
      publiclyAccessible: "in-place",
      port: "in-place",
      autoMinorVersionUpgrade: "in-place",
      allowMajorVersionUpgrade: "in-place",
      caCertIdentifier: "in-place",
      enabledCloudwatchLogsExports: "in-place",
      monitoringInterval: "in-place",
      monitoringRoleArn: "in-place",
      performanceInsightsEnabled: "in-place",
      deleteAutomatedBackups: "in-place",
    },
  },
  "aws:rds/parameterGroup:ParameterGroup": {
    source: TF("internal/service/rds/parameter_group.go"),
    fields: { name: "replace", namePrefix: "replace", family: "replace", description: "replace", parameters: "in-place", skipDestroy: "in-place" },
  },
  "aws:secretsmanager/secret:Secret": {
    source: TF("internal/service/secretsmanager/secret.go"),
    fields: {
      name: "replace",
      namePrefix: "replace",
      description: "in-place",
      kmsKeyId: "in-place",
      policy: "in-place",
      recoveryWindowInDays: "in-place",
      replicas: "in-place",
      forceOverwriteReplicaSecret: "in-place",
    },
  },
  "aws:secretsmanager/secretVersion:SecretVersion": {
    source: TF("internal/service/secretsmanager/secret_version.go"),
    fields: { secretId: "replace", secretString: "replace", secretBinary: "replace", versionStages: "in-place" },
  },
  "aws:ecr/repository:Repository": {
    source: TF("internal/service/ecr/repository.go"),
    fields: {
      name: "replace",
      encryptionConfigurations: "replace",
      imageTagMutability: "in-place",
      imageScanningConfiguration: "in-place",
      forceDelete: "in-place",
    },
  },
  "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": {
    source: TF("internal/service/ecr/pull_through_cache_rule.go"),
    fields: { ecrRepositoryPrefix: "replace", upstreamRegistryUrl: "replace", upstreamRepositoryPrefix: "replace", credentialArn: "in-place", customRoleArn: "in-place" },
  },
  "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": {
    source: TF("internal/service/ecr/repository_creation_template.go"),
    fields: { prefix: "replace" },
    // Every other field is sent by UpdateRepositoryCreationTemplate; only repositories created afterwards see it.
    otherFields: "in-place",
  },
  "aws:ssm/parameter:Parameter": {
    source: TF("internal/service/ssm/parameter.go"),
    fields: {
      name: "replace",
      value: "in-place",
      insecureValue: "in-place",
      type: "in-place",
      description: "in-place",
      tier: "in-place",
      keyId: "in-place",
      overwrite: "in-place",
      dataType: "in-place",
      allowedPattern: "in-place",
    },
  },
  "aws:dynamodb/table:Table": {
    source: TF("internal/service/dynamodb/table.go"),
    fields: {
      name: "replace",
      hashKey: "replace",
      rangeKey: "replace",
      billingMode: "in-place",
      readCapacity: "in-place",
      writeCapacity: "in-place",
      attributes: "in-place",
      globalSecondaryIndexes: "in-place",
      pointInTimeRecovery: "in-place",
      serverSideEncryption: "in-place",
      deletionProtectionEnabled: "in-place",
      ttl: "in-place",
      streamEnabled: "in-place",
      streamViewType: "in-place",
      tableClass: "in-place",
    },
  },
  // The provider itself: a new region re-creates everything it manages (see `providerReplaces` in resources.ts).
  "pulumi:providers:aws": {
    source: "@pulumi/aws provider configuration: a different region or account means different resources",
    fields: {
      region: "replace",
      allowedAccountIds: "replace",
      defaultTags: "in-place",
      ignoreTags: "in-place",
      version: "in-place",
      skipCredentialsValidation: "in-place",
      skipRegionValidation: "in-place",
      skipRequestingAccountId: "in-place",
      skipMetadataApiCheck: "in-place",
      profile: "in-place",
      assumeRoles: "in-place",
      assumeRole: "in-place",
      maxRetries: "in-place",
      retryMode: "in-place",
      endpoints: "in-place",
      stsRegion: "in-place",
      s3UsePathStyle: "in-place",
    },
  },
};

for (const [type, rules] of Object.entries(AWS_REPLACEMENT_TABLE)) {
  if (type.startsWith("aws:")) rules.fields = { ...AWS_COMMON, ...rules.fields };
}

const K8S_SOURCE = "pulumi-kubernetes provider/pkg/provider/diff.go (forceNewProperties): metadata.name and metadata.namespace, plus per kind";

/** Fields pulumi-kubernetes replaces on, per kind (besides metadata.name and metadata.namespace). */
const K8S_FORCE_NEW: Record<string, string[]> = {
  ConfigMap: ["binaryData", "data"],
  Secret: ["type", "stringData", "data"],
  Service: ["spec.clusterIP"],
  ResourceQuota: ["spec.scopes"],
  PersistentVolumeClaim: ["spec"],
  PersistentVolume: ["spec"],
  Pod: ["spec"],
  DaemonSet: ["spec.selector"],
  Deployment: ["spec.selector"],
  StatefulSet: [
    "spec.podManagementPolicy",
    "spec.revisionHistoryLimit",
    "spec.selector",
    "spec.serviceName",
    "spec.volumeClaimTemplates",
  ],
  Job: ["spec.completions", "spec.parallelism", "spec.selector", "spec.template"],
  RoleBinding: ["roleRef"],
  ClusterRoleBinding: ["roleRef"],
  StorageClass: ["parameters", "provisioner"],
};

const HELM_RELEASE_TYPES = new Set(["kubernetes:helm.sh/v3:Release"]);

/** The rules for a Kubernetes object type such as `kubernetes:core/v1:ConfigMap` or a custom resource. */
function kubernetesRules(type: string): TypeRules {
  if (HELM_RELEASE_TYPES.has(type)) {
    return {
      source: "pulumi-kubernetes provider/pkg/provider/helm_release.go: a release is renamed or moved by replacement; chart, version and values are a helm upgrade",
      fields: { name: "replace", namespace: "replace" },
      otherFields: "in-place",
      note: "helm upgrade: the chart's own pods roll, the GPU nodes do not",
    };
  }
  const kind = type.slice(type.lastIndexOf(":") + 1);
  const fields: Record<string, FieldEffect> = { "metadata.name": "replace", "metadata.namespace": "replace" };
  for (const f of K8S_FORCE_NEW[kind] ?? []) fields[f] = "replace";
  return { source: K8S_SOURCE, fields, otherFields: "in-place" };
}

/** The rules for a resource type, or undefined when the table does not know it. */
export function rulesFor(type: string): TypeRules | undefined {
  const aws = AWS_REPLACEMENT_TABLE[type];
  if (aws) return aws;
  if (type.startsWith("kubernetes:") && !type.startsWith("kubernetes:helm.sh/v4") && !type.startsWith("kubernetes:yaml/") && !type.startsWith("kubernetes:kustomize/")) {
    return kubernetesRules(type);
  }
  if (type === "pulumi:providers:kubernetes") {
    return {
      source: "pulumi-kubernetes provider configuration",
      fields: {},
      otherFields: "in-place",
      note: "the Kubernetes provider's configuration; objects it manages are diffed on their own",
    };
  }
  return undefined;
}

export interface FieldVerdict {
  effect: FieldEffect;
  note?: string;
  known: boolean;
}

const RANK: Record<FieldEffect, number> = { "in-place": 0, rolling: 1, replace: 2 };

/**
 * The effect of one changed input path (`scalingConfig.desiredSize`, `networkInterfaces[3].interfaceType`).
 * The longest table entry that is a prefix of the path decides; a whole block that changed takes the worst
 * of the entries inside it; anything else is unknown and classed `replace`.
 */
export function fieldEffect(rules: TypeRules, path: string, before: unknown, after: unknown): FieldVerdict {
  const segments = normalisePath(path);
  let best: { key: string[]; rule: FieldRule } | undefined;
  for (const [key, value] of Object.entries(rules.fields)) {
    const keySegments = key.split(".");
    if (keySegments.length <= segments.length && keySegments.every((s, i) => s === segments[i])) {
      if (!best || keySegments.length > best.key.length) best = { key: keySegments, rule: asRule(value) };
    }
  }
  if (best) return applyRule(best.rule, before, after);

  let inner: FieldRule | undefined;
  for (const [key, value] of Object.entries(rules.fields)) {
    const keySegments = key.split(".");
    if (keySegments.length > segments.length && segments.every((s, i) => s === keySegments[i])) {
      const rule = asRule(value);
      if (!inner || RANK[rule.effect] > RANK[inner.effect]) inner = rule;
    }
  }
  if (inner) return { effect: inner.effect, note: inner.note, known: true };
  if (rules.otherFields) return { effect: rules.otherFields, known: true };
  return { effect: "replace", known: false, note: "field not in the replacement table: classed as a replacement until it is" };
}

function asRule(value: FieldEffect | FieldRule): FieldRule {
  return typeof value === "string" ? { effect: value } : value;
}

function applyRule(rule: FieldRule, before: unknown, after: unknown): FieldVerdict {
  if (rule.whenDecreases && typeof before === "number" && typeof after === "number" && after < before) {
    return { effect: rule.whenDecreases, note: rule.note, known: true };
  }
  if (rule.whenRemoved && before !== undefined && before !== null && (after === undefined || after === null || (Array.isArray(after) && after.length === 0))) {
    return { effect: rule.whenRemoved, note: "removing it is irreversible: the provider replaces the resource", known: true };
  }
  return { effect: rule.effect, note: rule.whenDecreases ? undefined : rule.note, known: true };
}

/** `networkInterfaces[3].interfaceType` → ["networkInterfaces", "interfaceType"]. */
export function normalisePath(path: string): string[] {
  const segments: string[] = [];
  for (const m of path.matchAll(/\["((?:[^"\\]|\\.)*)"\]|\[\d+\]|([^.[\]]+)/g)) {
    if (m[1] !== undefined) segments.push(JSON.parse(`"${m[1]}"`) as string);
    else if (m[2] !== undefined) segments.push(m[2]);
  }
  return segments;
}
