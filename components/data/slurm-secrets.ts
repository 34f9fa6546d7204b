import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { randomBytes } from "node:crypto";
// The secret's document holds the keys under the file names Slinky mounts them as.
import { JWT_KEY_FILE, SLURM_KEY_FILE } from "../../core/catalog/slinky-charts";

// Slurm's secrets, generated once and kept in Secrets Manager in the factory's region, encrypted with the
// factory's key. How they stay stable without a random provider (none is installed, and one would need a plugin):
// the program draws fresh bytes on every run, but the secret's version ignores changes to its value, so the value
// AWS stores at creation is the one every later run reads back (`secretString`, a secret output). The plaintext is a
// Pulumi secret from the moment it is drawn: the state holds it encrypted and a plan shows "[secret]".
// - Not RDS's managed master password: RDS rotates it every 7 days, and slurmdbd reads its password from a
//   Kubernetes Secret that would go stale.
// - Not the slurm chart's own keys: it draws them in Helm (randAscii), outside Pulumi and any backup.
// Rotation is a deliberate act: unprotect and replace the version (`pulumi up --replace <version urn>`), then
// restart Slurm's pods.

// Slurm's shared key is 1024 random bytes (`dd if=/dev/random of=/etc/slurm/slurm.key bs=1024 count=1`,
// authentication.html [P]); the JWT key 32 (`bs=32 count=1`, jwt.html [P]).
export const SLURM_KEY_BYTES = 1024;
export const JWT_KEY_BYTES = 32;
// 24 bytes in base64url are 32 characters of [A-Za-z0-9_-]: within RDS MySQL's 41-character limit, and nothing
// slurmdbd.conf or a MySQL client would have to quote [U: RDS master password rules].
export const DATABASE_PASSWORD_BYTES = 24;

export interface SlurmCredentialValues {
  /** Base64 of the key's bytes, as a Kubernetes Secret's `data` holds it. */
  slurmKey: string;
  jwtKey: string;
  databasePassword: string;
}

export function newSlurmCredentials(random: (bytes: number) => Buffer = randomBytes): SlurmCredentialValues {
  return {
    slurmKey: random(SLURM_KEY_BYTES).toString("base64"),
    jwtKey: random(JWT_KEY_BYTES).toString("base64"),
    databasePassword: random(DATABASE_PASSWORD_BYTES).toString("base64url"),
  };
}

export interface SlurmSecretsArgs {
  /** Names the secrets `<factory>/slurm/…`. */
  factory: string;
  keyArn: pulumi.Input<string>;
  databaseUser: string;
}

/** Slurm's keys and slurmdbd's database password, AWS side: two Secrets Manager secrets, each a JSON document. */
export class SlurmSecrets extends pulumi.ComponentResource {
  readonly auth: aws.secretsmanager.Secret;
  readonly database: aws.secretsmanager.Secret;
  /** Base64 of each key, secret outputs. */
  readonly slurmKey: pulumi.Output<string>;
  readonly jwtKey: pulumi.Output<string>;
  readonly databasePassword: pulumi.Output<string>;

  constructor(name: string, args: SlurmSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:slurm:Secrets", name, {}, opts);
    const drawn = newSlurmCredentials();

    const auth = this.secret(
      `${name}-auth`,
      `${args.factory}/slurm/auth`,
      "Slurm's shared authentication key and JWT key",
      args.keyArn,
      pulumi.secret(JSON.stringify({ [SLURM_KEY_FILE]: drawn.slurmKey, [JWT_KEY_FILE]: drawn.jwtKey })),
    );
    const database = this.secret(
      `${name}-database`,
      `${args.factory}/slurm/accounting-db`,
      "slurmdbd's MySQL user",
      args.keyArn,
      pulumi.secret(JSON.stringify({ username: args.databaseUser, password: drawn.databasePassword })),
    );
    this.auth = auth.secret;
    this.database = database.secret;
    const field = (document: pulumi.Output<string>, key: string) => pulumi.secret(document.apply((text) => String(JSON.parse(text)[key])));
    this.slurmKey = field(auth.value, SLURM_KEY_FILE);
    this.jwtKey = field(auth.value, JWT_KEY_FILE);
    this.databasePassword = field(database.value, "password");
    this.registerOutputs({ authArn: this.auth.arn, databaseArn: this.database.arn });
  }

  private secret(name: string, secretName: string, description: string, keyArn: pulumi.Input<string>, value: pulumi.Output<string>) {
    const secret = new aws.secretsmanager.Secret(
      name,
      { name: secretName, description: `gigafactory: ${description}`, kmsKeyId: keyArn, recoveryWindowInDays: 30 },
      { parent: this, protect: true, retainOnDelete: true },
    );
    const version = new aws.secretsmanager.SecretVersion(
      `${name}-version`,
      { secretId: secret.id, secretString: value },
      // The value drawn at creation stays: later runs' fresh bytes are ignored (see the top of this file).
      { parent: this, protect: true, retainOnDelete: true, ignoreChanges: ["secretString"] },
    );
    return { secret, value: pulumi.secret(version.secretString.apply((s) => s ?? "")) };
  }
}
