import * as pulumi from "@pulumi/pulumi";
import type { Blueprint } from "../../core/blueprint/types";
import { ACCOUNTING_DATABASE, SlurmAccountingDatabase, SLURMDBD_USER } from "../data/accounting-db";
import { SlurmSecrets } from "./slurm-secrets";
import { SlinkySlurm } from "./slinky";
import type { LustreShareSource } from "../../core/render/kubernetes/tenants/lustre-share";

export interface SlurmOnEksArgs {
  blueprint: Blueprint;
  /** The factory's registry (ImageSupply): Slurm's charts and images come from it. */
  registry: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
  /** The system subnets: the accounting database lives there. */
  systemSubnetIds: pulumi.Input<string>[];
  /** The EKS cluster security group, on every node's interfaces: the database's only clients. */
  clusterSecurityGroupId: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  /** A database standby in a second AZ (every factory but a trial). */
  highAvailability: boolean;
  /** Releases, add-ons and nodes the charts need first (cert-manager, the device plugins, the EBS CSI driver, the system pool). */
  requires: pulumi.Resource[];
  /** The factory's Lustre file system, mounted by the login pods at /fsx. */
  lustre?: pulumi.Input<LustreShareSource>;
}

/**
 * Slurm on the factory's EKS cluster, on the same GPU nodes Kueue schedules. AWS side: its keys and database
 * password in Secrets Manager, its accounting database on RDS. In the cluster (the Kubernetes provider from the
 * options): the Slinky operator and the Slurm cluster, a NodeSet per GPU pool. It declares nothing itself: the AWS
 * components hand Slinky plain values (the keys, the database's address), so on a site's own cluster Slinky runs alone.
 */
export class SlurmOnEks extends pulumi.ComponentResource {
  readonly secrets: SlurmSecrets;
  readonly database: SlurmAccountingDatabase;
  readonly slinky: SlinkySlurm;

  constructor(name: string, args: SlurmOnEksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:slurm:SlurmOnEks", name, {}, opts);
    const { blueprint } = args;
    this.secrets = new SlurmSecrets(`${name}-secrets`, { factory: blueprint.factory, keyArn: args.keyArn, databaseUser: SLURMDBD_USER }, { parent: this });
    this.database = new SlurmAccountingDatabase(
      `${name}-db`,
      {
        vpcId: args.vpcId,
        subnetIds: args.systemSubnetIds,
        clientSecurityGroupId: args.clusterSecurityGroupId,
        keyArn: args.keyArn,
        password: this.secrets.databasePassword,
        nodes: blueprint.nodes,
        multiAz: args.highAvailability,
      },
      { parent: this },
    );
    this.slinky = new SlinkySlurm(
      `${name}-slinky`,
      {
        blueprint,
        registry: args.registry,
        credentials: { slurmKey: this.secrets.slurmKey, jwtKey: this.secrets.jwtKey, databasePassword: this.secrets.databasePassword },
        storage: { host: this.database.address, port: this.database.port, database: ACCOUNTING_DATABASE, username: SLURMDBD_USER },
        stateVolumeKeyArn: args.keyArn,
        lustre: args.lustre,
        requires: args.requires,
      },
      { parent: this },
    );
    this.registerOutputs({ databaseAddress: this.database.address, authSecretArn: this.secrets.auth.arn });
  }
}
