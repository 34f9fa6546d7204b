import { describe, expect, it } from "vitest";
import { CNI_WARM_PREFIX_TARGET } from "../../../../core/blueprint/pods";
import { POD_IDENTITY_CONTROLLERS } from "../../../../core/blueprint/quotas";
import { ADDON_NAMES, addonVersions, cniConfiguration, coreDnsConfiguration } from "../../../../core/render/kubernetes/eks-addons";
import { clusterTrustPolicy, controllerIdentities, podIdentityTrustPolicy, secretsEncryptionPolicy } from "../../../../core/render/aws/iam";
import { kubeconfig } from "../../../../core/render/kubernetes/kubeconfig";
import { serviceCidr } from "../../../../core/blueprint/service-cidr";
import { CONTROL_PLANE_TIERS, controlPlaneTier } from "../../../../core/blueprint/tier";
import { validateKubernetesVersion, validateServiceCidr } from "../../../../core/checks/kubernetes";
import { factorySpec } from "../../../fixtures/blueprint/spec";

describe("the control-plane tier", () => {
  it("keeps a trial on standard, an AI factory on tier-2xl and a gigafactory on tier-8xl", () => {
    expect(controlPlaneTier(2 + 24)).toBe("standard");
    expect(controlPlaneTier(3125 + 24)).toBe("tier-2xl");
    expect(controlPlaneTier(12500 + 24)).toBe("tier-8xl");
  });

  it("never picks a smaller tier for more nodes", () => {
    let last = 0;
    for (let nodes = 1; nodes <= 100_000; nodes += 97) {
      const rank = CONTROL_PLANE_TIERS.indexOf(controlPlaneTier(nodes));
      expect(rank).toBeGreaterThanOrEqual(last);
      last = rank;
    }
  });
});

describe("add-ons", () => {
  it("pins every add-on for the presets' Kubernetes version", () => {
    const pinned = addonVersions("1.33")!;
    for (const name of ADDON_NAMES) expect(pinned[name]).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    expect(pinned["kube-proxy"].startsWith("v1.33.")).toBe(true);
  });

  it("configures the VPC CNI for the addressing the blueprint sized: prefix delegation with its warm prefixes", () => {
    expect(cniConfiguration("prefix-delegation").env).toEqual({ ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: String(CNI_WARM_PREFIX_TARGET) });
    expect(cniConfiguration("secondary-ip").env.ENABLE_PREFIX_DELEGATION).toBe("false");
  });

  it("runs more CoreDNS replicas for more nodes, never fewer than two", () => {
    expect(coreDnsConfiguration(4).autoScaling.minReplicas).toBe(2);
    expect(coreDnsConfiguration(12524).autoScaling.minReplicas).toBe(49);
  });

  it("reports a Kubernetes version without pinned add-ons at kubernetes.version", () => {
    expect(validateKubernetesVersion(factorySpec())).toEqual([]);
    const [f] = validateKubernetesVersion(factorySpec({ kubernetes: { version: "1.29", image: { release: "1.29-v20251016" } } }));
    expect(f).toMatchObject({ level: "error", path: "gigafactory:factory.kubernetes.version" });
  });
});

describe("the Service CIDR", () => {
  it("takes 172.20.0.0/16 unless the VPC uses it, then 10.100.0.0/16", () => {
    expect(serviceCidr(["10.0.0.0/16"])).toBe("172.20.0.0/16");
    expect(serviceCidr(["172.16.0.0/12"])).toBe("10.100.0.0/16");
    expect(serviceCidr(["172.20.0.0/16", "10.100.0.0/16"])).toBeUndefined();
  });

  it("is an error when the VPC overlaps both choices", () => {
    expect(validateServiceCidr(factorySpec({ network: { vpcCidrs: ["172.20.0.0/16", "10.100.0.0/16"] } }))).toEqual([expect.objectContaining({ level: "error", path: "gigafactory:factory.network.vpcCidrs" })]);
    expect(validateServiceCidr(factorySpec())).toEqual([]);
  });
});

describe("IAM", () => {
  it("lets only the EKS service assume the cluster role and only Pod Identity assume a controller's role", () => {
    expect(clusterTrustPolicy("amazonaws.com").Statement).toEqual([{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }]);
    expect(podIdentityTrustPolicy("amazonaws.eu").Statement[0].Principal).toEqual({ Service: "pods.eks.amazonaws.eu" });
  });

  it("limits secrets encryption to the factory's key and grants to AWS resources", () => {
    const doc = secretsEncryptionPolicy("arn:aws:kms:eu-north-1:1:key/k");
    for (const s of doc.Statement) expect(s.Resource).toBe("arn:aws:kms:eu-north-1:1:key/k");
    expect(doc.Statement[1]).toMatchObject({ Action: "kms:CreateGrant", Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } });
  });

  it("has an identity for every controller the blueprint counts a Pod Identity association for", () => {
    const ids = controllerIdentities(POD_IDENTITY_CONTROLLERS);
    expect(ids.map((i) => i.controller)).toEqual([...POD_IDENTITY_CONTROLLERS]);
    expect(ids.find((i) => i.controller === "aws-node")).toMatchObject({ namespace: "kube-system", serviceAccount: "aws-node", managedPolicies: ["AmazonEKS_CNI_Policy"] });
    expect(() => controllerIdentities(["mystery"])).toThrow(/mystery/);
  });
});

describe("the kubeconfig", () => {
  it("authenticates through aws eks get-token in the factory's region and holds no token", () => {
    const k = kubeconfig({ clusterName: "gf", endpoint: "https://x", certificateAuthority: "Q0E=", region: "eu-north-1" }) as any;
    expect(k.users[0].user.exec).toMatchObject({ command: "aws", args: ["eks", "get-token", "--cluster-name", "gf", "--region", "eu-north-1", "--output", "json"] });
    expect(JSON.stringify(k)).not.toMatch(/token"\s*:/);
    expect(k.clusters[0].cluster).toEqual({ server: "https://x", "certificate-authority-data": "Q0E=" });
  });
});
