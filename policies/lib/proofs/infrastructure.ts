import { EKS_API_PORT } from "../../../core/catalog/eks-network";
import { LUSTRE_PORT_RANGES } from "../../../core/catalog/lustre";
import { asRecord, asString } from "../values";
import { flowThrough, inboundThrough, type FlowVerdict, type Place } from "./flows";
import type { NetworkModel } from "./network";
import { apiPlaces, gpuNodeGroups, idList, subnetCidrs, type ApiPlace } from "./node-places";
import type { Finding, Proof } from "./types";
import { missing, type PlanView } from "./view";

// The factory's own paths: the deploy runner (and each operator network the spec declares) reaches the API server on
// 443 and is let in by an access entry; every GPU node group reaches the API server, ECR, S3, STS and EKS through
// the VPC's endpoints, its peers over the EFA security group (all traffic, from and to itself: docs/sources.md#efa-basics),
// and each Lustre file system on its ports.

export interface DeclaredSources {
  cidrs: string[];
  securityGroupIds: string[];
}

/** The endpoints a GPU node needs to join, pull its images and give its pods credentials. */
export const NODE_SERVICES = ["ecr.api", "ecr.dkr", "sts", "eks", "eks-auth"] as const;


function judged(findings: Finding[], v: FlowVerdict, view: PlanView, urn: string | undefined, unseen: boolean): void {
  if (v.passes) return;
  const message = `${v.why} — open the rule the path needs, or correct the groups the resources carry`;
  if (unseen && !view.complete) findings.push(missing(view, v.why!, { urn }));
  else findings.push({ kind: v.unproven ? "unproven" : "broken", message: v.unproven ? `cannot prove: ${message}` : message, urn });
}

const apiPlace = (a: ApiPlace): Place => ({ name: `the API server of ${a.cluster.name}`, cidrs: a.cidrs, groups: a.groups });

export function deployPathProof(view: PlanView, net: NetworkModel, declared: DeclaredSources): Proof {
  const findings: Finding[] = [];
  const notes: string[] = [];
  const apis = apiPlaces(view, net);
  // A plan without a cluster (a site's own program, or a layer below the cluster's) has no API server to reach.
  if (apis.length === 0) notes.push("the plan has no EKS cluster: no API server to reach");
  const runners = view.ofType("aws:codebuild/project:Project").filter((p) => asRecord(p.props.vpcConfig));
  const entries = view.ofType("aws:eks/accessEntry:AccessEntry").map((e) => asString(e.props.principalArn));
  for (const api of apis) {
    if (!api.privateAccess) findings.push({ kind: "broken", message: `${api.cluster.name}: the private endpoint is off, so nothing inside the VPC reaches the API server — set vpcConfig.endpointPrivateAccess`, urn: api.cluster.urn });
    const sources: { place: Place; urn?: string; role?: string }[] = [
      ...runners.map((r) => {
        const vpc = asRecord(r.props.vpcConfig)!;
        const { cidrs } = subnetCidrs(net, idList(vpc.subnets));
        return { place: { name: `the deploy runner ${r.name}`, cidrs, groups: idList(vpc.securityGroupIds) }, urn: r.urn, role: asString(r.props.serviceRole) };
      }),
      ...declared.cidrs.map((c) => ({ place: { name: `the operator network ${c}`, cidrs: [c], groups: [] } })),
      ...declared.securityGroupIds.map((g) => ({ place: { name: `the operator group ${g}`, cidrs: [], groups: [g] } })),
    ];
    if (sources.length === 0) findings.push(missing(view, `${api.cluster.name}: no deploy runner and no operator network, so nothing deploys the in-cluster layers`, { urn: api.cluster.urn }));
    for (const s of sources) {
      // An operator network's own rules are not the factory's: only the API server's side is proven for it.
      const into = s.urn ? flowThrough(net.groups, s.place, apiPlace(api), "tcp", EKS_API_PORT) : inboundThrough(net.groups, s.place, apiPlace(api), "tcp", EKS_API_PORT);
      judged(findings, into, view, s.urn ?? api.cluster.urn, api.unknownSubnets.length > 0);
      if (into.passes) notes.push(`${s.place.name} → ${apiPlace(api).name} on ${EKS_API_PORT} (${into.via.join(", ")})`);
      if (s.role && !entries.includes(s.role)) findings.push(missing(view, `${s.place.name}: its role ${s.role} has no access entry on ${api.cluster.name}, so the API server refuses it — add one`, { urn: s.urn }));
    }
  }
  return { property: "deploy-path-reaches-api", over: `${apis.length} cluster${apis.length === 1 ? "" : "s"}, ${runners.length} runner${runners.length === 1 ? "" : "s"}, ${declared.cidrs.length + declared.securityGroupIds.length} operator networks`, findings, notes };
}

export function gpuNodesProof(view: PlanView, net: NetworkModel): Proof {
  const findings: Finding[] = [];
  const notes: string[] = [];
  const groups = gpuNodeGroups(view, net);
  if (groups.length === 0) notes.push("the plan has no GPU node group");
  const apis = apiPlaces(view, net);
  const files = view.ofType("aws:fsx/lustreFileSystem:LustreFileSystem");
  const seen = new Set<string>();
  for (const g of groups) {
    const urn = g.nodeGroup.urn;
    if (g.unknownSubnets.length) findings.push(missing(view, `${g.nodeGroup.name}: its subnets ${g.unknownSubnets.join(", ")} are not in the plan`, { urn }));
    const node: Place = { name: `the nodes of ${g.nodeGroup.name}`, cidrs: g.cidrs, groups: g.primaryGroups };
    const key = `${g.subnetIds.join(",")}|${g.primaryGroups.join(",")}|${g.efaGroups.map((x) => x.join("+")).join(",")}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const api of apis) judged(findings, flowThrough(net.groups, node, apiPlace(api), "tcp", EKS_API_PORT), view, urn, false);
    for (const service of NODE_SERVICES) {
      const endpoint = net.endpoints.find((e) => e.service === service && e.type === "Interface");
      if (!endpoint) {
        findings.push(missing(view, `no interface endpoint for ${service}: the private nodes of ${g.nodeGroup.name} cannot reach it — add it to the VPC's endpoints`, { urn }));
        continue;
      }
      if (!endpoint.privateDns) findings.push({ kind: "broken", message: `${endpoint.resource.name}: private DNS is off, so nodes resolve ${service}'s public name and have no route to it — enable privateDnsEnabled`, urn: endpoint.resource.urn });
      const { cidrs } = subnetCidrs(net, endpoint.subnetIds);
      judged(findings, flowThrough(net.groups, node, { name: `the ${service} endpoint`, cidrs, groups: endpoint.groupIds }, "tcp", 443), view, endpoint.resource.urn, false);
    }
    const s3 = net.endpoints.find((e) => e.service === "s3" && e.type === "Gateway");
    if (!s3) findings.push(missing(view, `no gateway endpoint for S3: the nodes of ${g.nodeGroup.name} cannot reach it — add it`, { urn }));
    else {
      const unrouted = g.subnetIds.filter((s) => !s3.routeTableIds.includes(net.routeTableOf.get(s) ?? "?"));
      if (unrouted.length) findings.push({ kind: "broken", message: `${s3.resource.name}: the route tables of ${unrouted.join(", ")} (subnets of ${g.nodeGroup.name}) do not route to it — add them to routeTableIds`, urn: s3.resource.urn });
      judged(findings, flowThrough(net.groups, node, { name: "S3 through its gateway endpoint", cidrs: [], groups: [], viaPrefixList: true }, "tcp", 443), view, urn, false);
    }
    if (g.efaGroups.length > 0) {
      const efa = g.efaGroups[0].find((sg) => g.efaGroups.every((x) => x.includes(sg)) && selfOpen(net, sg));
      if (!efa) findings.push({ kind: net.groups.ownerOf(g.efaGroups[0][0] ?? "") || view.complete ? "broken" : "unseen", message: `${g.launchTemplate?.name ?? g.nodeGroup.name}: no group on every EFA interface admits all traffic from and to itself, so EFA peers cannot talk — put the EFA security group on each EFA interface`, urn: g.launchTemplate?.urn ?? urn });
      else notes.push(`${g.nodeGroup.name}: EFA peers through ${net.groups.nameOf(efa)}`);
    }
    for (const fs of files) {
      const { cidrs } = subnetCidrs(net, idList(fs.props.subnetIds));
      const target: Place = { name: `the Lustre file system ${fs.name}`, cidrs, groups: idList(fs.props.securityGroupIds) };
      for (const [from, to] of LUSTRE_PORT_RANGES) for (let port = from; port <= to; port++) judged(findings, flowThrough(net.groups, node, target, "tcp", port), view, fs.urn, false);
    }
  }
  if (findings.length === 0) notes.push(`${groups.length} GPU node groups reach the API server, ${NODE_SERVICES.join(", ")}, S3 and ${files.length} Lustre file system${files.length === 1 ? "" : "s"}`);
  return { property: "gpu-nodes-reach-services", over: `${groups.length} GPU node groups`, findings, notes };
}

function selfOpen(net: NetworkModel, sg: string): boolean {
  const all = (d: "ingress" | "egress") => net.groups.rulesOf(sg, d).some((r) => ["-1", "all"].includes(r.protocol.toLowerCase()) && r.peerGroupId === sg);
  return all("ingress") && all("egress");
}
