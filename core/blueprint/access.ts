import { RUNNER_COMPUTE_TYPE, RUNNER_ENVIRONMENT_TYPE, RUNNER_IMAGE } from "../catalog/codebuild";
import type { FactorySpec } from "../spec/schema";
import type { AccessPlan, ApiIngressRule, NetworkPlan, RunnerPlan } from "./types";

// The deploy path into the private cluster, decided once: the API server answers HTTPS (443) on its private
// endpoint to the runner's security group and to the operator networks the spec names, and on a public endpoint
// only when the spec lists its source ranges (docs/sources.md#eks-cluster-endpoint). The runner is a CodeBuild
// project in the system subnets (docs/sources.md#codebuild-vpc) whose role holds cluster-admin through an access
// entry: it installs CRDs, cluster-scoped objects and every namespace (docs/sources.md#eks-access-entries).

export const API_SERVER_PORT = 443;
/** The EKS access policy the runner's role is associated with, cluster-wide. */
export const RUNNER_ACCESS_POLICY = "AmazonEKSClusterAdminPolicy";

export function planAccess(spec: Pick<FactorySpec, "access" | "network">, network: Pick<NetworkPlan, "subnets" | "vpcCidrs">): AccessPlan {
  const { access } = spec;
  const apiIngress: ApiIngressRule[] = [
    ...(access.runner.enabled ? [{ source: "runner" as const, description: "HTTPS to the API server from the deploy runner", port: API_SERVER_PORT }] : []),
    ...access.operatorCidrs.map((cidrIpv4) => ({ source: "operator-cidr" as const, description: `HTTPS to the API server from the operator network ${cidrIpv4}`, port: API_SERVER_PORT, cidrIpv4 })),
    ...access.operatorSecurityGroupIds.map((securityGroupId) => ({
      source: "operator-security-group" as const,
      description: `HTTPS to the API server from the operator security group ${securityGroupId}`,
      port: API_SERVER_PORT,
      securityGroupId,
    })),
  ];
  const publicAccessCidrs = [...access.publicEndpointCidrs];
  return {
    endpoint: { privateAccess: true, publicAccess: publicAccessCidrs.length > 0, publicAccessCidrs },
    apiIngress,
    runner: access.runner.enabled ? planRunner(spec, network) : null,
  };
}

function planRunner(spec: Pick<FactorySpec, "access" | "network">, network: Pick<NetworkPlan, "subnets" | "vpcCidrs">): RunnerPlan {
  return {
    subnets: network.subnets.filter((s) => s.role === "system").map((s) => s.name),
    timeoutMinutes: spec.access.runner.timeoutMinutes,
    image: RUNNER_IMAGE,
    computeType: RUNNER_COMPUTE_TYPE,
    environmentType: RUNNER_ENVIRONMENT_TYPE,
    egress: [
      { description: "HTTPS to the API server", port: API_SERVER_PORT, to: "api-server" },
      // AWS's APIs (STS, ECR, EKS, logs) answer on the VPC's interface endpoints.
      ...network.vpcCidrs.map((cidrIpv4) => ({ description: `HTTPS to the VPC endpoints in ${cidrIpv4}`, port: API_SERVER_PORT, to: { cidrIpv4 } })),
      // S3 (Pulumi's state, the source bundle) is reached through the gateway endpoint, at S3's own addresses.
      { description: "HTTPS to S3 through the gateway endpoint", port: API_SERVER_PORT, to: "s3-gateway" as const },
    ],
    state: spec.access.runner.state ? { ...spec.access.runner.state } : null,
    kubernetesAccess: { policy: RUNNER_ACCESS_POLICY, scope: "cluster" },
    logRetentionDays: spec.network.flowLogRetentionDays,
  };
}
