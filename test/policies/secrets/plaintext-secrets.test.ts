import { randomBytes } from "node:crypto";
import { describe as group, expect, it } from "vitest";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { looksRandom, secretSightings } from "../../../policies/lib/secret-shapes";
import { SECRETS_PACK } from "../../../policies/packs";
import { checkPlan, mandatory } from "../../fixtures/policies/check";
import { plannedSnapshot, REPO_STACKS } from "../../support/planned-stacks";

// A secret in plain text is found wherever it sits in a plan: in the fields that exist for secrets, in a
// ConfigMap's text, in JSON inside a string, in base64, under any field named like a secret.

async function violations(snapshot: PlanSnapshot): Promise<string[]> {
  return mandatory(await checkPlan(snapshot, {}, [SECRETS_PACK]), "no-plaintext-secrets").map((d) => `${d.resourceType}: ${d.message.split(" — ")[0]}`);
}

function leaky(base: PlanSnapshot): PlanSnapshot {
  const s = structuredClone(base);
  const key = randomBytes(64).toString("base64");
  for (const r of s.resources) {
    if (r.type === "aws:secretsmanager/secretVersion:SecretVersion") r.inputs.secretString = JSON.stringify({ "slurm.key": key });
    if (r.type === "aws:rds/instance:Instance") r.inputs.password = "correct-horse-battery";
  }
  const map = s.resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap")!;
  map.inputs.data = {
    "slurmdbd.conf": "StorageUser=slurm\nStoragePass=Sup3rS3cret!x\n",
    "munge.key": randomBytes(48).toString("base64"),
    "deploy.pem": Buffer.from("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n").toString("base64"),
    "settings.json": JSON.stringify({ upstream: { token: "ghp_0123456789abcdefghijABCDEFGHIJ012345" } }),
    "env": "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    "db-url": "postgres://slurm:pa55word-x@db.internal:5432/slurm",
  };
  return s;
}

group("no-plaintext-secrets", () => {
  it.each(REPO_STACKS)("passes the %s plan, whose secrets are all Pulumi secrets", async (stack) => {
    expect(await violations(await plannedSnapshot(stack))).toEqual([]);
  });

  it("finds the Slurm keys and the database password in plain text, and every secret shape in a ConfigMap", async () => {
    const out = await violations(leaky(await plannedSnapshot("dev")));
    expect(out).toEqual(
      expect.arrayContaining([
        "aws:secretsmanager/secretVersion:SecretVersion: `secretString` holds a secret in plain text",
        "aws:rds/instance:Instance: `password` holds a secret in plain text",
        "kubernetes:core/v1:ConfigMap: `data.slurmdbd.conf` holds a password, secret or token assigned in text in plain text",
        "kubernetes:core/v1:ConfigMap: `data.munge.key` holds a random value in the field munge.key in plain text",
        "kubernetes:core/v1:ConfigMap: `data.deploy.pem` holds a PEM private key (base64) in plain text",
        "kubernetes:core/v1:ConfigMap: `data.settings.json.upstream.token` holds a GitHub token in plain text",
        "kubernetes:core/v1:ConfigMap: `data.env` holds an AWS access key id in plain text",
        "kubernetes:core/v1:ConfigMap: `data.db-url` holds credentials in a URL in plain text",
      ]),
    );
  });

  it("leaves references, label keys, ARNs and the mark of a secret alone", () => {
    expect(
      secretSightings({
        secretId: "arn:aws:secretsmanager:eu-north-1:123456789012:secret:gf/slurm/auth-8675",
        password: "[secret]",
        passwordSecretRef: "slurm-db",
        key: "topology.kubernetes.io/zone",
        kubeconfig: JSON.stringify({ "certificate-authority-data": Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString("base64") }),
        script: "export PASSWORD=$(aws secretsmanager get-secret-value --secret-id x)",
        httpTokens: "required",
      }),
    ).toEqual([]);
    expect(looksRandom("node.kubernetes.io/instance-type")).toBe(false);
    expect(looksRandom(randomBytes(32).toString("base64"))).toBe(true);
  });
});
