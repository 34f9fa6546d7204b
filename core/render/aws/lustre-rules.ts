import type { SecurityRules } from "./security-rules";

// Lustre clients reach the file servers on TCP 988 and 1018-1023 (FSx for Lustre "File system access
// control with Amazon VPC" [P]); the servers talk among themselves on the same ports.
export function lustreSecurityGroupRules(vpcCidrs: string[]): SecurityRules {
  const ports: [number, number][] = [
    [988, 988],
    [1018, 1023],
  ];
  return {
    ingress: [
      ...ports.map(([fromPort, toPort]) => ({ description: `Lustre ${fromPort}-${toPort} between file servers`, ipProtocol: "tcp", fromPort, toPort, self: true })),
      ...vpcCidrs.flatMap((cidr) =>
        ports.map(([fromPort, toPort]) => ({ description: `Lustre ${fromPort}-${toPort} from clients in ${cidr}`, ipProtocol: "tcp", fromPort, toPort, cidrIpv4: cidr })),
      ),
    ],
    egress: [
      ...ports.map(([fromPort, toPort]) => ({ description: `Lustre ${fromPort}-${toPort} between file servers`, ipProtocol: "tcp", fromPort, toPort, self: true })),
      ...vpcCidrs.flatMap((cidr) =>
        ports.map(([fromPort, toPort]) => ({ description: `Lustre ${fromPort}-${toPort} to clients in ${cidr}`, ipProtocol: "tcp", fromPort, toPort, cidrIpv4: cidr })),
      ),
    ],
  };
}
