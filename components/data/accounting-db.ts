import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

// Slurm's accounting database in the factory's region: Amazon RDS for MySQL, which slurmdbd speaks natively
// (accounting.html [P]). It holds every tenant's usage, fair-share history and limits: protected, retained,
// encrypted with the factory's key, backed up, Multi-AZ where the factory is not a trial.

export const SLURMDBD_USER = "slurm";
// The database slurmdbd writes into (slurmdbd.conf StorageLoc default, the slurm chart's storageConfig.database [P]).
export const ACCOUNTING_DATABASE = "slurm_acct_db";
export const MYSQL_PORT = 3306;
// MySQL 8.4, the long-term-support line RDS offers; minor versions follow AWS's automatic upgrades [U: RDS MySQL
// release calendar].
export const MYSQL_ENGINE_VERSION = "8.4";
export const MYSQL_PARAMETER_FAMILY = "mysql8.4";
// The longest RDS keeps automated backups (RDS user guide, backup retention period 0 to 35 days [P]).
export const BACKUP_RETENTION_DAYS = 35;
// slurmdbd's long purges and upgrades hold locks: "Set this to 900 seconds" (accounting.html [P]).
export const INNODB_LOCK_WAIT_TIMEOUT_S = 900;
// Storage starts at 100 GiB of gp3 and grows on its own up to 1 TiB [U: project sizing; a job record is a few KB].
export const ALLOCATED_STORAGE_GIB = 100;
export const MAX_ALLOCATED_STORAGE_GIB = 1000;

/**
 * The instance class for a factory of `nodes` GPU nodes. The buffer pool should be at least 4 GiB (accounting.html
 * [P]) and RDS gives it 3/4 of the memory: 16 GiB (db.r6g.large) and up, doubling where the node count means many
 * more jobs a day [U: project sizing].
 */
export function accountingInstanceClass(nodes: number): string {
  if (nodes <= 1000) return "db.r6g.large";
  if (nodes <= 5000) return "db.r6g.xlarge";
  return "db.r6g.2xlarge";
}

export interface SlurmAccountingDatabaseArgs {
  vpcId: pulumi.Input<string>;
  /** The system subnets (RDS wants two AZs at least). */
  subnetIds: pulumi.Input<string>[];
  /** The only clients: the cluster's nodes. The cluster comes later, so the compute layer admits it (admitAccountingClients). */
  clientSecurityGroupId?: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  /** slurmdbd's password, a Pulumi secret (secrets.ts). */
  password: pulumi.Input<string>;
  /** GPU nodes of the factory: chooses the instance class. */
  nodes: number;
  /** A standby in a second AZ. */
  multiAz: boolean;
}

export class SlurmAccountingDatabase extends pulumi.ComponentResource {
  readonly instance: aws.rds.Instance;
  readonly securityGroup: aws.ec2.SecurityGroup;
  /** The host name slurmdbd connects to. */
  readonly address: pulumi.Output<string>;
  readonly port: number = MYSQL_PORT;

  constructor(name: string, args: SlurmAccountingDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:slurm:AccountingDatabase", name, {}, opts);

    const subnets = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { subnetIds: args.subnetIds, description: "gigafactory: Slurm accounting in the system subnets" },
      { parent: this },
    );
    this.securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: "gigafactory: Slurm accounting database, reached from the cluster only", revokeRulesOnDelete: true, tags: { Name: `${name}-sg` } },
      { parent: this },
    );
    if (args.clientSecurityGroupId) admitAccountingClients(`${name}-from-cluster`, this.securityGroup.id, args.clientSecurityGroupId, { parent: this });
    const parameters = new aws.rds.ParameterGroup(
      `${name}-parameters`,
      {
        family: MYSQL_PARAMETER_FAMILY,
        description: "gigafactory: MySQL settings slurmdbd asks for",
        parameters: [{ name: "innodb_lock_wait_timeout", value: String(INNODB_LOCK_WAIT_TIMEOUT_S) }],
      },
      { parent: this },
    );

    this.instance = new aws.rds.Instance(
      `${name}-mysql`,
      {
        engine: "mysql",
        engineVersion: MYSQL_ENGINE_VERSION,
        instanceClass: accountingInstanceClass(args.nodes),
        dbName: ACCOUNTING_DATABASE,
        username: SLURMDBD_USER,
        password: pulumi.secret(args.password),
        port: MYSQL_PORT,
        allocatedStorage: ALLOCATED_STORAGE_GIB,
        maxAllocatedStorage: MAX_ALLOCATED_STORAGE_GIB,
        storageType: "gp3",
        storageEncrypted: true,
        kmsKeyId: args.keyArn,
        multiAz: args.multiAz,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [this.securityGroup.id],
        parameterGroupName: parameters.name,
        publiclyAccessible: false,
        backupRetentionPeriod: BACKUP_RETENTION_DAYS,
        copyTagsToSnapshot: true,
        // Automated backups outlive the instance; a deletion leaves a final snapshot behind.
        deleteAutomatedBackups: false,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${name}-final`,
        deletionProtection: true,
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
      },
      { parent: this, protect: true, retainOnDelete: true },
    );
    this.address = this.instance.address;
    this.registerOutputs({ address: this.address, securityGroupId: this.securityGroup.id });
  }
}

/** The database's one way in: MySQL from the cluster's nodes (the EKS cluster security group on their interfaces). */
export function admitAccountingClients(
  name: string,
  databaseSecurityGroupId: pulumi.Input<string>,
  clientSecurityGroupId: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupIngressRule {
  return new aws.vpc.SecurityGroupIngressRule(
    name,
    {
      securityGroupId: databaseSecurityGroupId,
      description: "slurmdbd on the cluster's nodes",
      ipProtocol: "tcp",
      fromPort: MYSQL_PORT,
      toPort: MYSQL_PORT,
      referencedSecurityGroupId: clientSecurityGroupId,
    },
    opts,
  );
}
