import { parseCidr } from "../../../core/lib/cidr";
import { carries, cidrHolds, type Rule } from "../api-reachability";
import type { GroupModel } from "./security-groups";

// Whether security groups let a flow through, as EC2 decides it (stateful, allow-only): a flow from one place to
// another on a protocol and port passes when some outbound rule of a group the source carries admits the
// destination and some inbound rule of a group the destination carries admits the source. A rule admits a place by
// a range holding every address the place may have, by a group the place carries, or (outbound to a service behind a
// gateway endpoint) by a prefix list. A group whose rules the plan does not hold can admit nothing proven: the
// answer is then "cannot prove", never "passes".

export interface Place {
  name: string;
  /** Every address the place may use, as ranges. Empty: an address outside the VPC nobody can bound. */
  cidrs: string[];
  groups: string[];
  /** A service reached through a gateway endpoint: outbound rules to its prefix list admit it. */
  viaPrefixList?: boolean;
}

export interface FlowVerdict {
  passes: boolean;
  /** True when it does not pass only for want of rules the plan does not hold. */
  unproven: boolean;
  via: string[];
  why?: string;
}

function holdsAll(ruleCidr: string | undefined, cidrs: readonly string[]): boolean {
  if (cidrs.length === 0) return (ruleCidr ? parseCidr(ruleCidr) : undefined)?.prefix === 0;
  return cidrs.every((c) => cidrHolds(ruleCidr, c));
}

function admitting(rules: readonly Rule[], other: Place, protocol: "tcp" | "udp", port: number): Rule[] {
  return rules.filter(
    (r) => carries(r, protocol, port) && ((r.peerGroupId !== undefined && other.groups.includes(r.peerGroupId)) || holdsAll(r.cidr, other.cidrs) || (r.prefixListId !== undefined && other.viaPrefixList === true)),
  );
}

export function flowThrough(groups: GroupModel, from: Place, to: Place, protocol: "tcp" | "udp", port: number): FlowVerdict {
  const side = (place: Place, other: Place, direction: Rule["direction"]) => {
    const rules = place.groups.flatMap((g) => admitting(groups.rulesOf(g, direction), other, protocol, port));
    const unknown = place.groups.filter((g) => !groups.ownerOf(g));
    return { rules, unknown };
  };
  const out = side(from, to, "egress");
  // A place that carries no group (a service behind a gateway endpoint) has no inbound side.
  const into = to.groups.length === 0 ? { rules: [] as Rule[], unknown: [] as string[], open: true } : { ...side(to, from, "ingress"), open: false };
  const what = `${protocol.toUpperCase()} ${port} from ${from.name} to ${to.name}`;
  if (out.rules.length === 0) {
    const unproven = out.unknown.length > 0;
    return { passes: false, unproven, via: [], why: `no outbound rule of ${from.groups.map(groups.nameOf).join(", ") || "(no group)"} admits ${what}${unproven ? ` (the rules of ${out.unknown.join(", ")} are not in the plan)` : ""}` };
  }
  if (!into.open && into.rules.length === 0) {
    const unproven = into.unknown.length > 0;
    return { passes: false, unproven, via: [], why: `no inbound rule of ${to.groups.map(groups.nameOf).join(", ") || "(no group)"} admits ${what}${unproven ? ` (the rules of ${into.unknown.join(", ")} are not in the plan)` : ""}` };
  }
  return { passes: true, unproven: false, via: [...out.rules, ...into.rules].map((r) => r.name) };
}

/** The destination's side only: for a source whose own rules are not the plan's (an operator network). */
export function inboundThrough(groups: GroupModel, from: Place, to: Place, protocol: "tcp" | "udp", port: number): FlowVerdict {
  const open: GroupModel = {
    ...groups,
    rulesOf: (g, d) => (g === OPEN && d === "egress" ? [{ name: `${from.name}'s own rules`, direction: "egress", groupId: OPEN, protocol: "-1", fromPort: 0, toPort: 65535, cidr: "0.0.0.0/0" }] : groups.rulesOf(g, d)),
    ownerOf: (g) => (g === OPEN ? undefined : groups.ownerOf(g)),
  };
  return flowThrough(open, { ...from, groups: [OPEN, ...from.groups] }, to, protocol, port);
}

const OPEN = "(the source's own rules)";
