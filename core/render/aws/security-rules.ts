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
