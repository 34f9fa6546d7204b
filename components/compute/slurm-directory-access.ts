import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DirectoryPlan } from "../../core/blueprint/directory";
import { DIRECTORY_ROLE_PATH, directoryReadPolicy, directoryTrustPolicy } from "../../core/render/aws/directory-access";
import { DIRECTORY_SERVICE_ACCOUNT } from "../../core/render/slurm/directory";
import { SLURM_CHART } from "../../core/catalog/slinky-charts";

export interface SlurmDirectoryAccessArgs {
  factory: string;
  dnsSuffix: string;
  clusterName: pulumi.Input<string>;
  plan: DirectoryPlan;
}

/**
 * The AWS side of the directory's sssd.conf: the role that reads its one secret, and the Pod Identity association
 * that gives it to the copier's service account in Slurm's namespace (core/render/slurm/directory.ts). The secret's
 * value never passes through here: the cluster reads it.
 */
export function declareSlurmDirectoryAccess(name: string, args: SlurmDirectoryAccessArgs, opts: pulumi.CustomResourceOptions): aws.iam.Role {
  const namespace = SLURM_CHART.namespace;
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      name: args.plan.roleName,
      path: DIRECTORY_ROLE_PATH,
      description: `gigafactory ${args.factory}: copies the directory's sssd.conf into Slurm's namespace`,
      assumeRolePolicy: pulumi
        .output(args.clusterName)
        .apply((clusterName) => JSON.stringify(directoryTrustPolicy({ dnsSuffix: args.dnsSuffix, clusterName, namespace, serviceAccount: DIRECTORY_SERVICE_ACCOUNT }))),
    },
    opts,
  );
  new aws.iam.RolePolicy(`${name}-read`, { role: role.name, policy: JSON.stringify(directoryReadPolicy(args.plan, args.dnsSuffix)) }, opts);
  new aws.eks.PodIdentityAssociation(`${name}-identity`, { clusterName: args.clusterName, namespace, serviceAccount: DIRECTORY_SERVICE_ACCOUNT, roleArn: role.arn }, opts);
  return role;
}
