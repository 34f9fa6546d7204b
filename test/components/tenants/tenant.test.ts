import { beforeAll, describe, expect, it } from "vitest";
import { tenantObjects } from "../../../core/render/kubernetes/tenants/objects";
import { designedStack } from "../../fixtures/kubernetes/stacks";
import { installRecordingMocks, settle, valueOf, type Recorder } from "../../support/recording-mocks";
import { importClosure } from "../platform/module-imports";

// A tenant in the cluster (Tenant) built from a Kubernetes provider and the blueprint alone, as on a factory's own
// cluster; and, apart from it, the tenant's AWS access, declared under the Tenant with the factory's AWS provider.

const REGISTRY = "registry.factory.example.eu";
const FILE_SYSTEM = { fileSystemId: "lustre-1", dnsName: "lustre.factory.example.eu", mountName: "fsx", capacityGiB: 4800 };

let rec: Recorder;
let providers: { kubernetes: string; aws: string };
let accessUrns: string[];
const declared = (cloud: "kubernetes" | "aws") => rec.resources.filter((r) => r.name.startsWith("gf-team-a-") && r.type.startsWith(`${cloud}:`));

beforeAll(async () => {
  rec = installRecordingMocks();
  const k8s = await import("@pulumi/kubernetes");
  const aws = await import("@pulumi/aws");
  const pulumi = await import("@pulumi/pulumi");
  const { Tenant } = await import("../../../components/tenants/tenant");
  const { declareTenantAccess } = await import("../../../components/tenants/tenant-access");
  const { blueprint } = designedStack("dev");
  const tenant = blueprint.tenants.find((t) => t.name === "team-a")!;

  const kubernetes = new k8s.Provider("on-premises", { kubeconfig: "{}" });
  const kueue = new pulumi.ComponentResource("test:index:Kueue", "kueue");
  const team = new Tenant(
    "gf-team-a",
    { tenant, objects: tenantObjects(blueprint, tenant), kueue, lustre: { source: FILE_SYSTEM, pools: blueprint.pools, registry: REGISTRY } },
    { providers: [kubernetes] },
  );
  const region = new aws.Provider("region", { region: "eu-north-1" });
  const buckets = { datasets: { bucket: "datasets", arn: "arn:aws:s3:::datasets" }, checkpoints: { bucket: "checkpoints", arn: "arn:aws:s3:::checkpoints" } };
  const access = declareTenantAccess(
    "gf-team-a",
    tenant,
    { factory: blueprint.factory, clusterName: "gf-dev", partition: "aws", dnsSuffix: "amazonaws.com", accountId: "123456789012", data: { region: "eu-north-1", vpcId: "vpc-1", buckets } },
    { parent: team, provider: region },
  );
  const [k, a, ...urns] = await Promise.all([valueOf(kubernetes.urn), valueOf(region.urn), valueOf(access.role.urn), valueOf(access.key.urn)]);
  providers = { kubernetes: `${k}::on-premises-id`, aws: `${a}::region-id` };
  accessUrns = urns;
  await settle();
});

describe("a Tenant", () => {
  it("declares Kubernetes resources only, through the one provider it is given", () => {
    const own = declared("kubernetes");
    expect(own.map((r) => r.type.split(":").slice(1).join(":")).sort()).toEqual([
      "batch/v1:CronJob",
      "core/v1:LimitRange",
      "core/v1:Namespace",
      "core/v1:PersistentVolume",
      "core/v1:PersistentVolumeClaim",
      "core/v1:ResourceQuota",
      "core/v1:ServiceAccount",
      "kueue.x-k8s.io/v1beta2:ClusterQueue",
      "kueue.x-k8s.io/v1beta2:LocalQueue",
      "networking.k8s.io/v1:NetworkPolicy",
      "rbac.authorization.k8s.io/v1:Role",
      "rbac.authorization.k8s.io/v1:Role",
      "rbac.authorization.k8s.io/v1:RoleBinding",
      "rbac.authorization.k8s.io/v1:RoleBinding",
    ]);
    for (const r of own) expect(r.provider, r.name).toBe(providers.kubernetes);
    expect(rec.unmockedCalls).toEqual([]);
  });

  it("runs its share's Job on the image of the registry it is given, and mounts the file system it is given", () => {
    const job = rec.one("kubernetes:batch/v1:CronJob", "-lustre-share").inputs;
    expect(job.spec.jobTemplate.spec.template.spec.containers[0].image.startsWith(`${REGISTRY}/`)).toBe(true);
    expect(rec.one("kubernetes:core/v1:PersistentVolume", "-lustre-volume").inputs.spec.csi.volumeHandle).toBe(`${FILE_SYSTEM.fileSystemId}::lustre-team-a`);
  });

  it("loads nothing of AWS", () => {
    const { modules, packages } = importClosure("components/tenants/tenant.ts");
    expect(packages).not.toContain("@pulumi/aws");
    expect(modules.filter((m) => m.startsWith("components/") && !m.startsWith("components/tenants/") && m !== "components/kubernetes-object.ts")).toEqual([]);
  });
});

describe("a tenant's AWS access", () => {
  it("is AWS resources only, through the factory's AWS provider, under the tenant's Tenant", () => {
    const own = declared("aws");
    expect(own.map((r) => r.type).sort()).toEqual([
      "aws:eks/accessEntry:AccessEntry",
      "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
      "aws:iam/role:Role",
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:kms/alias:Alias",
      "aws:kms/key:Key",
      "aws:s3/accessPoint:AccessPoint",
      "aws:s3/accessPoint:AccessPoint",
    ]);
    for (const r of own) expect(r.provider, r.name).toBe(providers.aws);
    // The Tenant owns it: the tag guardrail reads a tenant's resources from that parent.
    for (const urn of accessUrns) expect(urn).toMatch(/::gigafactory:tenancy:Tenant\$aws:[^$]+::gf-team-a-(role|key)$/);
  });

  it("scopes the tenant's access entry to its namespace, and puts its people in the group its RoleBindings name", () => {
    expect(rec.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "-access-policy").inputs.accessScope).toEqual({ type: "namespace", namespaces: ["team-a"] });
    const group = rec.one("aws:eks/accessEntry:AccessEntry", "-access").inputs.kubernetesGroups;
    const binding = rec.one("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "-binding-tenant-submitter").inputs;
    expect(group).toEqual([binding.subjects[0].name]);
    expect(binding.metadata.namespace).toBe("team-a");
  });

  it("gives the tenant's workload ServiceAccount, in its namespace, the pods' role through Pod Identity", () => {
    const association = rec.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "-workload-identity").inputs;
    const account = rec.one("kubernetes:core/v1:ServiceAccount", "-workload-account").inputs;
    expect({ namespace: association.namespace, serviceAccount: association.serviceAccount }).toEqual({ namespace: account.metadata.namespace, serviceAccount: account.metadata.name });
    const role = rec.one("aws:iam/role:Role", "-workload-role").inputs;
    const trust = JSON.parse(role.assumeRolePolicy);
    expect(trust.Statement[0].Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
    expect(trust.Statement[0].Condition.StringEquals).toMatchObject({ "aws:RequestTag/kubernetes-namespace": "team-a", "aws:RequestTag/kubernetes-service-account": account.metadata.name });
  });
});
