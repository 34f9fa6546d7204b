import type { LayerArgs } from "./root";
import { GigaFactory } from "./root";
import type { LayerOutputs } from "./exports";
import { FactoryStorage } from "../data/storage";
import { SlurmSecrets } from "../data/slurm-secrets";
import { SlurmAccountingDatabase, SLURMDBD_USER } from "../data/accounting-db";

/**
 * What holds the factory's data, in a stack of its own that pool and tenant changes never touch: the Lustre file
 * system and the buckets, Slurm's accounting database and its keys. Every resource here is protected and retained.
 */
export function declareData(root: GigaFactory, { spec, blueprint, below }: LayerArgs): LayerOutputs<"data"> {
  const name = root.factoryName;
  const children = root.children;
  const keyArn = below.get("foundation", "keyArn");
  const vpcId = below.get("foundation", "vpcId");
  const subnetIds = below.get("foundation", "subnetIds");
  const storage = new FactoryStorage(
    `${name}-data`,
    {
      plan: blueprint.storage,
      vpcId,
      vpcCidrs: blueprint.network.vpcCidrs,
      subnetId: subnetIds.apply((ids) => ids[blueprint.storage.subnet]),
      efaSecurityGroupId: below.get("foundation", "efaSecurityGroupId"),
      keyArn,
      logRetentionDays: spec.network.flowLogRetentionDays,
      checkpointsToKeep: spec.storage.checkpoint.keep,
    },
    children,
  );
  // Named as when Slurm on EKS held them (`<factory>-slurm-…`): names are in every URN.
  const secrets = new SlurmSecrets(`${name}-slurm-secrets`, { factory: blueprint.factory, keyArn, databaseUser: SLURMDBD_USER }, children);
  const database = new SlurmAccountingDatabase(
    `${name}-slurm-db`,
    {
      vpcId,
      subnetIds: GigaFactory.systemSubnetIds(blueprint, subnetIds),
      keyArn,
      password: secrets.databasePassword,
      nodes: blueprint.nodes,
      multiAz: blueprint.protection.highAvailability,
    },
    children,
  );
  return {
    fileSystemId: storage.fileSystem.id,
    lustreDnsName: storage.fileSystem.dnsName,
    lustreMountName: storage.fileSystem.mountName,
    buckets: Object.fromEntries(Object.entries(storage.buckets).map(([role, b]) => [role, { bucket: b.bucket, arn: b.arn }])) as unknown as LayerOutputs<"data">["buckets"],
    databaseAddress: database.address,
    databasePort: database.port,
    databaseSecurityGroupId: database.securityGroup.id,
    slurmKey: secrets.slurmKey,
    jwtKey: secrets.jwtKey,
    databasePassword: secrets.databasePassword,
  };
}
