import { LUSTRE_PORT_RANGES } from "../../catalog/lustre";
import type { SecurityRules } from "./security-rules";

// Lustre clients reach the file servers on their ports (core/catalog/lustre.ts); the servers talk among themselves
// on the same ports.
export function lustreSecurityGroupRules(vpcCidrs: string[]): SecurityRules {
  const ports = LUSTRE_PORT_RANGES;
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
