import * as pulumi from "@pulumi/pulumi";
import type { LayerArgs } from "./root";
import { GigaFactory } from "./root";
import type { LayerOutputs } from "./exports";
import { FactoryCluster } from "../compute/cluster";
import { SystemNodePool } from "../compute/system-pool";
import { GpuNodePool } from "../compute/gpu-node-pool";
import { grantRegistryPull } from "../foundation/image-supply";
import { admitAccountingClients } from "../data/accounting-db";
import { Observability } from "../compute/observability";
import { declareSlurmDirectoryAccess } from "../compute/slurm-directory-access";
import { offersManagedPrometheus } from "../../core/catalog/services";
import { POD_IDENTITY_CONTROLLERS } from "../../core/blueprint/quotas";
import { SHARED_TENANCY, SYSTEM_POOL } from "../../core/blueprint/labels";
import { LUSTRE_MOUNT_POINT } from "../../core/render/aws/lustre-mount";
import { factoryTags, TAG_POOL, TAG_TENANT } from "../../core/spec/tags";

/** The EKS control plane with its add-ons, the system pool and the GPU node groups, on the foundation and the data. */
export function declareCompute(root: GigaFactory, { spec, blueprint, below }: LayerArgs): LayerOutputs<"compute"> {
  const name = root.factoryName;
  const children = root.children;
  const keyArn = below.get("foundation", "keyArn");
  const subnetIds = below.get("foundation", "subnetIds");
  const systemSubnetIds = GigaFactory.systemSubnetIds(blueprint, subnetIds);
  const runnerRoleArn = below.get("foundation", "runnerRoleArn");

  const cluster = new FactoryCluster(
    `${name}-cluster`,
    {
      clusterName: blueprint.factory,
      region: blueprint.region,
      partition: blueprint.partition,
      dnsSuffix: blueprint.dnsSuffix,
      kubernetesVersion: spec.kubernetes.version,
      subnetIds: systemSubnetIds,
      keyArn,
      logRetentionDays: spec.network.flowLogRetentionDays,
      plan: blueprint.cluster,
      podAddressing: spec.network.podAddressing,
      controllers: POD_IDENTITY_CONTROLLERS,
      endpoint: blueprint.access.endpoint,
      apiSecurityGroupIds: [below.get("foundation", "apiServerSecurityGroupId")],
      deployer: blueprint.access.runner ? { roleArn: runnerRoleArn.apply((arn) => arn ?? ""), ...blueprint.access.runner.kubernetesAccess } : undefined,
      deletionProtection: blueprint.protection.deletionProtection,
    },
    children,
  );
  // The nodes pull every image through the registry's caches, which import an image on its first pull.
  grantRegistryPull(
    `${name}-scheduling-images-pull-through-0`,
    cluster.nodeRole.name,
    { partition: blueprint.partition, region: blueprint.region, accountId: below.get("foundation", "accountId") },
    { parent: root, provider: root.provider },
  );
  // Slurm's accounting database, made before the cluster, admits the cluster's nodes now that they have a group.
  admitAccountingClients(`${name}-slurm-db-from-cluster`, below.get("data", "databaseSecurityGroupId"), cluster.clusterSecurityGroupId, {
    parent: root,
    provider: root.provider,
  });

  const systemTags = { [TAG_POOL]: SYSTEM_POOL, [TAG_TENANT]: SHARED_TENANCY };
  const systemPool = new SystemNodePool(
    `${name}-system`,
    {
      plan: blueprint.system,
      clusterName: cluster.clusterName,
      join: cluster.join,
      clusterSecurityGroupId: cluster.clusterSecurityGroupId,
      nodeRoleArn: cluster.nodeRole.arn,
      subnetIds: systemSubnetIds,
      keyArn,
      tags: systemTags,
      instanceTags: { ...factoryTags(spec), ...systemTags },
      nodesDependOn: cluster.nodeAddons,
    },
    children,
  );
  // Every GPU node mounts the file system at boot.
  const lustre = pulumi
    .all([below.get("data", "lustreDnsName"), below.get("data", "lustreMountName")])
    .apply(([dnsName, mountName]) => ({ dnsName, mountName, mountPoint: LUSTRE_MOUNT_POINT }));
  for (const pool of blueprint.pools) {
    const tags = { [TAG_POOL]: pool.name, [TAG_TENANT]: pool.tenancy };
    new GpuNodePool(
      `${name}-${pool.name}`,
      {
        pool,
        units: blueprint.units.filter((u) => u.pool === pool.name),
        clusterName: cluster.clusterName,
        join: cluster.join,
        clusterSecurityGroupId: cluster.clusterSecurityGroupId,
        nodeRoleArn: cluster.nodeRole.arn,
        efaSecurityGroupId: below.get("foundation", "efaSecurityGroupId"),
        subnetIds: Object.fromEntries(blueprint.network.subnets.map((s) => [s.name, subnetIds.apply((ids) => ids[s.name])])),
        keyArn,
        tags,
        instanceTags: { ...factoryTags(spec), ...tags },
        nodesDependOn: cluster.nodeAddons,
        lustre,
      },
      children,
    );
  }
  // CoreDNS and the EBS CSI driver run on the system nodes: added once they exist.
  cluster.addSystemAddons([systemPool]);
  // A directory of the factory's own: the role that alone reads its sssd.conf, for Slurm's copier (platform layer).
  if (blueprint.directory) {
    declareSlurmDirectoryAccess(`${name}-slurm-directory`, { factory: blueprint.factory, dnsSuffix: blueprint.dnsSuffix, clusterName: cluster.clusterName, plan: blueprint.directory }, { parent: root, provider: root.provider });
  }
  if (offersManagedPrometheus(blueprint.region)) {
    // Metrics, logs and alerts in the factory's region, where the region offers the managed services; AWS's own
    // scraper reads the cluster, so this is the compute layer's and deploys from outside the VPC.
    new Observability(
      `${name}-observability`,
      {
        factory: blueprint.factory,
        region: blueprint.region,
        partition: blueprint.partition,
        dnsSuffix: blueprint.dnsSuffix,
        accountId: below.get("foundation", "accountId"),
        keyArn,
        logRetentionDays: spec.network.flowLogRetentionDays,
        clusterArn: cluster.cluster.arn,
        subnetIds: systemSubnetIds,
        securityGroupIds: [cluster.clusterSecurityGroupId],
      },
      children,
    );
  }

  return {
    clusterName: cluster.clusterName,
    clusterArn: cluster.cluster.arn,
    endpoint: cluster.cluster.endpoint,
    certificateAuthority: cluster.cluster.certificateAuthority.apply((ca) => ca?.data ?? ""),
    clusterSecurityGroupId: cluster.clusterSecurityGroupId,
    nodeRoleArn: cluster.nodeRole.arn,
  };
}
