import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { POD_IDENTITY_CONTROLLERS } from "../core/blueprint/quotas";
import type { Blueprint } from "../core/blueprint/types";
import type { ProvisionableBlueprint } from "../core/blueprint/provisionable";
import { GpuNodePool } from "./compute/gpu-node-pool";
import { declareQuotaRequests } from "./foundation/quota-requests";
import { SHARED_TENANCY, SYSTEM_POOL } from "../core/blueprint/labels";
import { SystemNodePool } from "./compute/system-pool";
import { FactoryCluster } from "./compute/cluster";
import { FactoryScheduling, SCHEDULING_TYPE, schedulingMirrorCopies } from "./platform/scheduling";
import { ImageSupply } from "./foundation/image-supply";
import { Tenant } from "./tenants/tenant";
import { declareTenantAccess, type TenantAccessArgs } from "./tenants/tenant-access";
import { tenancyContext, tenantObjects } from "../core/render/kubernetes/tenants/objects";
import type { LustreShareSource } from "../core/render/kubernetes/tenants/lustre-share";
import { FactoryNetwork } from "./foundation/network";
import { DeployPath } from "./foundation/deploy-path";
import { Observability } from "./platform/observability";
import { offersManagedPrometheus } from "../core/catalog/services";
import { FactoryKey } from "./foundation/factory-key";
import { SlurmOnEks } from "./platform/slurm-on-eks";
import { slinkyMirrorCopies } from "../core/catalog/slinky-charts";
import { FACTORY_NEEDS_CERT_MANAGER } from "../core/blueprint/registry";
import { FactoryStorage } from "./data/storage";
import type { FactorySpec } from "../core/spec/schema";
import { factoryTags, TAG_POOL, TAG_TENANT } from "../core/spec/tags";

export interface GigaFactoryArgs {
  spec: FactorySpec;
  blueprint: ProvisionableBlueprint;
  /** Declare service-quota increase requests for every adjustable quota the blueprint finds short. */
  requestQuotaIncreases?: boolean;
}

/**
 * The whole factory from one blueprint. It owns the explicit AWS provider for the factory's region,
 * so every resource below is pinned to that region and carries the factory's tags. It composes what AWS
 * provides with what goes into the cluster: the in-cluster components (scheduling, tenants, Slinky) take the
 * cluster's Kubernetes provider, the blueprint and plain values (the registry's host, the file system's name).
 */
export class GigaFactory extends pulumi.ComponentResource {
  readonly provider: aws.Provider;
  readonly key: FactoryKey;
  readonly network: FactoryNetwork;
  readonly deployPath: DeployPath;
  readonly cluster: FactoryCluster;
  readonly systemPool: SystemNodePool;
  readonly gpuPools: GpuNodePool[];
  readonly storage: FactoryStorage;
  readonly images: ImageSupply;
  readonly scheduling: FactoryScheduling;
  readonly tenants: Tenant[];
  readonly observability?: Observability;
  readonly slurm: SlurmOnEks;

  constructor(name: string, args: GigaFactoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:index:GigaFactory", name, {}, opts);
    const { spec, blueprint } = args;

    this.provider = new aws.Provider(
      `${name}-aws`,
      { region: blueprint.region, defaultTags: { tags: factoryTags(spec) } },
      { parent: this },
    );
    const children = { parent: this, providers: [this.provider] };

    this.key = new FactoryKey(
      `${name}-factory`,
      {
        region: blueprint.region,
        dnsSuffix: blueprint.dnsSuffix,
        description: `gigafactory ${spec.name}: logs, volumes and file systems`,
      },
      children,
    );
    this.network = new FactoryNetwork(
      `${name}-net`,
      { region: blueprint.region, plan: blueprint.network, keyArn: this.key.arn, flowLogRetentionDays: spec.network.flowLogRetentionDays },
      children,
    );
    const accountId = aws.getCallerIdentityOutput({}, { parent: this, provider: this.provider }).accountId;
    // The way into the private cluster: the API server's group, and the runner that deploys the in-cluster layers.
    this.deployPath = new DeployPath(
      `${name}-access`,
      {
        plan: blueprint.access,
        clusterName: blueprint.factory,
        region: blueprint.region,
        partition: blueprint.partition,
        dnsSuffix: blueprint.dnsSuffix,
        accountId,
        vpcId: this.network.vpcId,
        subnets: this.network.subnets,
        keyArn: this.key.arn,
      },
      children,
    );

    this.cluster = this.controlPlane(name, spec, blueprint, children);
    this.systemPool = this.systemNodes(name, spec, blueprint, children);
    // Storage before the GPU nodes: every GPU node mounts the file system at boot.
    this.storage = this.dataStores(name, spec, blueprint, children);
    this.gpuPools = this.gpuNodes(name, spec, blueprint, children);
    const systemAddons = this.cluster.addSystemAddons([this.systemPool]);
    // What the tenants' shares and Slurm's login pods mount of the file system.
    const lustre = pulumi
      .all([this.storage.fileSystem.id, this.storage.mount])
      .apply(([fileSystemId, mount]) => ({ fileSystemId, dnsName: mount.dnsName, mountName: mount.mountName, capacityGiB: blueprint.storage.storageCapacityGiB }));
    // The image supply and the tenants were children of the scheduling: they keep their names, and their aliases
    // let a live stack rename them instead of replacing them.
    const formerScheduling = pulumi.createUrn(`${name}-scheduling`, SCHEDULING_TYPE, this);
    const addonOptions = { certManager: FACTORY_NEEDS_CERT_MANAGER, lustre: true };
    this.images = new ImageSupply(
      `${name}-scheduling-images`,
      {
        region: blueprint.region,
        partition: blueprint.partition,
        dnsSuffix: blueprint.dnsSuffix,
        accountId,
        keyArn: this.key.arn,
        pullerRoleNames: [this.cluster.nodeRole.name],
        // Slurm's charts and images (this.slurm) come from the same registry.
        copies: [...schedulingMirrorCopies(blueprint.pools, addonOptions), ...slinkyMirrorCopies()],
      },
      { ...children, aliases: [{ parent: formerScheduling }] },
    );
    const inCluster = { parent: this, providers: [this.cluster.kubernetesProvider] };
    this.scheduling = new FactoryScheduling(
      `${name}-scheduling`,
      { blueprint, priorities: spec.priorities, registry: this.images.registry, ...addonOptions, requires: [this.systemPool, ...this.images.repositories] },
      inCluster,
    );
    this.tenants = this.tenancy(name, blueprint, accountId, lustre, { ...inCluster, aliases: [{ parent: formerScheduling }] });
    if (args.requestQuotaIncreases) declareQuotaRequests(name, blueprint.quotas, { parent: this, provider: this.provider });
    // Metrics, logs and alerts in the factory's region, where the region offers the managed services.
    if (offersManagedPrometheus(blueprint.region)) {
      this.observability = new Observability(
        `${name}-observability`,
        {
          factory: blueprint.factory,
          region: blueprint.region,
          partition: blueprint.partition,
          dnsSuffix: blueprint.dnsSuffix,
          accountId,
          keyArn: this.key.arn,
          logRetentionDays: spec.network.flowLogRetentionDays,
          clusterArn: this.cluster.cluster.arn,
          subnetIds: this.systemSubnetIds(blueprint),
          securityGroupIds: [this.cluster.clusterSecurityGroupId],
        },
        children,
      );
    }
    this.slurm = new SlurmOnEks(
      `${name}-slurm`,
      {
        blueprint,
        registry: this.images.registry,
        vpcId: this.network.vpcId,
        systemSubnetIds: this.systemSubnetIds(blueprint),
        clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
        keyArn: this.key.arn,
        highAvailability: blueprint.protection.highAvailability,
        lustre,
        requires: [this.systemPool, systemAddons.ebsCsiDriver, ...Object.values(this.scheduling.addons.releases)],
      },
      { ...children, providers: [this.provider, this.cluster.kubernetesProvider] },
    );

    this.registerOutputs({
      vpcId: this.network.vpcId,
      keyArn: this.key.arn,
      clusterName: this.cluster.clusterName,
      fileSystemId: this.storage.fileSystem.id,
    });
  }

  /** One Tenant per tenant in the cluster, its AWS access under it; named as when the scheduling held them (names are in every URN). */
  private tenancy(name: string, blueprint: Blueprint, accountId: pulumi.Output<string>, lustre: pulumi.Output<LustreShareSource>, opts: pulumi.ComponentResourceOptions): Tenant[] {
    const ctx = tenancyContext(blueprint);
    const access: TenantAccessArgs = {
      factory: blueprint.factory,
      clusterName: this.cluster.clusterName,
      partition: blueprint.partition,
      accountId,
      data: { region: blueprint.region, vpcId: this.network.vpcId, buckets: this.storage.buckets },
    };
    return blueprint.tenants.map((tenant) => {
      const tenantName = `${name}-scheduling-${tenant.name}`;
      const inCluster = new Tenant(
        tenantName,
        { tenant, objects: tenantObjects(blueprint, tenant, ctx), kueue: this.scheduling.addons.kueue, lustre: { source: lustre, pools: blueprint.pools, registry: this.images.registry } },
        opts,
      );
      declareTenantAccess(tenantName, tenant, access, { parent: inCluster, provider: this.provider });
      return inCluster;
    });
  }

  private controlPlane(name: string, spec: FactorySpec, blueprint: ProvisionableBlueprint, opts: pulumi.ComponentResourceOptions): FactoryCluster {
    return new FactoryCluster(
      `${name}-cluster`,
      {
        clusterName: blueprint.factory,
        region: blueprint.region,
        partition: blueprint.partition,
        dnsSuffix: blueprint.dnsSuffix,
        kubernetesVersion: spec.kubernetes.version,
        subnetIds: this.systemSubnetIds(blueprint),
        keyArn: this.key.arn,
        logRetentionDays: spec.network.flowLogRetentionDays,
        plan: blueprint.cluster,
        podAddressing: spec.network.podAddressing,
        controllers: POD_IDENTITY_CONTROLLERS,
        endpoint: blueprint.access.endpoint,
        apiSecurityGroupIds: [this.deployPath.apiServerSecurityGroup.id],
        deployer:
          this.deployPath.runnerRole && blueprint.access.runner
            ? { roleArn: this.deployPath.runnerRole.arn, ...blueprint.access.runner.kubernetesAccess }
            : undefined,
        deletionProtection: blueprint.protection.deletionProtection,
      },
      opts,
    );
  }

  private systemNodes(name: string, spec: FactorySpec, blueprint: ProvisionableBlueprint, opts: pulumi.ComponentResourceOptions): SystemNodePool {
    const tags = { [TAG_POOL]: SYSTEM_POOL, [TAG_TENANT]: SHARED_TENANCY };
    return new SystemNodePool(
      `${name}-system`,
      {
        plan: blueprint.system,
        clusterName: this.cluster.clusterName,
        join: this.cluster.join,
        clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
        nodeRoleArn: this.cluster.nodeRole.arn,
        subnetIds: this.systemSubnetIds(blueprint),
        keyArn: this.key.arn,
        tags,
        instanceTags: { ...factoryTags(spec), ...tags },
        nodesDependOn: this.cluster.nodeAddons,
      },
      opts,
    );
  }

  private gpuNodes(name: string, spec: FactorySpec, blueprint: ProvisionableBlueprint, opts: pulumi.ComponentResourceOptions): GpuNodePool[] {
    const subnetIds = Object.fromEntries(Object.entries(this.network.subnets).map(([subnet, s]) => [subnet, s.id]));
    return blueprint.pools.map((pool) => {
      const tags = { [TAG_POOL]: pool.name, [TAG_TENANT]: pool.tenancy };
      return new GpuNodePool(
        `${name}-${pool.name}`,
        {
          pool,
          units: blueprint.units.filter((u) => u.pool === pool.name),
          clusterName: this.cluster.clusterName,
          join: this.cluster.join,
          clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
          nodeRoleArn: this.cluster.nodeRole.arn,
          efaSecurityGroupId: this.network.efaSecurityGroup.id,
          subnetIds,
          keyArn: this.key.arn,
          tags,
          instanceTags: { ...factoryTags(spec), ...tags },
          nodesDependOn: this.cluster.nodeAddons,
          lustre: this.storage.mount,
        },
        opts,
      );
    });
  }

  private dataStores(name: string, spec: FactorySpec, blueprint: ProvisionableBlueprint, opts: pulumi.ComponentResourceOptions): FactoryStorage {
    return new FactoryStorage(
      `${name}-data`,
      {
        plan: blueprint.storage,
        vpcId: this.network.vpcId,
        vpcCidrs: blueprint.network.vpcCidrs,
        subnetId: this.network.subnets[blueprint.storage.subnet].id,
        efaSecurityGroupId: this.network.efaSecurityGroup.id,
        keyArn: this.key.arn,
        logRetentionDays: spec.network.flowLogRetentionDays,
        checkpointsToKeep: spec.storage.checkpoint.keep,
      },
      opts,
    );
  }

  private systemSubnetIds(blueprint: Blueprint): pulumi.Output<string>[] {
    return blueprint.network.subnets.filter((s) => s.role === "system").map((s) => this.network.subnets[s.name].id);
  }
}
