import * as pulumi from "@pulumi/pulumi";
import type { LayerArgs } from "./root";
import { GigaFactory } from "./root";
import type { LayerOutputs } from "./exports";
import { inClusterProvider } from "./in-cluster";
import { resolveSlurmdImage } from "./slurmd-image-ref";
import { FactoryScheduling } from "../platform/scheduling";
import { SlurmOnEks } from "../platform/slurm-on-eks";
import { NodeHealth } from "../platform/node-health";
import { MYSQL_PORT } from "../data/accounting-db";
import { PLATFORM_CHARTS } from "../../core/blueprint/registry";

/**
 * What goes into the cluster for everyone: the add-ons, Kueue's topology and flavors, Slurm on Kubernetes. Nothing of
 * AWS but what the cluster reads: deployed from inside the VPC or an operator network.
 */
export function declarePlatform(root: GigaFactory, { spec, blueprint, below }: LayerArgs): LayerOutputs<"platform"> {
  const name = root.factoryName;
  const kubernetes = inClusterProvider(root, blueprint.region, below);
  const registry = below.get("foundation", "registry");
  const keyArn = below.get("foundation", "keyArn");
  const inCluster = { parent: root, providers: [kubernetes] };
  // The factory's slurmd image by tag and digest: the NodeSets run it, and so do the node-health checks.
  const slurmdImage = resolveSlurmdImage(below, { parent: root, provider: root.provider });
  const scheduling = new FactoryScheduling(`${name}-scheduling`, { blueprint, priorities: spec.priorities, registry, ...PLATFORM_CHARTS, requires: [] }, inCluster);
  new SlurmOnEks(
    `${name}-slurm`,
    {
      blueprint,
      registry,
      slurmdImage,
      loginImage: resolveSlurmdImage(below, { parent: root, provider: root.provider }, "loginImage"),
      credentials: { slurmKey: below.get("data", "slurmKey"), jwtKey: below.get("data", "jwtKey"), databasePassword: below.get("data", "databasePassword") },
      database: { address: below.get("data", "databaseAddress"), port: MYSQL_PORT },
      keyArn,
      lustre: lustreSource(blueprint, below),
      requires: Object.values(scheduling.addons.releases),
    },
    { parent: root, providers: [root.provider, kubernetes] },
  );
  new NodeHealth(`${name}-node-health`, { blueprint, registry, slurmdImage }, inCluster);
  return { kueueRelease: scheduling.addons.kueue.name };
}

/** What the tenants' shares and Slurm's login pods mount of the file system. */
export function lustreSource(blueprint: LayerArgs["blueprint"], below: LayerArgs["below"]) {
  return pulumi
    .all([below.get("data", "fileSystemId"), below.get("data", "lustreDnsName"), below.get("data", "lustreMountName")])
    .apply(([fileSystemId, dnsName, mountName]) => ({ fileSystemId, dnsName, mountName, capacityGiB: blueprint.storage.storageCapacityGiB }));
}
