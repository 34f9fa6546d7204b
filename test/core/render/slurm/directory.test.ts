import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decide, parsePolicy, trusts } from "../../../../policies/lib/iam/evaluate";
import { directoryReadPolicy, directoryTrustPolicy } from "../../../../core/render/aws/directory-access";
import { DIRECTORY_SECRET, DIRECTORY_SERVICE_ACCOUNT, directoryObjects, renderDirectoryCopy, renderSlurmdNsswitch } from "../../../../core/render/slurm/directory";
import { slinkyValues, type SlinkyOptions } from "../../../../core/render/slurm/slinky-values";
import { stackBlueprint } from "../../../fixtures/slurm/stacks";
import { plannedSnapshot } from "../../../support/planned-stacks";
import { SLINKY_OPTIONS } from "../../../fixtures/slurm/slinky-options";

// A directory of the factory's own: its sssd.conf reaches the login and slurmd pods from Secrets Manager through the
// cluster alone. The gigafactory stack names one; the dev stack does not.

const OPTIONS: SlinkyOptions = SLINKY_OPTIONS;
const giga = stackBlueprint("gigafactory");
const ARN = giga.directory!.sssdSecretArn;
const CONF = "[sssd]\nservices = nss, pam, ssh\ndomains = corp\n\n[domain/corp]\nid_provider = ldap\nldap_uri = ldaps://ldap.corp.example\nldap_default_authtok = s3cr3t-bind-password\n";

describe("the rendered values carry the directory's sssd.conf", () => {
  const values = slinkyValues(giga, OPTIONS);
  it("the login pods take it from the copied Secret (the chart's sssd.secretRef): the chart makes none of its own", () => {
    expect(values.sssd).toEqual({ secretRef: { name: DIRECTORY_SECRET, key: "sssd.conf" } });
    expect(values.loginsets.login.extraSshdConfig).toMatch(/^AuthorizedKeysCommand \/usr\/bin\/sss_ssh_authorizedkeys %u$/m);
  });

  it("every NodeSet mounts it at /etc/sssd/sssd.conf, root's alone (0600), and resolves users slurm, files, sss", () => {
    for (const [name, nodeset] of Object.entries(values.nodesets)) {
      const mount = nodeset.slurmd.volumeMounts.find((m) => m.mountPath === "/etc/sssd/sssd.conf");
      expect(mount, name).toMatchObject({ subPath: "sssd.conf", readOnly: true });
      const volume = nodeset.podSpec.volumes!.find((v) => v.name === mount!.name) as any;
      expect(volume.secret).toEqual({ secretName: DIRECTORY_SECRET, defaultMode: 0o600, items: [{ key: "sssd.conf", path: "sssd.conf", mode: 0o600 }] });
      expect(nodeset.slurmd.volumeMounts.some((m) => m.mountPath === "/etc/nsswitch.conf")).toBe(true);
    }
    expect(renderSlurmdNsswitch(true)).toMatch(/^passwd: +slurm files sss$/m);
  });

  it("a factory without a directory mounts none and keeps the chart from making one it would mount", () => {
    const dev = slinkyValues(stackBlueprint("dev"), OPTIONS);
    expect(dev.sssd).toBeUndefined();
    expect(JSON.stringify(dev.nodesets)).not.toContain("/etc/sssd");
    expect(renderSlurmdNsswitch(false)).toMatch(/^passwd: +slurm files$/m);
    expect(dev.loginsets.login.extraSshdConfig).not.toContain("sss_ssh_authorizedkeys");
  });
});

describe("only the copier reads the secret", () => {
  const read = parsePolicy(directoryReadPolicy(giga.directory!, giga.dnsSuffix));
  const copier = { arn: "arn:aws:sts::123456789012:assumed-role/copier/x", account: "123456789012" };
  const may = (action: string, resource: string, context: Record<string, string> = {}) => decide({ principal: copier, action, resource, context }, [{ name: "read", document: read }], []).allowed;

  it("its role reads that one ARN, and nothing else", () => {
    expect(may("secretsmanager:GetSecretValue", ARN)).toBe(true);
    for (const other of [`${ARN}x`, ARN.replace("Xy12Ab", "Xy12Ac"), ARN.replace("sssd-conf", "sssd-conf2"), ARN.replace(/secret:.*/, "secret:gf-nordics/slurm/auth-AbC123")]) {
      expect(may("secretsmanager:GetSecretValue", other), other).toBe(false);
    }
    for (const action of ["secretsmanager:PutSecretValue", "secretsmanager:ListSecrets", "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"]) expect(may(action, ARN), action).toBe(false);
  });

  it("decrypts only through Secrets Manager, for that secret", () => {
    const key = "arn:aws:kms:eu-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const via = { "kms:ViaService": "secretsmanager.eu-north-1.amazonaws.com" };
    expect(may("kms:Decrypt", key, { ...via, "kms:EncryptionContext:SecretARN": ARN })).toBe(true);
    expect(may("kms:Decrypt", key, { ...via, "kms:EncryptionContext:SecretARN": ARN.replace("sssd-conf", "other") })).toBe(false);
    expect(may("kms:Decrypt", key, { "kms:EncryptionContext:SecretARN": ARN })).toBe(false);
    expect(may("kms:Decrypt", key)).toBe(false);
  });

  it("Pod Identity gives the role to the copier's service account in Slurm's namespace of this cluster only", () => {
    const trust = parsePolicy(directoryTrustPolicy({ dnsSuffix: "amazonaws.com", clusterName: "gf-nordics", namespace: "slurm", serviceAccount: DIRECTORY_SERVICE_ACCOUNT }));
    const pods = { service: "pods.eks.amazonaws.com" } as any;
    const tags = (namespace: string, sa: string, cluster = "gf-nordics") => ({ "aws:RequestTag/kubernetes-namespace": namespace, "aws:RequestTag/kubernetes-service-account": sa, "aws:RequestTag/eks-cluster-name": cluster });
    expect(trusts(trust, { principal: pods, action: "sts:AssumeRole", context: tags("slurm", DIRECTORY_SERVICE_ACCOUNT) }).allowed).toBe(true);
    expect(trusts(trust, { principal: pods, action: "sts:AssumeRole", context: tags("slurm", "default") }).allowed).toBe(false);
    expect(trusts(trust, { principal: pods, action: "sts:AssumeRole", context: tags("acme", DIRECTORY_SERVICE_ACCOUNT) }).allowed).toBe(false);
    expect(trusts(trust, { principal: pods, action: "sts:AssumeRole", context: tags("slurm", DIRECTORY_SERVICE_ACCOUNT, "other") }).allowed).toBe(false);
  });

  it("in the plan, no other role's inline policy may read it, and the copier may write that one Secret", async () => {
    const snapshot = await plannedSnapshot("gigafactory");
    const readers = snapshot.resources
      .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy")
      .filter((r) => typeof r.inputs.policy === "string" && decide({ principal: copier, action: "secretsmanager:GetSecretValue", resource: ARN }, [{ name: "p", document: parsePolicy(r.inputs.policy) }], []).allowed)
      .map((r) => r.urn.split("::").pop());
    expect(readers).toEqual(["gf-nordics-slurm-directory-read"]);
    const role = directoryObjects(giga.directory!, "slurm", OPTIONS.registry).find((o) => o.kind === "Role")!;
    expect(role.rules).toEqual([{ apiGroups: [""], resources: ["secrets"], resourceNames: [DIRECTORY_SECRET], verbs: ["get", "create", "patch"] }]);
  });
});

describe("the content never passes through Pulumi", () => {
  it("the plan declares no Secret of it, and names the secret only in its role, its copier and the blueprint", async () => {
    const snapshot = await plannedSnapshot("gigafactory");
    const named = snapshot.resources.filter((r) => JSON.stringify(r.inputs).includes(ARN)).map((r) => r.type).sort();
    expect(named).toEqual(["aws:iam/rolePolicy:RolePolicy", "kubernetes:batch/v1:CronJob"]);
    const secrets = snapshot.resources.filter((r) => r.type === "kubernetes:core/v1:Secret" && JSON.stringify(r.inputs).includes(DIRECTORY_SECRET));
    expect(secrets).toEqual([]);
    // No sssd.conf's settings anywhere: neither the directory's nor the chart's stand-in (its proxy to files).
    expect(/id_provider|ldap_uri|ldap_default_authtok|proxy_lib_name/.test(JSON.stringify(snapshot))).toBe(false);
  });
});

describe("the copier, run against stubs of the AWS CLI and the API server", () => {
  const dir = mkdtempSync(join(tmpdir(), "gf-directory-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bin = join(dir, "bin");
  const sa = join(dir, "sa");
  mkdirSync(bin);
  mkdirSync(sa);
  writeFileSync(join(sa, "token"), "service-account-token");
  writeFileSync(join(sa, "ca.crt"), "ca");
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  // curl keeps its arguments and the request body it would send.
  stub("curl", `printf '%s\\n' "$@" > "${dir}/curl.args"; for a in "$@"; do case "$a" in @*) cp "\${a#@}" "${dir}/request.json";; esac; done`);
  const run = (secretString: string) => {
    writeFileSync(join(dir, "secret-string"), secretString);
    stub("aws", `[ "$1 $2 $3 $4" = "secretsmanager get-secret-value --secret-id ${ARN}" ] || exit 9; cat "${dir}/secret-string"`);
    rmSync(join(dir, "request.json"), { force: true });
    return spawnSync("sh", ["-c", renderDirectoryCopy()], {
      encoding: "utf8",
      env: { PATH: `${bin}:${process.env.PATH}`, SECRET_ARN: ARN, NAMESPACE: "slurm", SECRET_NAME: DIRECTORY_SECRET, SECRET_KEY: "sssd.conf", GF_SERVICE_ACCOUNT_DIR: sa, GF_KUBERNETES_API: "https://api.test" },
    });
  };

  it("applies the Secret's one key by server-side apply, and prints nothing of the file", () => {
    const r = run(CONF);
    expect(r.status, r.stderr).toBe(0);
    const request = JSON.parse(readFileSync(join(dir, "request.json"), "utf8"));
    expect(request).toMatchObject({ apiVersion: "v1", kind: "Secret", metadata: { name: DIRECTORY_SECRET, namespace: "slurm" }, type: "Opaque" });
    expect(Buffer.from(request.data["sssd.conf"], "base64").toString("utf8")).toBe(CONF);
    const args = readFileSync(join(dir, "curl.args"), "utf8");
    expect(args).toContain(`https://api.test/api/v1/namespaces/slurm/secrets/${DIRECTORY_SECRET}?fieldManager=gigafactory-directory&force=true`);
    expect(args).toContain("Content-Type: application/apply-patch+yaml");
    expect(args).not.toContain("s3cr3t");
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/s3cr3t|ldap_uri/);
  });

  it("refuses a value without an [sssd] section and leaves the Secret as it is", () => {
    const r = run("None\n");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/holds no \[sssd\] section/);
    expect(existsSync(join(dir, "request.json"))).toBe(false);
  });
});
