import * as pulumi from "@pulumi/pulumi";
import type { Blueprint } from "../../core/blueprint/types";
import { ACCOUNTING_DATABASE, SLURMDBD_USER } from "../data/accounting-db";
import { SlinkySlurm, type SlurmCredentials } from "./slinky";
import type { LustreShareSource } from "../../core/render/kubernetes/tenants/lustre-share";

export interface SlurmOnEksArgs {
  blueprint: Blueprint;
  /** The factory's registry (ImageSupply): Slurm's charts and images come from it. */
  registry: pulumi.Input<string>;
  /** The factory's slurmd image the NodeSets run, by tag and digest (components/layers/slurmd-image-ref.ts). */
  slurmdImage: pulumi.Input<{ repository: string; tag: string }>;
  /** The factory's login image (Enroot and Pyxis on Slinky's login), by tag and digest; Slinky's own when absent. */
  loginImage?: pulumi.Input<{ repository: string; tag: string }>;
  /** Slurm's keys and slurmdbd's password, secret outputs of the data layer (components/data/slurm-secrets.ts). */
  credentials: SlurmCredentials;
  /** The accounting database the data layer keeps (components/data/accounting-db.ts). */
  database: { address: pulumi.Input<string>; port: number };
  /** The key slurmctld's state volume is encrypted with. */
  keyArn: pulumi.Input<string>;
  /** Releases, add-ons and nodes the charts need first (cert-manager, the device plugins, the EBS CSI driver, the system pool). */
  requires: pulumi.Resource[];
  /** The factory's Lustre file system, mounted by the login pods at /fsx. */
  lustre?: pulumi.Input<LustreShareSource>;
}

/**
 * Slurm on the factory's EKS cluster, on the same GPU nodes Kueue schedules: the Slinky operator and the Slurm
 * cluster, a NodeSet per GPU pool, in the cluster of the Kubernetes provider from the options. Its keys, password and
 * accounting database are the data layer's; it takes them as plain values, so on a site's own cluster Slinky runs alone.
 */
export class SlurmOnEks extends pulumi.ComponentResource {
  readonly slinky: SlinkySlurm;

  constructor(name: string, args: SlurmOnEksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:slurm:SlurmOnEks", name, {}, opts);
    const { blueprint } = args;
    this.slinky = new SlinkySlurm(
      `${name}-slinky`,
      {
        blueprint,
        registry: args.registry,
        slurmdImage: args.slurmdImage,
        ...(args.loginImage ? { loginImage: args.loginImage } : {}),
        credentials: args.credentials,
        storage: { host: args.database.address, port: args.database.port, database: ACCOUNTING_DATABASE, username: SLURMDBD_USER },
        stateVolumeKeyArn: args.keyArn,
        lustre: args.lustre,
        requires: args.requires,
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
