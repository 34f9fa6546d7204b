import { contains, parseCidr } from "../../core/lib/cidr";

// Kubernetes NetworkPolicy semantics over plain objects, so a plan's policies can be asked whether a flow passes
// (Kubernetes "Network Policies" [P]): a pod selected by no policy of a direction is open in it; a pod selected by
// at least one is closed but for what some rule of those policies admits; a flow needs the source's egress and the
// destination's ingress. Peers: a podSelector alone means pods of the policy's namespace; a namespaceSelector (with
// or without a podSelector) pods of the matching namespaces; an ipBlock an address range less its exceptions. A
// named port cannot be decided from a plan and never matches: the evaluator fails closed.

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: PolicyPort[];
}

export interface NetworkPolicyObject {
  metadata: { name: string; namespace?: string };
  spec: { podSelector: LabelSelector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };
}

/** One end of a flow: a pod (its namespace, the namespace's labels, its labels) or an address outside any pod. */
export interface Endpoint {
  ip: string;
  pod?: { namespace: string; labels: Record<string, string>; namespaceLabels: Record<string, string> };
}

export interface Flow {
  from: Endpoint;
  to: Endpoint;
  protocol: "TCP" | "UDP";
  port: number;
}

export interface Verdict {
  allowed: boolean;
  /** Why, by policy and rule: the rules that admit each side, or the side that nothing admits. */
  why: string;
}

export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === "In" && !inValues) return false;
    if (e.operator === "NotIn" && inValues) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

// Ranges parsed once: a proof asks the same policies' blocks for thousands of flows.
const PARSED = new Map<string, ReturnType<typeof parseCidr>>();
function parsed(text: string): ReturnType<typeof parseCidr> {
  if (!PARSED.has(text)) {
    if (PARSED.size > 50_000) PARSED.clear();
    PARSED.set(text, parseCidr(text));
  }
  return PARSED.get(text);
}

function inBlock(ip: string, block: { cidr: string; except?: string[] }): boolean {
  const address = parsed(`${ip}/32`);
  const range = parsed(block.cidr);
  if (!address || !range) return false;
  return contains(range, address) && !(block.except ?? []).some((e) => {
    const x = parsed(e);
    return x !== undefined && contains(x, address);
  });
}

function peerMatches(peer: Peer, policyNamespace: string | undefined, other: Endpoint): boolean {
  if (peer.ipBlock) return inBlock(other.ip, peer.ipBlock);
  if (!other.pod) return false;
  if (peer.namespaceSelector) return selects(peer.namespaceSelector, other.pod.namespaceLabels) && selects(peer.podSelector, other.pod.labels);
  return other.pod.namespace === policyNamespace && selects(peer.podSelector, other.pod.labels);
}

function portMatches(ports: PolicyPort[] | undefined, flow: Flow): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== flow.protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port !== "number") return false;
    return p.endPort === undefined ? flow.port === p.port : flow.port >= p.port && flow.port <= p.endPort;
  });
}

type Direction = "Ingress" | "Egress";

function directionsOf(p: NetworkPolicyObject): Direction[] {
  if (p.spec.policyTypes) return p.spec.policyTypes as Direction[];
  return p.spec.egress ? ["Ingress", "Egress"] : ["Ingress"];
}

/** The side of a flow one pod's policies decide: open, or the rules that admit it, or none. */
function side(policies: readonly NetworkPolicyObject[], self: Endpoint, other: Endpoint, flow: Flow, direction: Direction): { open: boolean; rules: string[] } {
  if (!self.pod) return { open: true, rules: [] };
  const pod = self.pod;
  const applying = policies.filter((p) => p.metadata.namespace === pod.namespace && directionsOf(p).includes(direction) && selects(p.spec.podSelector, pod.labels));
  if (applying.length === 0) return { open: true, rules: [] };
  const rules = applying.flatMap((p) =>
    ((direction === "Ingress" ? p.spec.ingress : p.spec.egress) ?? []).flatMap((r, i) => {
      const peers = direction === "Ingress" ? r.from : r.to;
      const peerOk = !peers || peers.length === 0 || peers.some((x) => peerMatches(x, p.metadata.namespace, other));
      return peerOk && portMatches(r.ports, flow) ? [`${p.metadata.namespace}/${p.metadata.name} ${direction.toLowerCase()}[${i}]`] : [];
    }),
  );
  return { open: false, rules };
}

/** Whether the flow passes both the source's egress and the destination's ingress. */
export function evaluateFlow(policies: readonly NetworkPolicyObject[], flow: Flow): Verdict {
  const out = side(policies, flow.from, flow.to, flow, "Egress");
  const into = side(policies, flow.to, flow.from, flow, "Ingress");
  if (!out.open && out.rules.length === 0) return { allowed: false, why: `no egress rule of ${flow.from.pod?.namespace} admits it` };
  if (!into.open && into.rules.length === 0) return { allowed: false, why: `no ingress rule of ${flow.to.pod?.namespace} admits it` };
  return { allowed: true, why: [...out.rules, ...into.rules].join(", ") || "no policy applies" };
}
