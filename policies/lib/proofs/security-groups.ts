import { EKS_CLUSTER_SECURITY_GROUP_RULES } from "../../../core/catalog/eks-network";
import { securityRulesOf, type Rule } from "../api-reachability";
import type { PlanResource } from "../plan";
import { asArray, asRecord, asStrings } from "../values";
import { tieIds } from "./plan-ids";
import type { PlanView } from "./view";

// The plan's security groups with every rule that applies to them: the standalone rules, the rules inline in a
// group, and for the EKS cluster security group the rules EKS gives it (core/catalog/eks-network.ts). A plan knows a
// group's id only where another resource carries it, so each id is tied to the resource that makes it by elimination
// over the resources that carry ids and depend on groups: a rule of one group that depends on one group names it.
// An id tied to nothing (another layer's, in a preview; a group the spec names) is a group whose rules are unknown.

export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const EKS_CLUSTER = "aws:eks/cluster:Cluster";
const GROUP_ID = /^sg-[0-9a-f]{1,17}$/;

export interface GroupModel {
  rules: readonly Rule[];
  /** The resource that makes the group: a SecurityGroup, or the EKS cluster for its cluster security group. */
  ownerOf(id: string): PlanResource | undefined;
  /** The group's name for a reader: its resource's name and id. */
  nameOf(id: string): string;
  clusterGroupIds: ReadonlySet<string>;
  rulesOf(id: string, direction: Rule["direction"]): readonly Rule[];
}

export function groupModel(view: PlanView): GroupModel {
  const owner = tieIds(view, { pattern: GROUP_ID, makers: [SECURITY_GROUP, EKS_CLUSTER] });
  const idOfOwner = new Map([...owner].map(([id, urn]) => [urn, id]));
  const clusterGroupIds = new Set([...owner].filter(([, urn]) => view.byUrn(urn)?.type === EKS_CLUSTER).map(([id]) => id));

  const standalone = securityRulesOf(view.resources);
  // Rules inline in a group: the group's id where it is known, else its URN stands for it.
  const inline = view.ofType(SECURITY_GROUP).flatMap((g) =>
    (["ingress", "egress"] as const).flatMap((direction) =>
      asArray(g.props[direction]).flatMap((raw, i): Rule[] => {
        const x = asRecord(raw) ?? {};
        const base = { name: `${g.name} ${direction}[${i}]`, urn: g.urn, direction, groupId: idOfOwner.get(g.urn) ?? g.urn, protocol: String(x.protocol ?? ""), fromPort: Number(x.fromPort ?? 0), toPort: Number(x.toPort ?? 65535) };
        return [
          ...asStrings(x.cidrBlocks).map((cidr) => ({ ...base, cidr })),
          ...asStrings(x.ipv6CidrBlocks).map((cidrIpv6) => ({ ...base, cidrIpv6 })),
          ...asStrings(x.prefixListIds).map((prefixListId) => ({ ...base, prefixListId })),
          ...asStrings(x.securityGroups).map((peerGroupId) => ({ ...base, peerGroupId })),
          ...(x.self === true ? [{ ...base, peerGroupId: base.groupId }] : []),
        ];
      }),
    ),
  );
  const eks = [...clusterGroupIds].flatMap((id) =>
    EKS_CLUSTER_SECURITY_GROUP_RULES.map((d): Rule => ({
      name: d.description,
      urn: owner.get(id),
      direction: d.direction,
      groupId: id,
      protocol: d.protocol,
      fromPort: 0,
      toPort: 65535,
      ...("self" in d.peer ? { peerGroupId: id } : { cidr: d.peer.cidr }),
    })),
  );
  const rules = [...standalone, ...inline, ...eks];
  const index = new Map<string, Rule[]>();
  for (const r of rules) {
    const key = `${r.groupId} ${r.direction}`;
    const list = index.get(key);
    if (list) list.push(r);
    else index.set(key, [r]);
  }
  const ownerOf = (id: string) => {
    const urn = owner.get(id);
    return urn ? view.byUrn(urn) : undefined;
  };
  return {
    rules,
    ownerOf,
    nameOf: (id) => {
      const o = ownerOf(id);
      return o ? (o.type === EKS_CLUSTER ? `the cluster security group of ${o.name} (${id})` : `${o.name} (${id})`) : id;
    },
    clusterGroupIds,
    rulesOf: (id, direction) => index.get(`${id} ${direction}`) ?? [],
  };
}
