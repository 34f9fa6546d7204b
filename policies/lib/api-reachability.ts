import { contains, parseCidr } from "../../core/lib/cidr";
import { asArray, asBoolean, asRecord, asString, asStrings } from "./values";

// Who reaches an EKS cluster's API server (HTTPS, 443), read from a plan alone: the cluster's vpcConfig (its
// endpoints, the security groups its control-plane interfaces carry, the public ranges) and the plan's security
// group rules (docs/sources.md#eks-cluster-endpoint). EKS's own cluster security group is created by EKS and has
// no id in a plan: only the groups a plan attaches through vpcConfig.securityGroupIds count. Rules inline in an
// aws:ec2/securityGroup:SecurityGroup carry no group id in a plan either and are not read.

/** A resource as a plan holds it: its type, its name and its inputs (a snapshot's `inputs`, a policy's `props`). */
export interface PlannedResource {
  urn?: string;
  type: string;
  name: string;
  props: Record<string, unknown>;
}

/** Where traffic comes from: a security group (by id) or an address range. */
export type Source = { securityGroupId: string } | { cidr: string };

export interface Path {
  cluster: string;
  reachable: boolean;
  /** The rules (and endpoint) that admit the source, by name; or why nothing does. */
  via: string[];
  why?: string;
}

export interface Rule {
  name: string;
  urn?: string;
  direction: "ingress" | "egress";
  groupId: string;
  protocol: string;
  fromPort: number;
  toPort: number;
  cidr?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  peerGroupId?: string;
}

export const API_PORT = 443;
const EKS_CLUSTER = "aws:eks/cluster:Cluster";
const CODEBUILD_PROJECT = "aws:codebuild/project:Project";

/** Every standalone rule of the plan, in one shape. */
export function securityRulesOf(resources: readonly PlannedResource[]): Rule[] {
  return resources.flatMap((r): Rule[] => {
    const p = r.props;
    const groupId = asString(p.securityGroupId);
    if (!groupId) return [];
    const ports = { fromPort: Number(p.fromPort ?? 0), toPort: Number(p.toPort ?? 65535) };
    switch (r.type) {
      case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
      case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
        return [
          {
            name: r.name,
            urn: r.urn,
            direction: r.type.includes("Ingress") ? "ingress" : "egress",
            groupId,
            protocol: String(p.ipProtocol ?? ""),
            ...ports,
            cidr: asString(p.cidrIpv4),
            cidrIpv6: asString(p.cidrIpv6),
            prefixListId: asString(p.prefixListId),
            peerGroupId: asString(p.referencedSecurityGroupId),
          },
        ];
      case "aws:ec2/securityGroupRule:SecurityGroupRule": {
        const peer = asBoolean(p.self) ? groupId : asString(p.sourceSecurityGroupId);
        const base = { name: r.name, urn: r.urn, direction: asString(p.type) === "egress" ? ("egress" as const) : ("ingress" as const), groupId, protocol: String(p.protocol ?? ""), ...ports };
        const cidrs = asStrings(p.cidrBlocks);
        const v6 = asStrings(p.ipv6CidrBlocks);
        const lists = asStrings(p.prefixListIds);
        return [
          ...(peer ? [{ ...base, peerGroupId: peer }] : []),
          ...cidrs.map((cidr) => ({ ...base, cidr })),
          ...v6.map((cidrIpv6) => ({ ...base, cidrIpv6 })),
          ...lists.map((prefixListId) => ({ ...base, prefixListId })),
        ];
      }
      default:
        return [];
    }
  });
}

/** Whether a rule lets a protocol's port through: all traffic, or that protocol (by name or number) over the port. */
export function carries(r: Pick<Rule, "protocol" | "fromPort" | "toPort">, protocol: "tcp" | "udp", port: number): boolean {
  const p = r.protocol.toLowerCase();
  if (p === "-1" || p === "all") return true;
  const number = protocol === "tcp" ? "6" : "17";
  return (p === protocol || p === number) && r.fromPort <= port && port <= r.toPort;
}

const carriesHttps = (r: Rule): boolean => carries(r, "tcp", API_PORT);

/** Whether a rule's CIDR holds every address of the source range. */
export function cidrHolds(ruleCidr: string | undefined, source: string): boolean {
  const outer = ruleCidr ? parseCidr(ruleCidr) : undefined;
  const inner = parseCidr(source);
  return outer !== undefined && inner !== undefined && contains(outer, inner);
}

/** The security groups the plan's CodeBuild projects run in: the deploy runner's. */
export function runnerSecurityGroupIds(resources: readonly PlannedResource[]): string[] {
  return resources.filter((r) => r.type === CODEBUILD_PROJECT).flatMap((r) => asStrings(asRecord(r.props.vpcConfig)?.securityGroupIds));
}

/** The path from a source to each EKS cluster's API server on 443, derived from the plan alone. */
export function apiServerPaths(resources: readonly PlannedResource[], source: Source): Path[] {
  const rules = securityRulesOf(resources);
  return resources.filter((r) => r.type === EKS_CLUSTER).map((cluster) => pathTo(cluster, rules, source));
}

function pathTo(cluster: PlannedResource, rules: Rule[], source: Source): Path {
  const vpc = asRecord(cluster.props.vpcConfig) ?? {};
  const apiGroups = new Set(asStrings(vpc.securityGroupIds));
  const none = (why: string): Path => ({ cluster: cluster.name, reachable: false, via: [], why });
  if ("cidr" in source && asBoolean(vpc.endpointPublicAccess) === true) {
    const ranges = asArray(vpc.publicAccessCidrs).map(asString);
    if (ranges.length === 0 || ranges.some((c) => cidrHolds(c, source.cidr))) return { cluster: cluster.name, reachable: true, via: ["public endpoint"] };
  }
  if (asBoolean(vpc.endpointPrivateAccess) !== true) return none("the private endpoint is off");
  const ingress = rules.filter(
    (r) => r.direction === "ingress" && apiGroups.has(r.groupId) && carriesHttps(r) && ("cidr" in source ? cidrHolds(r.cidr, source.cidr) : r.peerGroupId === source.securityGroupId),
  );
  if (ingress.length === 0) return none(`no inbound rule of the API server's security groups (${[...apiGroups].join(", ") || "none"}) admits it on ${API_PORT}`);
  if ("cidr" in source) return { cluster: cluster.name, reachable: true, via: ingress.map((r) => r.name) };
  // A group whose outbound rules the plan declares must let HTTPS out to the API server's group.
  const declared = rules.filter((r) => r.direction === "egress" && r.groupId === source.securityGroupId);
  if (declared.length === 0) return { cluster: cluster.name, reachable: true, via: ingress.map((r) => r.name) };
  const egress = declared.filter((r) => carriesHttps(r) && ((r.peerGroupId !== undefined && apiGroups.has(r.peerGroupId)) || r.cidr === "0.0.0.0/0"));
  if (egress.length === 0) return none(`no outbound rule of ${source.securityGroupId} lets HTTPS out to the API server's security groups`);
  return { cluster: cluster.name, reachable: true, via: [...egress.map((r) => r.name), ...ingress.map((r) => r.name)] };
}
