import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type PlanSnapshot, SECRET_MARK, type SnapshotResource } from "../../../plan/snapshot";
import type { Blueprint } from "../../../core/blueprint/types";
import { factoryCharts, factoryMirrorCopies } from "../../../core/blueprint/registry";
import { renderMirrorScript } from "../../../core/render/kubernetes/mirror-script";
import { SLINKY_IMAGES, SLINKY_VERSION } from "../../../core/catalog/slinky-charts";
import { DATABASE_PASSWORD_BYTES, JWT_KEY_BYTES, SLURM_KEY_BYTES } from "../../../components/data/slurm-secrets";
import { gigafactory } from "../../support/cli-run";
import { plannedStack } from "../../support/planned-stacks";

// Slurm on EKS in the dev stack's real plan (`gigafactory plan`, the offline engine in a process of its own):
// the credentials the program draws never reach the snapshot, the state-bearing resources are protected, and two
// plans agree although each draws new bytes: this file's plan, with the draws fixed, and the run's plan of dev.

const FILL = 0x5a;

// Run before the program: every draw of Slurm's credential sizes returns known bytes, and is written down, so the
// test knows the plaintext it must never find.
const PRELOAD = `
const crypto = require("node:crypto");
const fs = require("node:fs");
const real = crypto.randomBytes;
crypto.randomBytes = function (size, callback) {
  if (callback || ![${SLURM_KEY_BYTES}, ${JWT_KEY_BYTES}, ${DATABASE_PASSWORD_BYTES}].includes(size)) return real.apply(this, arguments);
  fs.appendFileSync(process.env.DRAWS_FILE, size + "\\n");
  return Buffer.alloc(size, ${FILL});
};
`;

/** Plans dev with every draw of Slurm's credential sizes fixed. */
async function planWithFixedDraws(dir: string, name: string): Promise<string> {
  const out = join(dir, `${name}.json`);
  const r = await gigafactory(["plan", "--stack", "dev", "--json", out], { env: { DRAWS_FILE: join(dir, `${name}.draws`) }, nodeArgs: ["--require", join(dir, "fixed-random.js")] });
  if (r.code !== 0) throw new Error(`plan --stack dev with fixed draws exited ${r.code}: ${r.stderr}`);
  return readFileSync(out, "utf8");
}

let dir: string;
let text: string;
let other: string;
let snapshot: PlanSnapshot;
const slurmResources = (s: PlanSnapshot): SnapshotResource[] => s.resources.filter((r) => r.urn.includes("gigafactory:slurm:"));
const one = (type: string, suffix: string): SnapshotResource => {
  const found = slurmResources(snapshot).filter((r) => r.type === type && r.name.endsWith(suffix));
  if (found.length !== 1) throw new Error(`expected one ${type} *${suffix}, found ${found.length}`);
  return found[0];
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gigafactory-slurm-"));
  writeFileSync(join(dir, "fixed-random.js"), PRELOAD);
  [text, other] = await Promise.all([planWithFixedDraws(dir, "fixed"), plannedStack("dev").then((p) => p.text)]);
  snapshot = JSON.parse(text) as PlanSnapshot;
}, 300_000);

describe("Slurm's credentials in the dev plan", () => {
  it("are drawn by the program: the Slurm key, the JWT key and the database password", () => {
    expect(readFileSync(join(dir, "fixed.draws"), "utf8").trim().split("\n").map(Number)).toEqual([SLURM_KEY_BYTES, JWT_KEY_BYTES, DATABASE_PASSWORD_BYTES]);
  });

  it("never appear in the snapshot, in any encoding the program uses", () => {
    const bytes = Buffer.alloc(SLURM_KEY_BYTES, FILL);
    for (const plaintext of [bytes.toString("base64"), bytes.subarray(0, JWT_KEY_BYTES).toString("base64"), bytes.subarray(0, DATABASE_PASSWORD_BYTES).toString("base64url")]) {
      expect(text.includes(plaintext.slice(0, 16))).toBe(false);
    }
  });

  it("are written as secrets wherever they are an input: Secrets Manager, RDS and the cluster's Secrets", () => {
    for (const v of [one("aws:secretsmanager/secretVersion:SecretVersion", "-auth-version"), one("aws:secretsmanager/secretVersion:SecretVersion", "-database-version")]) {
      expect(v.inputs.secretString).toBe(SECRET_MARK);
    }
    expect(one("aws:rds/instance:Instance", "-mysql").inputs.password).toBe(SECRET_MARK);
    expect(one("kubernetes:core/v1:Secret", "-slinky-auth").inputs.data).toBe(SECRET_MARK);
    expect(one("kubernetes:core/v1:Secret", "-slinky-accounting-db").inputs.stringData).toBe(SECRET_MARK);
  });

  it("stay as drawn at creation: each secret's version ignores the bytes a later run draws", () => {
    for (const suffix of ["-auth-version", "-database-version"]) {
      expect(one("aws:secretsmanager/secretVersion:SecretVersion", suffix).ignoreChanges).toEqual(["secretString"]);
    }
  });

  it("leave two plans of the same stack alike, whatever bytes each drew", () => {
    const strip = (s: string) => JSON.stringify(slurmResources(JSON.parse(s) as PlanSnapshot));
    expect(strip(other)).toBe(strip(text));
    expect(slurmResources(snapshot).length).toBeGreaterThan(10);
  });
});

describe("Slurm's state in the dev plan", () => {
  it("is protected and retained: the database and both secrets with their versions", () => {
    for (const r of [
      one("aws:rds/instance:Instance", "-mysql"),
      one("aws:secretsmanager/secret:Secret", "-auth"),
      one("aws:secretsmanager/secret:Secret", "-database"),
      one("aws:secretsmanager/secretVersion:SecretVersion", "-auth-version"),
      one("aws:secretsmanager/secretVersion:SecretVersion", "-database-version"),
    ]) {
      expect(r.protect, r.name).toBe(true);
      expect(r.retainOnDelete, r.name).toBe(true);
    }
  });

  it("gives the login pods the whole file system at /fsx, as the GPU nodes have it, through a retained claim in Slurm's namespace", () => {
    // The same file system the tenants' shares mount.
    const tenantVolume = snapshot.resources.find((r) => r.type === "kubernetes:core/v1:PersistentVolume" && r.name.endsWith("-lustre-volume") && !r.name.includes("login"))!;
    const volume = one("kubernetes:core/v1:PersistentVolume", "-login-lustre-volume");
    const claim = one("kubernetes:core/v1:PersistentVolumeClaim", "-login-lustre-claim");
    const pv = volume.inputs as { metadata: { name: string }; spec: { claimRef: object; csi: { driver: string; volumeHandle: string; volumeAttributes: { mountname: string } } } };
    const pvc = claim.inputs as { metadata: { name: string; namespace: string }; spec: { volumeName: string } };
    expect(pv.spec.claimRef).toEqual({ namespace: "slurm", name: pvc.metadata.name });
    expect(pvc.spec.volumeName).toBe(pv.metadata.name);
    expect(pv.spec.csi.driver).toBe("fsx.csi.aws.com");
    // The same file system, a handle of its own: the driver and the kubelet track each volume by its handle.
    const fileSystem = (handle: string) => handle.split("::")[0];
    expect(fileSystem(pv.spec.csi.volumeHandle)).toBe(fileSystem((tenantVolume.inputs as typeof pv).spec.csi.volumeHandle));
    expect(pv.spec.csi.volumeHandle).not.toBe((tenantVolume.inputs as typeof pv).spec.csi.volumeHandle);
    // The root of the file system: no fileset path after the mount name.
    expect(pv.spec.csi.volumeAttributes.mountname).not.toContain("/");
    for (const r of [volume, claim]) {
      expect(r.protect, r.name).toBe(true);
      expect(r.retainOnDelete, r.name).toBe(true);
    }
    const slurm = one("kubernetes:helm.sh/v3:Release", "-slinky-slurm");
    expect(slurm.dependencies).toContain(claim.urn);
    const login = (slurm.inputs as { values: { loginsets: Record<string, { login: { volumeMounts: object[] }; podSpec: { volumes: object[] } }> } }).values.loginsets.login;
    expect(login.podSpec.volumes).toContainEqual({ name: "lustre", persistentVolumeClaim: { claimName: pvc.metadata.name } });
    expect(login.login.volumeMounts).toContainEqual({ name: "lustre", mountPath: "/fsx" });
  });

  it("gives every tenant's users to the login, slurmd and slurmctld pods: the platform's ConfigMap, each tenant's own patch of it in the tenants layer", () => {
    const base = one("kubernetes:core/v1:ConfigMap", "-slinky-identity");
    expect(base.layer).toBe("platform");
    const patches = snapshot.resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMapPatch");
    const blueprint = snapshot.blueprint as unknown as Blueprint;
    const withUsers = blueprint.tenants.filter((t) => t.users.length > 0);
    expect(patches).toHaveLength(withUsers.length);
    for (const t of withUsers) {
      const patch = patches.find((p) => p.name.endsWith(`-scheduling-${t.name}-slurm-identity`))!;
      expect(patch.layer).toBe("tenants");
      const inputs = patch.inputs as { metadata: { name: string; namespace: string }; data: Record<string, string> };
      expect(inputs.metadata).toEqual({ name: (base.inputs as { metadata: { name: string } }).metadata.name, namespace: "slurm" });
      for (const u of t.users) {
        expect(inputs.data[`${t.name}.accounts`]).toContain(`${u.name}:*:${u.uid}:${t.posixId}:`);
        expect(inputs.data[`${u.name}.authorized_keys`]).toBe(u.sshKeys.map((k) => `${k}\n`).join(""));
      }
    }
    const values = (one("kubernetes:helm.sh/v3:Release", "-slinky-slurm").inputs as { values: Record<string, any> }).values;
    const sidecars = [values.controller.podSpec, values.loginsets.login.podSpec, ...Object.values(values.nodesets).map((n: any) => n.podSpec)].map((p) => p.initContainers[0]);
    expect(sidecars.map((c) => c.image)).toEqual([values.controller.slurmctld.image, values.loginsetDefaults.login.image, ...Object.values(values.nodesets).map(() => values.nodesetDefaults.slurmd.image)].map((i) => `${i.repository}:${i.tag}`));
    for (const mounts of [values.controller.slurmctld.volumeMounts, values.loginsets.login.login.volumeMounts, ...Object.values(values.nodesets).map((n: any) => n.slurmd.volumeMounts)]) {
      expect(mounts).toContainEqual({ name: "gf-identity", mountPath: "/etc/passwd", subPath: "passwd", readOnly: true });
    }
  });

  it("runs every slurmd at a priority no tenant's pod reaches, and never lets it preempt one to get a node", () => {
    const cls = one("kubernetes:scheduling.k8s.io/v1:PriorityClass", "-node-priority").inputs as { metadata: { name: string }; value: number; preemptionPolicy: string; globalDefault: boolean };
    expect(cls.preemptionPolicy).toBe("Never");
    expect(cls.globalDefault).toBe(false);
    // Above every class the factory defines for tenants' pods, and above a pod without a class (0).
    const others = snapshot.resources.filter((r) => r.type === "kubernetes:scheduling.k8s.io/v1:PriorityClass" && r.urn !== one("kubernetes:scheduling.k8s.io/v1:PriorityClass", "-node-priority").urn);
    for (const o of others) expect(cls.value, o.name).toBeGreaterThan((o.inputs as { value: number }).value);
    expect(cls.value).toBeGreaterThan(0);
    const values = (one("kubernetes:helm.sh/v3:Release", "-slinky-slurm").inputs as { values: { nodesets: Record<string, { podSpec: { priorityClassName: string } }> } }).values;
    for (const [name, set] of Object.entries(values.nodesets)) expect(set.podSpec.priorityClassName, name).toBe(cls.metadata.name);
  });

  it("keeps slurmctld's state on an EBS volume of the factory's own class: encrypted with the factory's key, retained, made by the EBS CSI driver on the system nodes", () => {
    // The factory's key, as the cluster's secrets encryption names it.
    const inPlan = (type: string, suffix: string) => snapshot.resources.find((r) => r.type === type && r.name.endsWith(suffix))!;
    const keyArn = (inPlan("aws:eks/cluster:Cluster", "-eks").inputs as { encryptionConfig: { provider: { keyArn: string } } }).encryptionConfig.provider.keyArn;
    expect(keyArn).toMatch(/^arn:aws:kms:eu-[a-z]+-\d:\d{12}:key\//);
    const stateClass = one("kubernetes:storage.k8s.io/v1:StorageClass", "-state-class");
    const sc = stateClass.inputs as { metadata: { name: string }; provisioner: string; parameters: Record<string, string>; reclaimPolicy: string; volumeBindingMode: string };
    expect(sc.provisioner).toBe("ebs.csi.aws.com");
    expect(sc.parameters).toEqual({ type: "gp3", encrypted: "true", kmsKeyId: keyArn });
    expect(sc.reclaimPolicy).toBe("Retain");
    // Bound where slurmctld is scheduled, so the volume is created in its pod's AZ.
    expect(sc.volumeBindingMode).toBe("WaitForFirstConsumer");
    const slurm = one("kubernetes:helm.sh/v3:Release", "-slinky-slurm");
    expect((slurm.inputs as { values: { controller: { persistence: object } } }).values.controller.persistence).toEqual({ enabled: true, storageClassName: sc.metadata.name });
    const driver = snapshot.resources.find((r) => r.type === "aws:eks/addon:Addon" && (r.inputs as { addonName: string }).addonName === "aws-ebs-csi-driver")!;
    expect(JSON.parse((driver.inputs as { configurationValues: string }).configurationValues).controller.nodeSelector).toEqual({ "gigafactory.io/pool": "system" });
    // The class before the Slurm cluster; the driver is the compute layer's, deployed before the platform's releases.
    expect(slurm.dependencies).toContain(stateClass.urn);
    expect(driver.layer).toBe("compute");
    expect(slurm.layer).toBe("platform");
    // The driver's role may use the key only for grants to AWS resources (the attached volumes) and data keys.
    const keyPolicy = JSON.parse((inPlan("aws:iam/rolePolicy:RolePolicy", "-ebs-csi-controller-key-policy").inputs as { policy: string }).policy);
    for (const statement of keyPolicy.Statement) expect(statement.Resource).toBe(keyArn);
    expect(keyPolicy.Statement.find((st: { Action: string[] }) => st.Action.includes("kms:CreateGrant")).Condition).toEqual({ Bool: { "kms:GrantIsForAWSResource": "true" } });
  });

  it("installs the operator after cert-manager, the device plugins and the system nodes, and the Slurm cluster after the operator, its secrets and its database (the layers below)", () => {
    const operator = one("kubernetes:helm.sh/v3:Release", "-slurm-operator");
    const certManager = snapshot.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && (r.inputs as { name?: string }).name === "cert-manager");
    expect(certManager).toBeDefined();
    expect(operator.dependencies).toContain(certManager!.urn);
    expect(operator.dependencies.some((d) => d.includes("gpu-operator"))).toBe(true);
    const slurm = one("kubernetes:helm.sh/v3:Release", "-slinky-slurm");
    for (const needed of [operator.urn, one("kubernetes:core/v1:Secret", "-slinky-auth").urn]) expect(slurm.dependencies).toContain(needed);
    // The system nodes and the database are the compute and data layers': deployed before the platform's stack.
    const layers = snapshot.layers!.map((l) => l.name);
    const before = (a: string, b: string) => expect(layers.indexOf(a)).toBeLessThan(layers.indexOf(b));
    expect(operator.layer).toBe("platform");
    expect(snapshot.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.name.endsWith("-system-ng"))?.layer).toBe("compute");
    expect(one("aws:rds/instance:Instance", "-mysql").layer).toBe("data");
    before("compute", "platform");
    before("data", "platform");
  });
});

describe("the registry Slurm's releases install from, in the dev plan", () => {
  const releases = () => snapshot.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
  // The registry's copies (ImageSupply); the factory's own slurmd image has a repository of its own, filled by its build.
  const repositories = () =>
    new Set(snapshot.resources.filter((r) => r.type === "aws:ecr/repository:Repository" && r.urn.includes("gigafactory:kubernetes:ImageSupply")).map((r) => (r.inputs as { name: string }).name));

  it("holds a repository for every chart a release installs, Slinky's and cert-manager's among them", () => {
    const charts = releases().map((r) => (r.inputs as { chart: string }).chart);
    expect(charts.length).toBeGreaterThan(5);
    for (const chart of charts) {
      const repository = /^oci:\/\/[^/]+\/(charts\/[a-z0-9-]+)$/.exec(chart)?.[1];
      expect(repository, chart).toBeDefined();
      expect(repositories().has(repository!), chart).toBe(true);
    }
    for (const name of ["charts/slurm-operator-crds", "charts/slurm-operator", "charts/slurm", "charts/cert-manager"]) expect(repositories().has(name), name).toBe(true);
  });

  it("holds a repository for every Slinky image, and images/mirror.sh copies into exactly the plan's repositories", () => {
    const blueprint = snapshot.blueprint as unknown as Blueprint;
    const copies = factoryMirrorCopies(blueprint.pools);
    for (const image of Object.values(SLINKY_IMAGES)) expect(repositories().has(`ghcr/${image.repository}`), image.repository).toBe(true);
    expect([...new Set(copies.map((c) => c.repository))].sort()).toEqual([...repositories()].sort());
    const script = renderMirrorScript(blueprint, copies, factoryCharts(blueprint.pools)).content;
    for (const image of Object.values(SLINKY_IMAGES)) expect(script).toContain(`crane copy 'ghcr.io/${image.repository}:${image.tag}' "$REGISTRY/ghcr/${image.repository}:${image.tag}"`);
    expect(script).toContain(`helm pull 'oci://ghcr.io/slinkyproject/charts/slurm' --version '${SLINKY_VERSION}'`);
    expect(script).toMatch(/helm pull 'oci:\/\/quay\.io\/jetstack\/charts\/cert-manager' --version/);
  });
});

