import type { LayerArgs } from "./root";
import { GigaFactory } from "./root";
import type { LayerOutputs } from "./exports";
import { lustreSource } from "./platform";
import { inClusterProvider } from "./in-cluster";
import { Tenant } from "../tenants/tenant";
import { declareTenantAccess, type TenantAccessArgs } from "../tenants/tenant-access";
import { TENANT_BUCKET_ROLES } from "../../core/render/aws/tenant-s3-access";
import { tenancyContext, tenantObjects } from "../../core/render/kubernetes/tenants/objects";

/**
 * Everything of each tenant, in a stack of its own: its namespace, queues and share in the cluster, and its role,
 * access entry, key and access points in AWS. A new tenant changes this layer only.
 */
export function declareTenants(root: GigaFactory, { blueprint, below }: LayerArgs): LayerOutputs<"tenants"> {
  const name = root.factoryName;
  const kubernetes = inClusterProvider(root, blueprint.region, below);
  const ctx = tenancyContext(blueprint);
  const buckets = below.get("data", "buckets");
  const access: TenantAccessArgs = {
    factory: blueprint.factory,
    clusterName: below.get("compute", "clusterName"),
    partition: blueprint.partition,
    dnsSuffix: blueprint.dnsSuffix,
    accountId: below.get("foundation", "accountId"),
    data: {
      region: blueprint.region,
      vpcId: below.get("foundation", "vpcId"),
      buckets: Object.fromEntries(
        TENANT_BUCKET_ROLES.map((role) => [role, { bucket: buckets.apply((b) => b[role].bucket), arn: buckets.apply((b) => b[role].arn) }]),
      ) as unknown as NonNullable<TenantAccessArgs["data"]>["buckets"],
    },
  };
  const lustre = { source: lustreSource(blueprint, below), pools: blueprint.pools, registry: below.get("foundation", "registry") };
  // Each tenant's Slurm account, loaded into the platform layer's slurmdbd (deployed before this layer).
  const slurm = { blueprint, registry: below.get("foundation", "registry") };
  for (const tenant of blueprint.tenants) {
    // Named as when the scheduling held the tenants (`<factory>-scheduling-<tenant>`): names are in every URN.
    const tenantName = `${name}-scheduling-${tenant.name}`;
    const inCluster = new Tenant(tenantName, { tenant, objects: tenantObjects(blueprint, tenant, ctx), lustre, slurm }, { parent: root, providers: [kubernetes] });
    declareTenantAccess(tenantName, tenant, access, { parent: inCluster, provider: root.provider });
  }
  return { tenants: blueprint.tenants.map((t) => t.name) };
}
