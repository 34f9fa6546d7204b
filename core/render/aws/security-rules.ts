// Security group rules as data: what the EFA fabric and the endpoints need, and nothing more.

export interface SecurityRule {
  description: string;
  /** "-1" is every protocol. */
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  /** The rule refers to the group itself. */
  self?: boolean;
}

export interface SecurityRules {
  ingress: SecurityRule[];
  egress: SecurityRule[];
}

/** EFA needs all traffic to and from the group itself, in and out (docs/sources.md#efa-basics [P]). */
export function efaSecurityGroupRules(): SecurityRules {
  return {
    ingress: [{ description: "EFA: all traffic from the factory's GPU nodes", ipProtocol: "-1", self: true }],
    egress: [{ description: "EFA: all traffic to the factory's GPU nodes", ipProtocol: "-1", self: true }],
  };
}

/** Interface endpoints answer HTTPS from inside the VPC only. */
export function endpointSecurityGroupRules(vpcCidrs: string[]): SecurityRules {
  return {
    ingress: vpcCidrs.map((cidr) => ({
      description: `HTTPS to AWS services from ${cidr}`,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: cidr,
    })),
    egress: [],
  };
}

/** A rule of the deploy path: to or from the API server's group, a CIDR, or a security group named by id. */
export interface PathRule {
  description: string;
  port: number;
  cidrIpv4?: string;
  /** The runner's or the API server's group (created with it), or an operator's group by id. */
  peer?: "runner" | "api-server" | { securityGroupId: string };
  /** A managed prefix list: S3's addresses, where the gateway endpoint takes the traffic. */
  prefixList?: "s3";
}

/** The API server's inbound rules and the runner's outbound ones, TCP 443 each, from the blueprint's access plan. */
export function deployPathRules(access: {
  apiIngress: readonly { source: string; description: string; port: number; cidrIpv4?: string; securityGroupId?: string }[];
  runner: { egress: readonly { description: string; port: number; to: "api-server" | "s3-gateway" | { cidrIpv4: string } }[] } | null;
}): { apiServer: PathRule[]; runnerEgress: PathRule[] } {
  return {
    apiServer: access.apiIngress.map((r) => ({
      description: r.description,
      port: r.port,
      ...(r.cidrIpv4 ? { cidrIpv4: r.cidrIpv4 } : {}),
      ...(r.source === "runner" ? { peer: "runner" as const } : r.securityGroupId ? { peer: { securityGroupId: r.securityGroupId } } : {}),
    })),
    runnerEgress: (access.runner?.egress ?? []).map((e) => ({
      description: e.description,
      port: e.port,
      ...(e.to === "api-server" ? { peer: "api-server" as const } : e.to === "s3-gateway" ? { prefixList: "s3" as const } : { cidrIpv4: e.to.cidrIpv4 }),
    })),
  };
}
