import { cidr, contains, firstServiceAddress, formatCidr, overlaps, parseCidr } from "../../../core/lib/cidr";
import { evaluateFlow, selects, type Endpoint, type Flow, type LabelSelector, type NetworkPolicyObject } from "../network-policy";
import { asArray, asRecord, asString, asStrings } from "../values";
import type { NetworkModel } from "./network";
import { subnetCidrs } from "./node-places";
import { tenantNodeGroups } from "./pod-places";
import type { Finding, Proof } from "./types";
import { missing, type PlanView } from "./view";

// Tenants' pods on the network, by the plan's NetworkPolicies (policies/lib/network-policy.ts). Isolation is proven
// for every ordered pair of tenants, every port and every pod: a tenant's policies select all its pods in both
// directions, and no rule of the source's egress meets a rule of the destination's ingress on a common port where
// each may match the other's pods: by a namespace selector that matches the other's namespace, or by an address
// range that reaches into a subnet tenants' pods take addresses from (the subnets of every node group open to them,
// pod-places.ts; tenants share them). The pods' paths are proven flow by flow: the API server (its Service address and the control
// plane's subnets), DNS, the VPC's endpoints and the Pod Identity agent on 443/53/80; the instance metadata refused.

const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const POD_IDENTITY_AGENT = "169.254.170.23";
const INSTANCE_METADATA = "169.254.169.254";

type Peer = { podSelector?: LabelSelector; namespaceSelector?: LabelSelector; ipBlock?: { cidr: string; except?: string[] } };

/** Whether a peer may match some pod of a namespace whose pods take addresses in the given ranges. */
function mayMatch(peer: Peer, policyNamespace: string, namespace: string, labels: Record<string, string>, podRanges: readonly string[]): boolean {
  if (peer.ipBlock) {
    const block = parseCidr(peer.ipBlock.cidr);
    if (!block) return true;
    const excepted = (peer.ipBlock.except ?? []).map(parseCidr);
    return podRanges.some((r) => {
      const range = parseCidr(r);
      if (!range) return true;
      return overlaps(block, range) && !excepted.some((e) => e !== undefined && contains(e, range));
    });
  }
  if (peer.namespaceSelector) return selects(peer.namespaceSelector, labels);
  return policyNamespace === namespace;
}

const isAll = (s: LabelSelector | undefined) => !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);

export function podNetworkProofs(view: PlanView, net: NetworkModel): { isolated: Proof; reach: Proof } {
  const iso: Finding[] = [];
  const reach: Finding[] = [];
  const policies = view.ofType(NETWORK_POLICY).map((p) => ({ urn: p.urn, object: p.props as unknown as NetworkPolicyObject }));
  const labelsOf = new Map(view.ofType(NAMESPACE).map((n) => [asString(asRecord(n.props.metadata)?.name) ?? "", (asRecord(asRecord(n.props.metadata)?.labels) ?? {}) as Record<string, string>]));
  // Namespaces carry their name as a label (Kubernetes sets kubernetes.io/metadata.name on every namespace).
  const nsLabels = (ns: string) => ({ ...(labelsOf.get(ns) ?? {}), "kubernetes.io/metadata.name": ns });
  const namespaceUrn = new Map(view.ofType(NAMESPACE).map((n) => [asString(asRecord(n.props.metadata)?.name) ?? "", n.urn]));
  // Tenants' pods take addresses only where they may be scheduled: a node group closed to them is no pod subnet of theirs.
  const places = tenantNodeGroups(view);
  const podIds = [...new Set(places.open.flatMap((n) => asStrings(n.props.subnetIds)))];
  const { cidrs: podRanges, unknown } = subnetCidrs(net, podIds);
  // The platform's pods (CoreDNS) take addresses in every node group's subnets.
  const platformRanges = subnetCidrs(net, [...new Set(view.ofType("aws:eks/nodeGroup:NodeGroup").flatMap((n) => asStrings(n.props.subnetIds)))]).cidrs;
  if (view.tenants.length > 0 && (podRanges.length === 0 || unknown.length)) iso.push(missing(view, `the subnets pods take addresses from are not all in the plan (${unknown.join(", ") || "no node group"}), so no address range can be proven to miss another tenant's pods`));
  const rangesKnown = podRanges.length > 0 && unknown.length === 0;
  const ranges = podRanges.length ? podRanges : ["0.0.0.0/0"];

  // Where the tenants' pods must get to, the same for every tenant.
  const endpointCidrs = net.endpoints.filter((e) => e.type === "Interface").flatMap((e) => subnetCidrs(net, e.subnetIds).cidrs);
  const api = view.ofType("aws:eks/cluster:Cluster");
  const serviceCidr = api.map((c) => asString(asRecord(c.props.kubernetesNetworkConfig)?.serviceIpv4Cidr)).find(Boolean);
  const controlPlane = api.flatMap((c) => subnetCidrs(net, asArray(asRecord(c.props.vpcConfig)?.subnetIds).map(String)).cidrs);
  for (const t of view.tenants) {
    const own = policies.filter((p) => p.object.metadata?.namespace === t);
    for (const direction of ["Ingress", "Egress"] as const) {
      const all = own.filter((p) => isAll(p.object.spec?.podSelector) && (p.object.spec?.policyTypes ?? (direction === "Ingress" || p.object.spec?.egress ? [direction] : [])).includes(direction));
      if (all.length === 0)
        // The tenant's namespace is in view, so are its policies (both are its Tenant component's).
        iso.push({ kind: "broken", tenant: t, urn: namespaceUrn.get(t), message: `${t}: no NetworkPolicy of the namespace selects all its pods for ${direction.toLowerCase()}, so they are open to every other tenant's pods that way — restore the tenant's policy` });
    }
    const pods = ranges.map((r) => ({ ip: edge(r, 4), pod: { namespace: t, labels: {}, namespaceLabels: nsLabels(t) } }) as Endpoint);
    const need: [string, Endpoint, number, "TCP" | "UDP"][] = [
      ...(serviceCidr ? [["the API server's Service address", { ip: firstServiceAddress(serviceCidr) }, 443, "TCP"] as [string, Endpoint, number, "TCP"]] : []),
      ...controlPlane.flatMap((c) => [edge(c, 4), edge(c, -2)].map((ip): [string, Endpoint, number, "TCP"] => [`the API server's interfaces in ${c}`, { ip }, 443, "TCP"])),
      ...endpointCidrs.flatMap((c) => [edge(c, 4), edge(c, -2)].map((ip): [string, Endpoint, number, "TCP"] => [`the VPC endpoints in ${c}`, { ip }, 443, "TCP"])),
      ["the Pod Identity agent", { ip: POD_IDENTITY_AGENT }, 80, "TCP"],
      ...(["UDP", "TCP"] as const).map((proto): [string, Endpoint, number, "TCP" | "UDP"] => ["DNS", { ip: edge(platformRanges[0] ?? ranges[0], 8), pod: { namespace: "kube-system", labels: { "k8s-app": "kube-dns" }, namespaceLabels: nsLabels("kube-system") } }, 53, proto]),
    ];
    if (!serviceCidr || controlPlane.length === 0) reach.push(missing(view, `${t}: the cluster's Service range or subnets are not in the plan, so the pods' path to the API server cannot be proven`, { tenant: t }));
    if (endpointCidrs.length === 0) reach.push(missing(view, `${t}: no interface endpoint in the plan, so the pods' path to AWS's APIs cannot be proven`, { tenant: t }));
    // A flow is decided by the source's namespace's policies and the destination's (DNS's namespace here).
    const objects = policies.filter((p) => [t, "kube-system"].includes(p.object.metadata?.namespace ?? "")).map((p) => p.object);
    for (const from of pods) {
      // Only a pod destination has an ingress side that looks at the source's address: one source pod suffices for the rest.
      for (const [what, to, port, protocol] of need.filter(([, to]) => to.pod || from === pods[0])) {
        const v = evaluateFlow(objects, { from, to, port, protocol } as Flow);
        if (!v.allowed) reach.push({ kind: "broken", tenant: t, urn: own[0]?.urn ?? namespaceUrn.get(t), message: `${t}: a pod at ${from.ip} cannot reach ${what} (${to.ip}) on ${protocol} ${port}: ${v.why} — let the tenant's pods reach it` });
      }
      if (from !== pods[0]) continue;
      const imds = evaluateFlow(objects, { from, to: { ip: INSTANCE_METADATA }, port: 80, protocol: "TCP" });
      if (imds.allowed) reach.push({ kind: "broken", tenant: t, urn: own[0]?.urn ?? namespaceUrn.get(t), message: `${t}: a pod reaches the instance metadata (${INSTANCE_METADATA}) and with it the node's role (${imds.why}) — except it from the tenant's egress` });
    }
  }
  // Every ordered pair: a flow needs a rule of the source's egress and one of the destination's ingress that may
  // match each other's pods on a common port; a side no policy closes is open on every port.
  const labelsByNs = new Map(view.tenants.map((t) => [t, nsLabels(t)]));
  const sides = new Map(view.tenants.map((t) => [t, { egress: rulesOf(policies, t, "egress", ranges), ingress: rulesOf(policies, t, "ingress", ranges) }]));
  const reaches = (r: SideRule, other: string) => r.open || r.anyPod || r.selectors.some((sel) => selects(sel, labelsByNs.get(other)!));
  for (const a of view.tenants) {
    for (const b of view.tenants) {
      if (a === b) continue;
      const out = sides.get(a)!.egress.filter((r) => reaches(r, b));
      if (out.length === 0) continue;
      const into = sides.get(b)!.ingress.filter((r) => reaches(r, a));
      const pair = out.flatMap((o) => into.filter((i) => portsMeet(o.ports, i.ports)).map((i) => [o, i] as const))[0];
      // Without the pod subnets an address range can only be suspected of reaching pods: not proven, not broken.
      const suspected = !rangesKnown && !pair?.some((r) => r.open || r.selectors.some((sel) => selects(sel, labelsByNs.get(r === pair![0] ? b : a)!)));
      if (pair && suspected) iso.push({ kind: view.complete ? "unproven" : "unseen", tenant: a, urn: pair[0].urn ?? pair[1].urn, message: `cannot prove ${a}'s pods stay out of ${b}'s: ${pair[0].name} and ${pair[1].name} admit address ranges, and the pod subnets are not in view` });
      else if (pair) iso.push({ kind: "broken", tenant: a, urn: pair[0].urn ?? pair[1].urn, message: `${a}'s pods reach ${b}'s pods: ${pair[0].name} lets them out and ${pair[1].name} lets them in — close the rule that admits another tenant's pods (namespace selector or an address range over the pod subnets)` });
    }
  }
  // Rules that reach into the pod subnets by address: there a pair is kept apart by the other side's policy alone.
  const oneSided = new Map<string, number>();
  for (const side of sides.values()) for (const r of [...side.egress, ...side.ingress]) {
    if (r.open || !r.anyPod || !rangesKnown) continue;
    const shape = `${r.name.replace(/^[^/]+\//, "").replace(/^([^ ]+) /, "$1 ")} on ${(r.ports ?? []).map((p) => `${p.protocol ?? "TCP"} ${p.port ?? "any"}`).join(", ") || "any port"}`;
    oneSided.set(shape, (oneSided.get(shape) ?? 0) + 1);
  }
  const sideNotes = [...oneSided].map(([shape, n]) => `${shape} (${n} tenant${n === 1 ? "" : "s"}) admits addresses of the pod subnets: another tenant's pod there is kept out by its own policy's other side`);
  return {
    isolated: { property: "tenant-network-isolated", over: `${view.tenants.length} tenants, ${policies.length} NetworkPolicies, ${podRanges.length} pod subnets`, findings: dedupe(iso), notes: [...places.notes, ...sideNotes] },
    reach: { property: "tenant-pods-reach-services", over: `${view.tenants.length} tenants`, findings: dedupe(reach), notes: ["pods leave their node through its security groups: their paths on the VPC are the GPU nodes' (gpu-nodes-reach-services)"] },
  };
}

interface SideRule {
  name: string;
  urn?: string;
  /** No policy closes this side: every pod, every port. */
  open: boolean;
  /** The rule may match a pod of any namespace: no peers, or an address range over the pod subnets. */
  anyPod: boolean;
  /** The namespace selectors of its peers: the namespaces whose pods it may match. */
  selectors: LabelSelector[];
  ports?: PolicyPort[];
}
type PolicyPort = { protocol?: string; port?: number | string; endPort?: number };

/** A tenant's rules of one direction, or one open rule when no policy selects all its pods that way. */
function rulesOf(policies: { urn: string; object: NetworkPolicyObject }[], t: string, direction: "ingress" | "egress", podRanges: readonly string[]): SideRule[] {
  const kind = direction === "ingress" ? "Ingress" : "Egress";
  const own = policies.filter((p) => p.object.metadata?.namespace === t && (p.object.spec?.policyTypes ?? (kind === "Ingress" || p.object.spec?.egress ? [kind] : [])).includes(kind));
  const rules = own.flatMap((p) =>
    ((direction === "ingress" ? p.object.spec.ingress : p.object.spec.egress) ?? []).map((r, i): SideRule => {
      const peers = ((direction === "ingress" ? (r as { from?: Peer[] }).from : (r as { to?: Peer[] }).to) ?? []) as Peer[];
      return {
        name: `${t}/${p.object.metadata.name} ${direction}[${i}]`,
        urn: p.urn,
        open: false,
        anyPod: peers.length === 0 || peers.some((peer) => peer.ipBlock !== undefined && mayMatch(peer, t, "", {}, podRanges)),
        selectors: peers.flatMap((peer) => (peer.namespaceSelector && !peer.ipBlock ? [peer.namespaceSelector] : [])),
        ports: (r as { ports?: PolicyPort[] }).ports,
      };
    }),
  );
  // Policies that select only some pods leave the others open.
  return own.some((p) => isAll(p.object.spec?.podSelector)) ? rules : [...rules, { name: `${t}'s pods no ${direction} policy selects`, open: true, anyPod: true, selectors: [] }];
}

/** Whether two rules' ports share a protocol and a port; a named port may be any. */
function portsMeet(a: PolicyPort[] | undefined, b: PolicyPort[] | undefined): boolean {
  if (!a?.length || !b?.length) return true;
  const range = (p: PolicyPort): [number, number] => (typeof p.port === "number" ? [p.port, p.endPort ?? p.port] : [0, 65535]);
  return a.some((x) => b.some((y) => (x.protocol ?? "TCP") === (y.protocol ?? "TCP") && range(x)[0] <= range(y)[1] && range(y)[0] <= range(x)[1]));
}

/** The n-th address of a range (negative: from its end). */
function edge(range: string, n: number): string {
  const c = cidr(range);
  const size = 2 ** (32 - c.prefix);
  const offset = n >= 0 ? Math.min(n, size - 1) : Math.max(0, size + n);
  return formatCidr({ base: c.base + offset, prefix: 32 }).replace(/\/32$/, "");
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => (seen.has(f.message) ? false : (seen.add(f.message), true)));
}
