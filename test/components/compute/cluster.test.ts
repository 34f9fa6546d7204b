import { beforeAll, describe, expect, it } from "vitest";
import { planCluster } from "../../../core/blueprint/cluster";
import { POD_IDENTITY_CONTROLLERS } from "../../../core/blueprint/quotas";
import { eksComputedOutputs } from "../../fixtures/compute/eks-outputs";
import { installRecordingMocks, settle, type Recorder } from "../../support/recording-mocks";

let rec: Recorder;
let kubernetesProviderUrn: Promise<string>;

beforeAll(async () => {
  rec = installRecordingMocks("eu-north-1", eksComputedOutputs);
  const { FactoryCluster } = await import("../../../components/compute/cluster");
  const cluster = new FactoryCluster("gf", {
    clusterName: "gf-nordics",
    region: "eu-north-1",
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    kubernetesVersion: "1.33",
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    keyArn: "arn:aws:kms:eu-north-1:123456789012:key/k",
    logRetentionDays: 365,
    plan: { ...planCluster(["10.0.0.0/16"], 12524), serviceCidr: "172.20.0.0/16" },
    podAddressing: "prefix-delegation",
    controllers: POD_IDENTITY_CONTROLLERS,
    adminRoleArns: ["arn:aws:iam::123456789012:role/platform"],
    deletionProtection: true,
  });
  cluster.addSystemAddons([]);
  const { clusterKubernetesProvider } = await import("../../../components/compute/kubernetes-provider");
  // What the in-cluster layers make from the compute layer's outputs.
  const provider = clusterKubernetesProvider(
    "gf-k8s",
    { clusterName: cluster.clusterName, endpoint: cluster.cluster.endpoint, certificateAuthority: cluster.cluster.certificateAuthority.apply((ca) => ca?.data ?? ""), region: "eu-north-1" },
    {},
  );
  kubernetesProviderUrn = new Promise((resolve) => provider.urn.apply(resolve));
  await settle();
});

describe("the EKS control plane", () => {
  it("has a private endpoint only", () => {
    const c = rec.one("aws:eks/cluster:Cluster", "gf-eks");
    expect(c.inputs.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false, subnetIds: ["subnet-a", "subnet-b", "subnet-c"] });
  });

  it("encrypts secrets with the factory's key and authenticates through access entries only", () => {
    const c = rec.one("aws:eks/cluster:Cluster", "gf-eks");
    expect(c.inputs.encryptionConfig).toEqual({ resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-north-1:123456789012:key/k" } });
    expect(c.inputs.accessConfig.authenticationMode).toBe("API");
  });

  it("pins the Kubernetes version, the Service CIDR and a tier for 12,500 nodes, and installs nothing self-managed", () => {
    const c = rec.one("aws:eks/cluster:Cluster", "gf-eks");
    expect(c.inputs).toMatchObject({ name: "gf-nordics", version: "1.33", controlPlaneScalingConfig: { tier: "tier-8xl" }, bootstrapSelfManagedAddons: false, deletionProtection: true });
    expect(c.inputs.kubernetesNetworkConfig.serviceIpv4Cidr).toBe("172.20.0.0/16");
  });

  it("keeps control-plane logs in the region, encrypted, with retention, protected from deletion", async () => {
    const g = rec.one("aws:cloudwatch/logGroup:LogGroup", "gf-control-plane-logs");
    expect(g.inputs).toMatchObject({ name: "/aws/eks/gf-nordics/cluster", retentionInDays: 365, kmsKeyId: "arn:aws:kms:eu-north-1:123456789012:key/k", skipDestroy: true });
    const c = rec.one("aws:eks/cluster:Cluster", "gf-eks");
    expect(c.inputs.enabledClusterLogTypes).toEqual(expect.arrayContaining(["api", "audit", "authenticator"]));
  });

  it("pins the CNI, kube-proxy, Pod Identity agent, CoreDNS, node monitoring and EBS CSI add-ons, the CNI with prefix delegation", () => {
    const addons = rec.ofType("aws:eks/addon:Addon");
    expect(addons.map((a) => a.inputs.addonName).sort()).toEqual(["aws-ebs-csi-driver", "coredns", "eks-node-monitoring-agent", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
    // It watches the GPU nodes too, whatever their taints: its conditions are what auto-repair acts on.
    const monitor = addons.find((a) => a.inputs.addonName === "eks-node-monitoring-agent")!;
    expect(JSON.parse(monitor.inputs.configurationValues).nodeAgent.tolerations).toEqual([{ operator: "Exists" }]);
    for (const a of addons) expect(a.inputs.addonVersion).toMatch(/-eksbuild\.\d+$/);
    const cni = addons.find((a) => a.inputs.addonName === "vpc-cni")!;
    expect(JSON.parse(cni.inputs.configurationValues).env).toMatchObject({ ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" });
  });

  it("binds every controller the blueprint counts to a role of its own through Pod Identity", () => {
    const associations = rec.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation");
    expect(associations).toHaveLength(POD_IDENTITY_CONTROLLERS.length);
    expect(associations.map((a) => a.inputs.serviceAccount).sort()).toEqual(["aws-node", "ebs-csi-controller-sa", "fsx-csi-controller-sa"]);
    const roles = rec.ofType("aws:iam/role:Role").filter((r) => JSON.parse(r.inputs.assumeRolePolicy).Statement[0].Principal.Service === "pods.eks.amazonaws.com");
    expect(roles).toHaveLength(POD_IDENTITY_CONTROLLERS.length);
  });

  it("runs the EBS CSI controller on the system pool, its role using the factory's key only for volumes", () => {
    const ebs = rec.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "aws-ebs-csi-driver")!;
    expect(JSON.parse(ebs.inputs.configurationValues)).toEqual({
      controller: { nodeSelector: { "gigafactory.io/pool": "system" }, tolerations: [{ key: "gigafactory.io/system", operator: "Exists", effect: "NoSchedule" }] },
      node: { tolerateAllTaints: true },
    });
    const policies = rec.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.includes("ebs-csi-controller"));
    expect(policies.map((p) => p.name)).toEqual(["gf-ebs-csi-controller-key-policy"]);
    const doc = JSON.parse(policies[0].inputs.policy);
    expect(new Set(doc.Statement.map((st: { Resource: string }) => st.Resource))).toEqual(new Set(["arn:aws:kms:eu-north-1:123456789012:key/k"]));
    expect(doc.Statement.flatMap((st: { Action: string[] }) => st.Action)).not.toContain("kms:*");
    // The other controllers get no right to the key.
    expect(rec.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.endsWith("-key-policy"))).toHaveLength(1);
  });

  it("keeps the CNI's rights off the node role", () => {
    const attached = rec.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("gf-node-role-"));
    expect(attached.map((a) => a.inputs.policyArn).sort()).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
  });

  it("gives named admin roles an access entry with the cluster-admin access policy", () => {
    expect(rec.one("aws:eks/accessEntry:AccessEntry", "gf-admin-0").inputs).toMatchObject({ principalArn: "arn:aws:iam::123456789012:role/platform", type: "STANDARD" });
    expect(rec.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "gf-admin-0-policy").inputs.policyArn).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
  });

  it("lets Auto Scaling use the factory's key for node volumes", () => {
    const grant = rec.one("aws:kms/grant:Grant", "gf-node-volumes-grant");
    expect(grant.inputs.granteePrincipal).toBe("arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling");
  });

  it("gives the in-cluster layers a Kubernetes provider whose kubeconfig authenticates with aws eks get-token", async () => {
    const provider = rec.one("pulumi:providers:kubernetes", "gf-k8s");
    const config = JSON.parse(provider.inputs.kubeconfig);
    expect(config.clusters[0].cluster.server).toBe("https://GF-EKS.gr7.eu-north-1.eks.amazonaws.com");
    expect(config.users[0].user.exec.args).toEqual(["eks", "get-token", "--cluster-name", "gf-nordics", "--region", "eu-north-1", "--output", "json"]);
    expect(await kubernetesProviderUrn).toContain("gf-k8s");
  });
});
