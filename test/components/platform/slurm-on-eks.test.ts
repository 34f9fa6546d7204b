import { beforeAll, describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import { accountingInstanceClass, BACKUP_RETENTION_DAYS, MYSQL_PORT } from "../../../components/data/accounting-db";
import { DATABASE_PASSWORD_BYTES, JWT_KEY_BYTES, newSlurmCredentials, SLURM_KEY_BYTES } from "../../../components/data/slurm-secrets";
import { SLINKY_VERSION } from "../../../core/catalog/slinky-charts";
import { helmVersionProblem } from "../../../policies/guardrails/helm-versions";
import { factorySpec, pool } from "../../fixtures/blueprint/spec";
import { installRecordingMocks, settle, type Recorder, type Registered } from "../../support/recording-mocks";

// Slurm on EKS on Pulumi's mocks: its releases, its accounting database and its secrets, as declared.

const REGISTRY = "123456789012.dkr.ecr.eu-north-1.amazonaws.com";
const KEY = "arn:aws:kms:eu-north-1:123456789012:key/factory";
const DB_ADDRESS = "slurm-db.abc.eu-north-1.rds.amazonaws.com";
const { blueprint } = buildBlueprint(factorySpec({ pools: { train: pool({ nodes: 64 }), infer: pool({ instanceType: "p5.48xlarge", nodes: 8, availabilityZone: "eu-north-1b" }) } }));

// The SDK's wire form of a secret: a signature-keyed wrapper around the value (Pulumi's rpc specialSecretSig).
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The plaintext of an input that reached the engine as a secret; fails when it was sent as a plain value. */
function secretValue(input: unknown): any {
  const wrapper = input as Record<string, unknown> | undefined;
  const sigKey = wrapper && Object.keys(wrapper).find((k) => wrapper[k] === SECRET_SIG);
  if (!wrapper || sigKey === undefined || !("value" in wrapper)) throw new Error(`expected a secret, got ${JSON.stringify(input)}`);
  return wrapper.value;
}

let rec: Recorder;
const release = (name: string): Registered => rec.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name)!;
const secretJson = (suffix: string) => JSON.parse(secretValue(rec.one("aws:secretsmanager/secretVersion:SecretVersion", suffix).inputs.secretString));

beforeAll(async () => {
  rec = installRecordingMocks("eu-north-1", (args) => {
    if (args.type === "aws:rds/instance:Instance") return { address: DB_ADDRESS };
    // RDS names what the program leaves unnamed.
    if (args.type.startsWith("aws:rds/")) return { name: `${args.name}-name` };
    return {};
  });
  const { SlurmOnEks } = await import("../../../components/platform/slurm-on-eks");
  const { SlurmSecrets } = await import("../../../components/data/slurm-secrets");
  const { SlurmAccountingDatabase, SLURMDBD_USER } = await import("../../../components/data/accounting-db");
  // As the data layer keeps them, and the compute layer admits the cluster's nodes.
  const secrets = new SlurmSecrets("gf-slurm-secrets", { factory: blueprint.factory, keyArn: KEY, databaseUser: SLURMDBD_USER });
  const database = new SlurmAccountingDatabase("gf-slurm-db", {
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    clientSecurityGroupId: "sg-cluster",
    keyArn: KEY,
    password: secrets.databasePassword,
    nodes: blueprint.nodes,
    multiAz: true,
  });
  new SlurmOnEks("gf-slurm", {
    blueprint,
    registry: REGISTRY,
    slurmdImage: { repository: `${REGISTRY}/gigafactory/slurmd`, tag: `recipe-0@sha256:${"d".repeat(64)}` },
    credentials: { slurmKey: secrets.slurmKey, jwtKey: secrets.jwtKey, databasePassword: secrets.databasePassword },
    database: { address: database.address, port: database.port },
    keyArn: KEY,
    requires: [],
  });
  await settle();
});

describe("Slurm's releases", () => {
  it("are the operator's CRDs, the operator and the Slurm cluster, each from the factory's registry at the pinned version", () => {
    const releases = rec.ofType("kubernetes:helm.sh/v3:Release");
    expect(releases.map((r) => r.inputs.name).sort()).toEqual(["slurm", "slurm-operator", "slurm-operator-crds"]);
    for (const r of releases) {
      expect(r.inputs.chart).toBe(`oci://${REGISTRY}/charts/${r.inputs.name}`);
      expect(r.inputs.version).toBe(SLINKY_VERSION);
      expect(helmVersionProblem(r.inputs)).toBeUndefined();
    }
    expect(release("slurm").inputs.namespace).toBe("slurm");
    expect(release("slurm-operator").inputs.namespace).toBe("slinky");
  });

  it("point slurmdbd at the accounting database and Slurm at the keys the factory keeps", () => {
    const values = release("slurm").inputs.values;
    expect(values.accounting.storageConfig).toMatchObject({ host: DB_ADDRESS, port: MYSQL_PORT, username: "slurm" });
    const secrets = rec.ofType("kubernetes:core/v1:Secret");
    const names = secrets.map((s) => `${s.inputs.metadata.namespace}/${s.inputs.metadata.name}`);
    for (const ref of [values.slurmKey.secretRef, values.jwtKey.secretRef, values.accounting.storageConfig.passwordKeyRef]) {
      expect(names).toContain(`slurm/${ref.name}`);
    }
  });

  it("give a NodeSet per GPU pool with the pool's node count", () => {
    const nodesets = release("slurm").inputs.values.nodesets;
    expect(Object.fromEntries(Object.entries(nodesets).map(([k, v]) => [k, (v as { replicas: number }).replicas]))).toEqual({ train: 64, infer: 8 });
  });

  it("run slurmd above every tenant pod's priority, so no pod preempts a Slurm job, and never preempting one", () => {
    const [pc] = rec.ofType("kubernetes:scheduling.k8s.io/v1:PriorityClass");
    expect(pc.inputs.value).toBeGreaterThan(0);
    // Kubernetes keeps values above 1,000,000,000 for its system-* classes.
    expect(pc.inputs.value).toBeLessThanOrEqual(1_000_000_000);
    expect(pc.inputs.preemptionPolicy).toBe("Never");
    for (const n of Object.values(release("slurm").inputs.values.nodesets)) expect((n as { podSpec: { priorityClassName: string } }).podSpec.priorityClassName).toBe(pc.inputs.metadata.name);
  });
});

describe("Slurm's accounting database", () => {
  it("is RDS MySQL in the system subnets, encrypted with the factory's key, never public", () => {
    const db = rec.one("aws:rds/instance:Instance", "-mysql").inputs;
    expect(db).toMatchObject({ engine: "mysql", storageEncrypted: true, kmsKeyId: KEY, publiclyAccessible: false, multiAz: true, instanceClass: accountingInstanceClass(blueprint.nodes) });
    expect(rec.one("aws:rds/subnetGroup:SubnetGroup", "-subnets").inputs.subnetIds).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
  });

  it("survives a deletion: deletion protection, a final snapshot, 35 days of backups kept after the instance", () => {
    const db = rec.one("aws:rds/instance:Instance", "-mysql").inputs;
    expect(db).toMatchObject({ deletionProtection: true, skipFinalSnapshot: false, backupRetentionPeriod: BACKUP_RETENTION_DAYS, deleteAutomatedBackups: false, copyTagsToSnapshot: true });
    expect(db.finalSnapshotIdentifier).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it("is reached on MySQL's port from the cluster's security group and from nowhere else", () => {
    const sg = rec.one("aws:ec2/securityGroup:SecurityGroup", "-sg");
    expect(sg.inputs.ingress ?? []).toEqual([]);
    const rules = rec.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rules).toHaveLength(1);
    expect(rules[0].inputs).toMatchObject({ referencedSecurityGroupId: "sg-cluster", ipProtocol: "tcp", fromPort: MYSQL_PORT, toPort: MYSQL_PORT });
    expect(rules[0].inputs.cidrIpv4).toBeUndefined();
    expect(rec.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")).toHaveLength(0);
  });

  it("asks MySQL for the lock wait slurmdbd needs", () => {
    const pg = rec.one("aws:rds/parameterGroup:ParameterGroup", "-parameters").inputs;
    expect(pg.parameters).toContainEqual({ name: "innodb_lock_wait_timeout", value: "900" });
    expect(rec.one("aws:rds/instance:Instance", "-mysql").inputs.parameterGroupName).toBe("gf-slurm-db-parameters-name");
  });
});

describe("Slurm's secrets", () => {
  it("are kept in Secrets Manager with the factory's key and a 30-day recovery window", () => {
    const secrets = rec.ofType("aws:secretsmanager/secret:Secret");
    expect(secrets).toHaveLength(2);
    for (const s of secrets) expect(s.inputs).toMatchObject({ kmsKeyId: KEY, recoveryWindowInDays: 30 });
  });

  it("give RDS and slurmdbd the one password Secrets Manager keeps, as a Pulumi secret everywhere", () => {
    const { password } = secretJson("-database-version");
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(secretValue(rec.one("aws:rds/instance:Instance", "-mysql").inputs.password)).toBe(password);
    expect(secretValue(rec.one("kubernetes:core/v1:Secret", "-accounting-db").inputs.stringData).password).toBe(password);
    expect(rec.one("aws:rds/instance:Instance", "-mysql").inputs.manageMasterUserPassword).toBeUndefined();
  });

  it("put the keys Secrets Manager keeps into the cluster, at the sizes Slurm's documentation asks for", () => {
    const auth = secretJson("-auth-version");
    const data = secretValue(rec.one("kubernetes:core/v1:Secret", "-slinky-auth").inputs.data);
    expect(data).toEqual(auth);
    expect(Buffer.from(data["slurm.key"], "base64")).toHaveLength(SLURM_KEY_BYTES);
    expect(Buffer.from(data["jwt.key"], "base64")).toHaveLength(JWT_KEY_BYTES);
  });
});

describe("drawing Slurm's credentials", () => {
  it("draws each from its own bytes, at its size", () => {
    const sizes: number[] = [];
    const c = newSlurmCredentials((n) => {
      sizes.push(n);
      return Buffer.alloc(n, sizes.length);
    });
    expect(sizes).toEqual([SLURM_KEY_BYTES, JWT_KEY_BYTES, DATABASE_PASSWORD_BYTES]);
    expect(Buffer.from(c.slurmKey, "base64").every((b) => b === 1)).toBe(true);
    expect(Buffer.from(c.jwtKey, "base64").every((b) => b === 2)).toBe(true);
    expect(c.databasePassword).toHaveLength(32);
  });

  it("never draws the same credentials twice", () => {
    const a = newSlurmCredentials();
    const b = newSlurmCredentials();
    expect(a.slurmKey).not.toBe(b.slurmKey);
    expect(a.databasePassword).not.toBe(b.databasePassword);
  });
});

describe("the database's size", () => {
  it("grows with the factory and keeps slurmdbd's 4 GiB buffer pool from the smallest factory up", () => {
    const classes = [8, 1000, 1001, 5000, 5001, 25_000].map(accountingInstanceClass);
    expect(classes).toEqual(["db.r6g.large", "db.r6g.large", "db.r6g.xlarge", "db.r6g.xlarge", "db.r6g.2xlarge", "db.r6g.2xlarge"]);
  });
});
