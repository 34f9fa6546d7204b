import { contains, parseCidr } from "../../../core/lib/cidr";
import { admission, type NamedPolicy } from "../iam/evaluate";
import type { IdentityModel } from "../iam/plan-identities";
import { asArray, asBoolean, asRecord } from "../values";
import type { NetworkModel } from "./network";
import { apiPlaces } from "./node-places";
import type { Finding, Proof } from "./types";
import type { PlanView } from "./view";

// Nothing outside the factory reaches in unless the spec declares it: no inbound rule admits a range outside the
// VPC or the declared operator networks (nor an IPv6 range, nor a prefix list or a group the plan cannot bound); no
// public address (subnet, launch template, Elastic IP, internet-facing load balancer); no route from a peered,
// transit or VPN network beyond the declared ranges; the public API endpoint only for the declared ranges; and no
// trust, key, bucket or access-point policy admits a principal of another account, asked with a stranger of each
// account the documents name (and of any account, for a wildcard).

export interface Declared {
  cidrs: string[];
  securityGroupIds: string[];
  publicEndpointCidrs: string[];
  accountIds: string[];
}

const within = (c: string, outer: readonly string[]) => {
  const inner = parseCidr(c);
  return inner !== undefined && outer.some((o) => {
    const x = parseCidr(o);
    return x !== undefined && contains(x, inner);
  });
};
const STRANGER = "000000000000";

function namedAccounts(doc: NamedPolicy): string[] {
  const out = new Set<string>([STRANGER]);
  for (const s of doc.document.Statement) {
    const p = s.Principal;
    if (p && p !== "*") for (const a of [(p as Record<string, string | string[]>).AWS ?? []].flat()) out.add(/(\d{12})/.exec(a)?.[1] ?? STRANGER);
  }
  return [...out];
}

export function exposureProof(view: PlanView, net: NetworkModel, identities: IdentityModel, declared: Declared): Proof {
  const findings: Finding[] = [];
  const inside = [...net.vpcCidrs, ...declared.cidrs];
  const broken = (urn: string | undefined, message: string) => {
    const r = urn ? view.byUrn(urn) : undefined;
    const tenant = r ? view.tenantOf(r) : undefined;
    findings.push({ kind: "broken", urn, tenant, message: tenant ? `${tenant}: ${message}` : message });
  };
  for (const r of net.groups.rules.filter((x) => x.direction === "ingress")) {
    const group = net.groups.nameOf(r.groupId);
    if (r.cidr && !within(r.cidr, inside)) broken(r.urn, `${r.name} lets ${r.cidr} into ${group}, outside the VPC and the declared networks — admit the VPC or declare the network under access.operatorCidrs`);
    if (r.cidrIpv6) broken(r.urn, `${r.name} lets ${r.cidrIpv6} (IPv6) into ${group} — the factory declares no IPv6 network`);
    if (r.prefixListId) findings.push({ kind: "unproven", urn: r.urn, message: `cannot prove ${r.name}: the prefix list ${r.prefixListId} it admits into ${group} has no bounded ranges in the plan — admit ranges` });
    if (r.peerGroupId && !net.groups.ownerOf(r.peerGroupId) && !declared.securityGroupIds.includes(r.peerGroupId))
      findings.push(view.complete || r.peerGroupId.includes("/")
        ? { kind: r.peerGroupId.includes("/") ? "broken" : "unproven", urn: r.urn, message: `${r.peerGroupId.includes("/") ? "" : "cannot prove: "}${r.name} admits the group ${r.peerGroupId}, which the plan does not make — declare it under access.operatorSecurityGroupIds or admit the factory's own groups` }
        : { kind: "unseen", urn: r.urn, message: `${r.name} admits ${r.peerGroupId}, made in another layer — \`gigafactory check\` proves it over every layer` });
  }
  const publicSubnets = [...net.subnets.values()].filter((s) => s.publicIps);
  for (const s of publicSubnets) broken(s.urn, `${s.name} gives every launch a public address — set mapPublicIpOnLaunch to false`);
  for (const lt of view.ofType("aws:ec2/launchTemplate:LaunchTemplate"))
    if (asArray(lt.props.networkInterfaces).some((i) => asBoolean(asRecord(i)?.associatePublicIpAddress) === true)) broken(lt.urn, `${lt.name} gives its instances public addresses — set associatePublicIpAddress to false`);
  for (const eip of view.ofType("aws:ec2/eip:Eip")) broken(eip.urn, `${eip.name} is a public address — remove it, the factory is private`);
  for (const lb of view.ofType("aws:lb/loadBalancer:LoadBalancer")) if (asBoolean(lb.props.internal) !== true) broken(lb.urn, `${lb.name} faces the internet — make it internal`);
  for (const route of net.routes) {
    if (["pcx", "tgw", "vgw", "core", "lgw", "cagw"].includes(route.target) && !within(route.destination, declared.cidrs))
      broken(route.by.urn, `${route.by.name} routes ${route.destination} through a ${route.target} to another network the spec does not declare — declare it under access.operatorCidrs or remove the route`);
    if (route.target === "igw" && publicSubnets.length) broken(route.by.urn, `${route.by.name} routes to an internet gateway while ${publicSubnets.map((s) => s.name).join(", ")} give public addresses — keep the factory private`);
  }
  for (const api of apiPlaces(view, net)) {
    if (!api.publicAccess) continue;
    const ranges = api.publicCidrs.length ? api.publicCidrs : ["0.0.0.0/0"];
    const stray = ranges.filter((c) => !within(c, declared.publicEndpointCidrs));
    if (stray.length) broken(api.cluster.urn, `${api.cluster.name}'s public endpoint answers ${stray.join(", ")}, which the spec does not declare — turn it off, or declare the ranges under access.publicEndpointCidrs`);
  }
  const home = identities.account;
  const documents: { urn: string; policy: NamedPolicy; action: string; resource: string }[] = [
    ...identities.roles.map((r) => ({ urn: r.urn, policy: { name: r.name, document: r.trust }, action: "sts:AssumeRole", resource: r.arn })),
    ...identities.keys.map((k) => ({ urn: k.urn, policy: k.policy, action: "kms:Decrypt", resource: k.arn })),
    ...identities.accessPoints.map((a) => ({ urn: a.urn, policy: a.policy, action: "s3:GetObject", resource: `${a.arn}/object/x` })),
    ...[...identities.bucketPolicies].map(([bucket, p]) => ({ urn: view.resources.find((r) => r.name === p.name)?.urn ?? "", policy: p, action: "s3:GetObject", resource: `arn:${identities.partition}:s3:::${bucket}/x` })),
  ];
  for (const d of documents) {
    for (const account of namedAccounts(d.policy)) {
      if (account === home || declared.accountIds.includes(account)) continue;
      const a = admission(d.policy, { principal: { arn: `arn:${identities.partition}:iam::${account}:role/stranger`, account }, action: d.action, resource: d.resource, context: { "aws:PrincipalAccount": account }, worstCase: true });
      if (a.admits !== "no") {
        broken(d.urn, `${d.policy.name} lets ${account === STRANGER ? "any account" : `the account ${account}`} in (${a.by.join(", ")}) — admit only the factory's account ${home}, or declare the account in the policy config (allowedAccountIds)`);
        break;
      }
    }
  }
  return { property: "no-external-flows", over: `${net.groups.rules.length} security group rules, ${net.routes.length} routes, ${documents.length} policy documents`, findings, notes: declared.cidrs.length || declared.publicEndpointCidrs.length ? [`declared: ${[...declared.cidrs, ...declared.securityGroupIds, ...declared.publicEndpointCidrs.map((c) => `${c} (public endpoint)`)].join(", ")}`] : [] };
}
