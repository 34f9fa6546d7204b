import { scriptEnv } from "../../support/script-env";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { fieldEffect, rulesFor } from "../../../plan/replacement";
import { LABEL_POOL } from "../../../core/blueprint/labels";
import { FSX_CSI_DRIVER_CHART } from "../../../core/catalog/charts";
import { lustreStorageClass, tenantLustreObjects, tenantShareJob, tenantShareGiB, FSX_CSI_DRIVER, LUSTRE_STORAGE_CLASS } from "../../../core/render/kubernetes/tenants/lustre-share";
import { ACCESS_POINT_NAME_MAX, tenantAccessPointName, tenantAccessPointPolicy, tenantDataPolicy, TENANT_BUCKET_ROLES } from "../../../core/render/aws/tenant-s3-access";
import { gigafactoryServed } from "../../support/cli-run";
import { projectWith } from "../../fixtures/diff/real-plans";
import { plannedSnapshot } from "../../support/planned-stacks";

const fs = { fileSystemId: "fs-0123456789abcdef0", dnsName: "fs-0123456789abcdef0.fsx.eu-north-1.amazonaws.com", mountName: "abcdefgh", capacityGiB: 806_400 };
const teamA = { name: "team-a", share: 0.25, pools: ["train"], posixId: 1_234_567 };

describe("a tenant's share of the Lustre file system", () => {
  const { persistentVolume: pv, persistentVolumeClaim: pvc } = tenantLustreObjects(teamA, fs);
  const spec = (o: { [k: string]: unknown }) => o.spec as any;

  it("mounts only the tenant's own fileset of the factory's file system through the FSx CSI driver", () => {
    expect(spec(pv).csi).toEqual({
      driver: FSX_CSI_DRIVER,
      volumeHandle: `${fs.fileSystemId}::lustre-team-a`,
      volumeAttributes: { dnsname: fs.dnsName, mountname: "abcdefgh/tenants/team-a" },
    });
    expect(spec(pv).accessModes).toEqual(["ReadWriteMany"]);
  });

  it("is bound in advance to the one claim in the tenant's namespace, and keeps the data when the claim goes", () => {
    expect(spec(pv).claimRef).toEqual({ namespace: "team-a", name: "lustre" });
    expect(spec(pv).persistentVolumeReclaimPolicy).toBe("Retain");
    expect(pvc.metadata).toMatchObject({ name: "lustre", namespace: "team-a" });
    expect(spec(pvc).volumeName).toBe(pv.metadata.name);
    expect(spec(pvc).storageClassName).toBe(spec(pv).storageClassName);
  });

  it("says the tenant's part of the capacity by its GPU share, and keeps the volume as it is when that moves", () => {
    expect(pv.metadata.annotations).toEqual({ "gigafactory.io/lustre-share-gib": String(Math.floor(806_400 * 0.25)), "pv.beta.kubernetes.io/gid": "1234567" });
    expect(pvc.metadata.annotations).toEqual(pv.metadata.annotations);
    const grown = tenantLustreObjects({ ...teamA, share: 0.5 }, { ...fs, capacityGiB: 2 * fs.capacityGiB });
    expect(grown.persistentVolume.spec).toEqual(pv.spec);
    expect(grown.persistentVolumeClaim.spec).toEqual(pvc.spec);
    expect(spec(pvc).resources.requests.storage).toBe(spec(pv).capacity.storage);
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1200, max: 10_000_000 }), (share, capacity) => {
      const gib = tenantShareGiB({ share }, capacity);
      return Number.isInteger(gib) && gib >= 1 && gib <= capacity;
    }));
  });

  it("has a storage class that can never provision a file system of its own", () => {
    expect(lustreStorageClass()).toMatchObject({ metadata: { name: LUSTRE_STORAGE_CLASS }, provisioner: "kubernetes.io/no-provisioner", reclaimPolicy: "Retain" });
  });

  describe("the Job that makes the share's directory", () => {
    const pools = [
      { name: "train", instanceType: "p5.48xlarge" },
      { name: "infer", instanceType: "trn2.48xlarge" },
    ];
    const job = tenantShareJob(teamA, pools, "registry/alpine:3.22", fs.capacityGiB) as any;
    const pod = job.spec.jobTemplate.spec.template.spec;

    it("runs only on nodes of the tenant's pools, through their accelerator taint, without holding the deploy", () => {
      expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
        { matchExpressions: [{ key: LABEL_POOL, operator: "In", values: ["train"] }] },
      ]);
      expect(pod.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
      // A CronJob: it waits for no node at deploy time, and a new quota changes its template in place.
      expect(job).toMatchObject({ kind: "CronJob", spec: { schedule: "*/15 * * * *", concurrencyPolicy: "Forbid" } });
      // The node's own tools, in the node's mount namespace: its /fsx and its lfs.
      expect(pod.hostPID).toBe(true);
      expect(pod.containers[0].command.slice(0, 5)).toEqual(["nsenter", "--target", "1", "--mount", "--"]);
    });

    // The script runs against a scratch folder standing in for the node's /fsx, with `stat` answering the file
    // system's magic as the node's would, and `chown` and `lfs` recording what they were asked.
    const runScript = (magic: string) => {
      const dir = mkdtempSync(join(tmpdir(), "gf-share-"));
      const host = join(dir, "fsx");
      const bin = join(dir, "bin");
      const calls = join(dir, "calls");
      mkdirSync(host);
      mkdirSync(bin);
      writeFileSync(join(bin, "stat"), `#!/bin/sh\necho ${magic}\n`);
      for (const tool of ["chown", "lfs"]) writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> ${calls}\n`);
      for (const tool of ["stat", "chown", "lfs"]) chmodSync(join(bin, tool), 0o755);
      const script = String(pod.containers[0].command[7]).replaceAll("/fsx", host);
      const r = spawnSync("sh", ["-c", script], { env: scriptEnv([bin]), encoding: "utf8" });
      const recorded = existsSync(calls) ? readFileSync(calls, "utf8").replaceAll(host, "/fsx").trim().split("\n") : [];
      return { status: r.status, stderr: r.stderr, share: join(host, "tenants", "team-a"), calls: recorded };
    };

    it("makes the directory, the tenant's own and closed to others, and caps it with a project quota of its share", () => {
      const r = runScript("bd00bd0");
      expect(r.status).toBe(0);
      expect(statSync(r.share).mode & 0o7777).toBe(0o2770);
      expect(r.calls).toEqual([
        "chown 1234567:1234567 /fsx/tenants/team-a",
        "lfs project -d /fsx/tenants/team-a",
        "lfs project -p 1234567 -s -r /fsx/tenants/team-a",
        `lfs setquota -p 1234567 -B ${Math.floor(806_400 * 0.25)}G /fsx`,
      ]);
    });

    it("refuses to make anything on a node where the mount is missing, and fails so the Job tries again", () => {
      const r = runScript("ef53");
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/no Lustre file system at \S*\/fsx on this node/);
      expect(existsSync(r.share)).toBe(false);
    });
  });
});

describe("a tenant's access to the factory's buckets", () => {
  const ctx = {
    partition: "aws",
    region: "eu-north-1",
    accountId: "123456789012",
    accessPointName: "gf-team-a-datasets",
    tenant: "team-a",
    roleArns: ["arn:aws:iam::123456789012:role/gigafactory/tenants/gf-team-a", "arn:aws:iam::123456789012:role/gigafactory/tenants/gf-team-a-workload"],
    tenantKeyArn: "arn:aws:kms:eu-north-1:123456789012:key/k-a",
  };
  const policy = tenantAccessPointPolicy(ctx);
  const statement = (sid: string) => policy.Statement.find((s) => s.Sid === sid) as any;

  it("lets only the tenant's roles (its people's and its pods') read and write, under its own prefix", () => {
    for (const sid of ["TenantObjects", "TenantListing"]) expect(statement(sid).Principal).toEqual({ AWS: ctx.roleArns });
    expect(statement("TenantObjects").Resource).toBe("arn:aws:s3:eu-north-1:123456789012:accesspoint/gf-team-a-datasets/object/tenants/team-a/*");
    expect(statement("TenantListing").Condition.StringLike["s3:prefix"]).toEqual(["tenants/team-a/", "tenants/team-a/*"]);
  });

  it("refuses any object not encrypted with the tenant's own key, a missing header included", () => {
    const deny = statement("TenantKeyOnly");
    expect(deny).toMatchObject({ Effect: "Deny", Principal: "*", Action: "s3:PutObject" });
    // StringNotEquals (not …IfExists) also matches a request without the header.
    expect(deny.Condition).toEqual({ StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": ctx.tenantKeyArn } });
  });

  it("gives the role its prefix only through its own access points", () => {
    const ap = "arn:aws:s3:eu-north-1:123456789012:accesspoint/gf-team-a-datasets";
    const doc = tenantDataPolicy("team-a", [{ bucketArn: "arn:aws:s3:::gf-datasets", accessPointArn: ap }]);
    for (const s of doc.Statement as any[]) {
      expect(s.Condition.StringEquals["s3:DataAccessPointArn"]).toBe(ap);
      for (const r of [s.Resource].flat()) expect(r === ap || r === "arn:aws:s3:::gf-datasets" || r.endsWith("tenants/team-a/*")).toBe(true);
    }
  });

  it("names every access point within S3's rules, distinct per factory, tenant and bucket", () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,40}[a-z0-9]$/);
    fc.assert(
      fc.property(label, label, label, (factory, a, b) => {
        const names = TENANT_BUCKET_ROLES.flatMap((r) => [tenantAccessPointName(factory, a, r), tenantAccessPointName(factory, b, r)]);
        for (const n of names) {
          if (n.length > ACCESS_POINT_NAME_MAX || n.length < 3 || !/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(n) || n.endsWith("-s3alias")) return false;
        }
        return a === b || new Set(names).size === names.length;
      }),
    );
  });

  it("the review says an EFA-enabled file system keeps its throughput tier", () => {
    const tier = fieldEffect(rulesFor("aws:fsx/lustreFileSystem:LustreFileSystem")!, "perUnitStorageThroughput", 125, 250);
    expect(tier.effect).toBe("in-place");
    expect(tier.note).toMatch(/EFA-enabled file system keeps the tier it was created with/);
    expect(fieldEffect(rulesFor("aws:fsx/lustreFileSystem:LustreFileSystem")!, "dataCompressionType", "NONE", "LZ4").note).toBeUndefined();
  });

  it("is replaced, and so reviewed, when its bucket, name or network changes; its policy changes in place", () => {
    const rules = rulesFor("aws:s3/accessPoint:AccessPoint")!;
    expect(rules.fields.bucket).toBe("replace");
    expect(rules.fields.vpcConfiguration).toBe("replace");
    expect(rules.fields.policy).toBe("in-place");
  });
});

describe("tenants' storage in the dev plan", () => {
  let plan: PlanSnapshot;
  beforeAll(async () => {
    plan = await plannedSnapshot("dev");
  }, 300_000);
  const ofType = (t: string) => plan.resources.filter((r) => r.type === t);
  const tenants = () => (plan.blueprint as any).tenants as { name: string }[];

  it("gives every tenant a VPC-only access point to the datasets and the checkpoints, with public access blocked", () => {
    const points = ofType("aws:s3/accessPoint:AccessPoint");
    expect(points).toHaveLength(tenants().length * TENANT_BUCKET_ROLES.length);
    for (const p of points) {
      const inputs = p.inputs as any;
      expect(inputs.vpcConfiguration.vpcId).toMatch(/^vpc-/);
      expect(inputs.publicAccessBlockConfiguration).toEqual({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      expect(inputs.tags["gigafactory:tenant"]).toBeDefined();
    }
  });

  it("gives every tenant's volume a handle of its own", () => {
    const handles = ofType("kubernetes:core/v1:PersistentVolume").map((r) => (r.inputs as any).spec.csi.volumeHandle);
    expect(new Set(handles).size).toBe(handles.length);
  });

  it("gives every tenant a protected volume and claim of its share, and installs the FSx CSI driver from the factory's registry", () => {
    for (const t of tenants()) {
      const pv = ofType("kubernetes:core/v1:PersistentVolume").find((r) => (r.inputs as any).metadata.name === `lustre-${t.name}`)!;
      const pvc = ofType("kubernetes:core/v1:PersistentVolumeClaim").find((r) => (r.inputs as any).metadata.namespace === t.name)!;
      for (const r of [pv, pvc]) expect([r.protect, r.retainOnDelete]).toEqual([true, true]);
      expect((pv.inputs as any).spec.csi.volumeAttributes.mountname).toMatch(new RegExp(`/tenants/${t.name}$`));
    }
    const release = ofType("kubernetes:helm.sh/v3:Release").find((r) => (r.inputs as any).name === FSX_CSI_DRIVER_CHART.release)!;
    const values = (release.inputs as any).values;
    const registry = `123456789012.dkr.ecr.${plan.blueprint.region}.amazonaws.com/`;
    for (const image of [values.image, ...Object.values(values.sidecars).map((s: any) => s.image)]) expect(image.repository.startsWith(registry)).toBe(true);
    expect(values.controller.nodeSelector).toEqual({ [LABEL_POOL]: "system" });
  });
});

describe("a Lustre setting FSx would refuse", () => {
  it("stops the plan with the YAML path, the nearest figure FSx accepts and exit 2, before any resource", async () => {
    const dir = projectWith("dev", (y) => y.replace("        efa: false", "        efa: false\n        metadataIops: 20000"));
    const r = await gigafactoryServed(["plan", "--stack", "dev", "--dir", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error gigafactory:factory\.storage\.lustre\.metadataIops: 20,000 metadata IOPS is not a figure FSx accepts.* — use 24,000/m);
    expect(r.stdout).not.toMatch(/Resources/);
  });
});
