import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PodAddressing } from "../../core/blueprint/pods";
import type { ClusterJoin } from "../../core/render/aws/user-data";
import { addonVersions, cniConfiguration, coreDnsConfiguration, ebsCsiConfiguration, nodeMonitoringConfiguration, type AddonName } from "../../core/render/kubernetes/eks-addons";
import {
  autoscalingServiceLinkedRoleArn,
  CLUSTER_MANAGED_POLICIES,
  clusterTrustPolicy,
  controllerIdentities,
  type ControllerIdentity,
  managedPolicyArn,
  NODE_MANAGED_POLICIES,
  nodeTrustPolicy,
  podIdentityTrustPolicy,
  secretsEncryptionPolicy,
  VOLUME_GRANT_OPERATIONS,
  volumeEncryptionPolicy,
} from "../../core/render/aws/iam";
import type { ProvisionableBlueprint } from "../../core/blueprint/provisionable";
import type { AccessPlan } from "../../core/blueprint/types";

export interface FactoryClusterArgs {
  /** The EKS cluster's name (the factory's): node user data and the log group name it. */
  clusterName: string;
  region: string;
  partition: string;
  dnsSuffix: string;
  kubernetesVersion: string;
  /** The system subnets, one per system AZ: the control plane's interfaces live there. */
  subnetIds: pulumi.Input<string>[];
  /** The factory's KMS key: secrets, control-plane logs and node volumes. */
  keyArn: pulumi.Input<string>;
  logRetentionDays: number;
  /** The blueprint's cluster: the Services' range, the nodes at full size (CoreDNS's replicas follow them) and the tier. */
  plan: ProvisionableBlueprint["cluster"];
  podAddressing: PodAddressing;
  /** Controllers that call AWS through Pod Identity (the blueprint counts their associations). */
  controllers: readonly string[];
  /** The API endpoint as the blueprint decides it (private; public only with its source ranges). */
  endpoint?: AccessPlan["endpoint"];
  /** Security groups the control plane's interfaces carry beside EKS's own: the deploy path's API server group. */
  apiSecurityGroupIds?: pulumi.Input<string>[];
  /** The deploy runner's role and the access policy it is associated with. */
  deployer?: { roleArn: pulumi.Input<string>; policy: string; scope: "cluster" };
  /** IAM roles given cluster-admin through access entries, beside the creator of the cluster. */
  adminRoleArns?: readonly string[];
  deletionProtection: boolean;
}

// Every control-plane log type: the audit trail of who did what in the factory.
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
export const CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy";
const PRIVATE_ENDPOINT: AccessPlan["endpoint"] = { privateAccess: true, publicAccess: false, publicAccessCidrs: [] };

/**
 * The factory's EKS control plane, AWS side only: private endpoint, secrets encrypted with the factory's
 * key, logs kept in the region, API authentication through access entries, pinned add-ons, IAM for the
 * control plane, the nodes and the controllers. What goes into the cluster takes a provider from kubernetes-provider.ts.
 */
export class FactoryCluster extends pulumi.ComponentResource {
  readonly cluster: aws.eks.Cluster;
  readonly clusterName: pulumi.Output<string>;
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  readonly nodeRole: aws.iam.Role;
  /** What a node needs to join without calling the EKS API. */
  readonly join: pulumi.Output<ClusterJoin>;
  /** Add-ons the nodes need before they can become ready (CNI, kube-proxy, Pod Identity agent). */
  readonly nodeAddons: aws.eks.Addon[];
  readonly podIdentityAssociations: aws.eks.PodIdentityAssociation[];
  private readonly args: FactoryClusterArgs;
  private readonly baseName: string;
  private readonly identityOf = new Map<string, aws.eks.PodIdentityAssociation>();

  constructor(name: string, args: FactoryClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:kubernetes:Cluster", name, {}, opts);
    this.args = args;
    this.baseName = name;
    const versions = addonVersions(args.kubernetesVersion);
    if (!versions) throw new Error(`no pinned add-on versions for Kubernetes ${args.kubernetesVersion}`);

    const endpoint = args.endpoint ?? PRIVATE_ENDPOINT;
    const clusterRole = this.role(`${name}-cluster-role`, JSON.stringify(clusterTrustPolicy(args.dnsSuffix)), CLUSTER_MANAGED_POLICIES, "EKS control plane");
    const secretsPolicy = new aws.iam.RolePolicy(
      `${name}-cluster-secrets-key`,
      { role: clusterRole.role.id, policy: pulumi.output(args.keyArn).apply((arn) => JSON.stringify(secretsEncryptionPolicy(arn))) },
      { parent: this },
    );
    this.nodeRole = this.role(`${name}-node-role`, JSON.stringify(nodeTrustPolicy(args.dnsSuffix)), NODE_MANAGED_POLICIES, "EKS nodes").role;

    // EKS writes to /aws/eks/<cluster>/cluster; created first so it is ours: encrypted, with retention, kept.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane-logs`,
      { name: `/aws/eks/${args.clusterName}/cluster`, retentionInDays: args.logRetentionDays, kmsKeyId: args.keyArn, skipDestroy: true },
      { parent: this, protect: true, retainOnDelete: true },
    );

    this.cluster = new aws.eks.Cluster(
      `${name}-eks`,
      {
        name: args.clusterName,
        version: args.kubernetesVersion,
        roleArn: clusterRole.role.arn,
        vpcConfig: {
          subnetIds: args.subnetIds,
          ...(args.apiSecurityGroupIds?.length ? { securityGroupIds: args.apiSecurityGroupIds } : {}),
          endpointPrivateAccess: true,
          endpointPublicAccess: endpoint.publicAccess,
          ...(endpoint.publicAccess ? { publicAccessCidrs: endpoint.publicAccessCidrs } : {}),
        },
        // Access entries only; the creator keeps admin so the same deployment can put objects into the cluster.
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: args.keyArn } },
        enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
        kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: args.plan.serviceCidr },
        controlPlaneScalingConfig: { tier: args.plan.controlPlaneTier },
        // The add-ons below are EKS add-ons, pinned; nothing self-managed is installed behind our back.
        bootstrapSelfManagedAddons: false,
        deletionProtection: args.deletionProtection,
      },
      { parent: this, dependsOn: [logGroup, secretsPolicy, ...clusterRole.attachments] },
    );
    this.clusterName = this.cluster.name;
    this.clusterSecurityGroupId = this.cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId ?? "");
    this.join = pulumi
      .all([this.cluster.name, this.cluster.endpoint, this.cluster.certificateAuthority])
      .apply(([clusterName, endpoint, ca]) => ({ name: clusterName, apiServerEndpoint: endpoint, certificateAuthority: ca?.data ?? "", serviceCidr: args.plan.serviceCidr }));

    for (const [i, principalArn] of (args.adminRoleArns ?? []).entries()) {
      const entry = new aws.eks.AccessEntry(`${name}-admin-${i}`, { clusterName: this.cluster.name, principalArn, type: "STANDARD" }, { parent: this });
      new aws.eks.AccessPolicyAssociation(
        `${name}-admin-${i}-policy`,
        { clusterName: this.cluster.name, principalArn, policyArn: `arn:${args.partition}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`, accessScope: { type: "cluster" } },
        { parent: this, dependsOn: [entry] },
      );
    }

    if (args.deployer) {
      const { roleArn, policy, scope } = args.deployer;
      const entry = new aws.eks.AccessEntry(`${name}-deployer`, { clusterName: this.cluster.name, principalArn: roleArn, type: "STANDARD" }, { parent: this });
      new aws.eks.AccessPolicyAssociation(
        `${name}-deployer-policy`,
        { clusterName: this.cluster.name, principalArn: roleArn, policyArn: `arn:${args.partition}:eks::aws:cluster-access-policy/${policy}`, accessScope: { type: scope } },
        { parent: this, dependsOn: [entry] },
      );
    }

    this.podIdentityAssociations = this.controllerIdentities(name);
    const agent = this.addon(name, "eks-pod-identity-agent", versions["eks-pod-identity-agent"], undefined, []);
    // aws-node takes its AWS rights from Pod Identity: its association and the agent exist before it starts.
    const cni = this.addon(name, "vpc-cni", versions["vpc-cni"], cniConfiguration(args.podAddressing), [agent, ...this.podIdentityAssociations]);
    const kubeProxy = this.addon(name, "kube-proxy", versions["kube-proxy"], undefined, []);
    this.nodeAddons = [agent, cni, kubeProxy];
    this.addon(name, "eks-node-monitoring-agent", versions["eks-node-monitoring-agent"], nodeMonitoringConfiguration(), [cni]);

    this.nodeVolumeGrant(name, args);

    this.registerOutputs({
      clusterName: this.clusterName,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      nodeRoleArn: this.nodeRole.arn,
      endpoint: this.cluster.endpoint,
    });
  }

  /**
   * The add-ons whose controllers need nodes to run on (CoreDNS, the EBS CSI driver): the factory adds them once the
   * system pool exists, since an add-on without its pods never becomes active.
   */
  addSystemAddons(afterNodes: pulumi.Resource[]): { coreDns: aws.eks.Addon; ebsCsiDriver: aws.eks.Addon } {
    const versions = addonVersions(this.args.kubernetesVersion)!;
    const ebsIdentity = this.identityOf.get("ebs-csi-controller");
    return {
      coreDns: this.addon(this.baseName, "coredns", versions.coredns, coreDnsConfiguration(this.args.plan.nodes), afterNodes),
      ebsCsiDriver: this.addon(this.baseName, "aws-ebs-csi-driver", versions["aws-ebs-csi-driver"], ebsCsiConfiguration(), [...afterNodes, ...(ebsIdentity ? [ebsIdentity] : [])]),
    };
  }

  private role(name: string, assumeRolePolicy: string, policies: readonly string[], description: string) {
    const role = new aws.iam.Role(name, { assumeRolePolicy, description: `gigafactory: ${description}` }, { parent: this });
    const attachments = policies.map(
      (p) => new aws.iam.RolePolicyAttachment(`${name}-${p.replace(/^.*\//, "")}`, { role: role.name, policyArn: managedPolicyArn(this.args.partition, p) }, { parent: this }),
    );
    return { role, attachments };
  }

  private controllerIdentities(name: string): aws.eks.PodIdentityAssociation[] {
    return controllerIdentities(this.args.controllers).map((c) => {
      const association = this.controllerIdentity(name, c);
      this.identityOf.set(c.controller, association);
      return association;
    });
  }

  private controllerIdentity(name: string, c: ControllerIdentity): aws.eks.PodIdentityAssociation {
    const { role, attachments } = this.role(`${name}-${c.controller}-role`, JSON.stringify(podIdentityTrustPolicy(this.args.dnsSuffix)), c.managedPolicies, `${c.controller} through Pod Identity`);
    const inline = c.inlinePolicy
      ? [new aws.iam.RolePolicy(`${name}-${c.controller}-policy`, { role: role.id, policy: JSON.stringify(c.inlinePolicy) }, { parent: this })]
      : [];
    if (c.encryptsWithFactoryKey) {
      const policy = pulumi.output(this.args.keyArn).apply((arn) => JSON.stringify(volumeEncryptionPolicy(arn)));
      inline.push(new aws.iam.RolePolicy(`${name}-${c.controller}-key-policy`, { role: role.id, policy }, { parent: this }));
    }
    return new aws.eks.PodIdentityAssociation(
      `${name}-${c.controller}-identity`,
      { clusterName: this.cluster.name, namespace: c.namespace, serviceAccount: c.serviceAccount, roleArn: role.arn },
      { parent: this, dependsOn: [...attachments, ...inline] },
    );
  }

  private addon(name: string, addon: AddonName, version: string, configuration: object | undefined, dependsOn: pulumi.Resource[]): aws.eks.Addon {
    return new aws.eks.Addon(
      `${name}-${addon}`,
      {
        clusterName: this.cluster.name,
        addonName: addon,
        addonVersion: version,
        configurationValues: configuration ? JSON.stringify(configuration) : undefined,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
      },
      { parent: this, dependsOn },
    );
  }

  /** Auto Scaling launches the node groups' instances, whose root volumes use the factory's key. */
  private nodeVolumeGrant(name: string, args: FactoryClusterArgs): void {
    const identity = aws.getCallerIdentityOutput({}, { parent: this });
    new aws.kms.Grant(
      `${name}-node-volumes-grant`,
      {
        name: `${args.clusterName}-node-volumes`,
        keyId: args.keyArn,
        granteePrincipal: identity.accountId.apply((account) => autoscalingServiceLinkedRoleArn(args.partition, account, args.dnsSuffix)),
        operations: [...VOLUME_GRANT_OPERATIONS],
      },
      { parent: this },
    );
  }
}
