import { LABEL_ACCELERATOR } from "../../../core/blueprint/labels";
import type { PlanResource } from "../plan";
import { asArray, asRecord, asString, asStrings } from "../values";
import type { NetworkModel } from "./network";
import { tieIds } from "./plan-ids";
import type { PlanView } from "./view";

// Where the factory's GPU nodes sit: each GPU node group (its nodes carry the accelerator label, or its launch
// template wires EFA) with the subnets it launches into and the groups its launch template puts on the primary
// interface and on each EFA interface; and where the API server answers: the cluster's subnets, behind the groups
// vpcConfig names and the cluster security group EKS adds (core/catalog/eks-network.ts).

export interface NodeGroupPlace {
  nodeGroup: PlanResource;
  launchTemplate?: PlanResource;
  subnetIds: string[];
  cidrs: string[];
  /** Subnet ids the plan does not make (another layer's, in a preview). */
  unknownSubnets: string[];
  primaryGroups: string[];
  /** The groups on each EFA interface. */
  efaGroups: string[][];
}

/** Ids given as one string or a list of them. */
export const idList = (v: unknown): string[] => (typeof v === "string" ? [v] : asStrings(v));

export function subnetCidrs(net: NetworkModel, ids: readonly string[]): { cidrs: string[]; unknown: string[] } {
  const cidrs: string[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const s = net.subnets.get(id);
    if (s) cidrs.push(s.cidr);
    else unknown.push(id);
  }
  return { cidrs, unknown };
}

export function gpuNodeGroups(view: PlanView, net: NetworkModel): NodeGroupPlace[] {
  const templates = tieIds(view, { pattern: /^lt-[0-9a-f]{1,17}$/, makers: ["aws:ec2/launchTemplate:LaunchTemplate"] });
  return view.ofType("aws:eks/nodeGroup:NodeGroup").flatMap((ng): NodeGroupPlace[] => {
    const ltId = asString(asRecord(ng.props.launchTemplate)?.id);
    const launchTemplate = ltId && templates.has(ltId) ? view.byUrn(templates.get(ltId)!) : undefined;
    const interfaces = asArray(launchTemplate?.props.networkInterfaces).map((i) => asRecord(i) ?? {});
    const isEfa = (i: Record<string, unknown>) => String(i.interfaceType ?? "").startsWith("efa");
    const gpu = asString(asRecord(ng.props.labels)?.[LABEL_ACCELERATOR]) !== undefined || interfaces.some(isEfa);
    if (!gpu) return [];
    const primary = interfaces.find((i) => Number(i.deviceIndex ?? 0) === 0 && Number(i.networkCardIndex ?? 0) === 0) ?? interfaces[0];
    const subnetIds = idList(ng.props.subnetIds);
    const { cidrs, unknown } = subnetCidrs(net, subnetIds);
    return [{ nodeGroup: ng, launchTemplate, subnetIds, cidrs, unknownSubnets: unknown, primaryGroups: idList(primary?.securityGroups), efaGroups: interfaces.filter(isEfa).map((i) => idList(i.securityGroups)) }];
  });
}

export interface ApiPlace {
  cluster: PlanResource;
  cidrs: string[];
  unknownSubnets: string[];
  groups: string[];
  privateAccess: boolean;
  publicAccess: boolean;
  publicCidrs: string[];
}

export function apiPlaces(view: PlanView, net: NetworkModel): ApiPlace[] {
  return view.ofType("aws:eks/cluster:Cluster").map((cluster) => {
    const vpc = asRecord(cluster.props.vpcConfig) ?? {};
    const { cidrs, unknown } = subnetCidrs(net, idList(vpc.subnetIds));
    const own = [...net.groups.clusterGroupIds].filter((g) => net.groups.ownerOf(g)?.urn === cluster.urn);
    return {
      cluster,
      cidrs,
      unknownSubnets: unknown,
      groups: [...idList(vpc.securityGroupIds), ...own],
      privateAccess: vpc.endpointPrivateAccess === true || vpc.endpointPrivateAccess === "true",
      // EKS opens the public endpoint unless told otherwise (docs/sources.md#eks-cluster-endpoint).
      publicAccess: vpc.endpointPublicAccess !== false && vpc.endpointPublicAccess !== "false",
      publicCidrs: idList(vpc.publicAccessCidrs),
    };
  });
}
