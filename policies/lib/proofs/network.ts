import type { PlanResource } from "../plan";
import { asArray, asBoolean, asRecord, asString, asStrings } from "../values";
import { tieIds } from "./plan-ids";
import { groupModel, type GroupModel } from "./security-groups";
import type { PlanView } from "./view";

// The factory's network as a plan declares it: the VPC's ranges, its subnets (by the ids other resources carry),
// each subnet's route table and the routes in it, the VPC endpoints, and the security groups with their rules.

export interface PlannedSubnet {
  id: string;
  urn: string;
  name: string;
  cidr: string;
  publicIps: boolean;
}

export interface PlannedRoute {
  routeTableId: string;
  destination: string;
  /** The kind of target: igw, nat, pcx (peering), tgw, vgw, eigw, vpce, local, or other. */
  target: string;
  by: PlanResource;
}

export interface PlannedEndpoint {
  resource: PlanResource;
  /** The service's short name: `ecr.dkr`, `s3`. */
  service: string;
  type: string;
  subnetIds: string[];
  groupIds: string[];
  privateDns: boolean;
  routeTableIds: string[];
}

export interface NetworkModel {
  groups: GroupModel;
  vpcCidrs: string[];
  subnets: Map<string, PlannedSubnet>;
  /** Subnet id → route table id. */
  routeTableOf: Map<string, string>;
  routes: PlannedRoute[];
  endpoints: PlannedEndpoint[];
}

const TARGETS: Record<string, string> = { gatewayId: "gateway", natGatewayId: "nat", vpcPeeringConnectionId: "pcx", transitGatewayId: "tgw", egressOnlyGatewayId: "eigw", vpcEndpointId: "vpce", networkInterfaceId: "eni", localGatewayId: "lgw", carrierGatewayId: "cagw", coreNetworkArn: "core" };

function routeTarget(route: Record<string, unknown>): string {
  for (const [key, kind] of Object.entries(TARGETS)) {
    const v = asString(route[key]);
    if (v) return kind === "gateway" ? (v === "local" ? "local" : v.startsWith("vgw-") ? "vgw" : "igw") : kind;
  }
  return "other";
}

export function networkModel(view: PlanView): NetworkModel {
  const subnetIds = tieIds(view, { pattern: /^subnet-[0-9a-f]{1,17}$/, makers: ["aws:ec2/subnet:Subnet"] });
  const tableIds = tieIds(view, { pattern: /^rtb-[0-9a-f]{1,17}$/, makers: ["aws:ec2/routeTable:RouteTable"] });
  const subnets = new Map<string, PlannedSubnet>();
  for (const [id, urn] of subnetIds) {
    const r = view.byUrn(urn)!;
    const cidr = asString(r.props.cidrBlock);
    if (cidr) subnets.set(id, { id, urn, name: r.name, cidr, publicIps: asBoolean(r.props.mapPublicIpOnLaunch) === true });
  }
  const routeTableOf = new Map<string, string>();
  for (const a of view.ofType("aws:ec2/routeTableAssociation:RouteTableAssociation")) {
    const [subnet, table] = [asString(a.props.subnetId), asString(a.props.routeTableId)];
    if (subnet && table) routeTableOf.set(subnet, table);
  }
  const idOfTable = new Map([...tableIds].map(([id, urn]) => [urn, id]));
  const routes: PlannedRoute[] = [
    ...view.ofType("aws:ec2/routeTable:RouteTable").flatMap((t) =>
      asArray(t.props.routes).flatMap((raw): PlannedRoute[] => {
        const route = asRecord(raw) ?? {};
        const destination = asString(route.cidrBlock) ?? asString(route.ipv6CidrBlock) ?? asString(route.destinationPrefixListId) ?? "?";
        return [{ routeTableId: idOfTable.get(t.urn) ?? t.urn, destination, target: routeTarget(route), by: t }];
      }),
    ),
    ...view.ofType("aws:ec2/route:Route").map((r) => ({
      routeTableId: asString(r.props.routeTableId) ?? "?",
      destination: asString(r.props.destinationCidrBlock) ?? asString(r.props.destinationIpv6CidrBlock) ?? asString(r.props.destinationPrefixListId) ?? "?",
      target: routeTarget(r.props),
      by: r,
    })),
  ];
  const endpoints = view.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").map((e): PlannedEndpoint => {
    const name = asString(e.props.serviceName) ?? "";
    return {
      resource: e,
      service: name.split(".").slice(3).join("."),
      type: asString(e.props.vpcEndpointType) ?? "Gateway",
      subnetIds: asStrings(e.props.subnetIds),
      groupIds: asStrings(e.props.securityGroupIds),
      privateDns: asBoolean(e.props.privateDnsEnabled) === true,
      routeTableIds: asStrings(e.props.routeTableIds),
    };
  });
  const vpcCidrs = [
    ...view.ofType("aws:ec2/vpc:Vpc").map((v) => asString(v.props.cidrBlock)),
    ...view.ofType("aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation").map((v) => asString(v.props.cidrBlock)),
  ].filter((c): c is string => c !== undefined);
  return { groups: groupModel(view), vpcCidrs, subnets, routeTableOf, routes, endpoints };
}
