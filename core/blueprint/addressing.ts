import type { Finding } from "../spec/schema";
import type { NetworkPlan, ScalableUnitPlan, SubnetPlan, SystemPlan } from "./types";
import { CidrAllocator, type Cidr, cidrSize, contains, formatCidr, isAligned, networkOf, overlaps, parseCidr } from "../lib/cidr";
import { VPC_INTERFACE_ENDPOINTS } from "../catalog/endpoints";
import { error } from "../spec/findings";
import { specPath } from "../spec/paths";
import { formatCount } from "./figures";
import { ordinalDigits } from "../lib/hostlist";
import { addressesPerNode, type PodAddressing } from "./pods";

// Subnets per AZ sized for every address the nodes and pods take at full scale.
// - A VPC CIDR block and a subnet are /16 to /28; AWS keeps 5 addresses of every subnet (Amazon VPC
//   subnet sizing [P]).
// - No subnet is planned above 80% used: the rest absorbs /28 fragmentation under prefix delegation
//   (docs/sources.md#vpc-cni [P]: a prefix needs a free, aligned /28) and growth without renumbering.
// - GPU subnets: a scalable unit's node group lives in one subnet, so a unit is placed whole; units of
//   an AZ are packed in order into subnets cut from the largest free block, each shrunk to the smallest
//   prefix that holds its units.
// - Per system AZ: a system subnet of at least /20 (4,091 usable: the controllers' nodes at 110 pods
//   each, load balancers and the EKS control plane's interfaces, with room to grow) and an endpoints
//   subnet of at least /24 (251 usable: one address per interface endpoint, room for more endpoints).
// Big subnets are carved first and the small ones best-fit into what is left, so alignment wastes little.

export const MIN_SUBNET_PREFIX = 16;
export const MAX_SUBNET_PREFIX = 28;
export const AWS_RESERVED_PER_SUBNET = 5;
export const MAX_SUBNET_UTILISATION = 0.8;
export const SYSTEM_SUBNET_PREFIX = 20;
export const ENDPOINTS_SUBNET_PREFIX = 24;

/** Addresses a subnet of this prefix may be planned to use: 80% of what AWS lets it hand out. */
export function plannableAddresses(prefix: number): number {
  return Math.floor(((cidrSize(prefix) - AWS_RESERVED_PER_SUBNET) * 4) / 5);
}

/** The smallest subnet (largest prefix, at most /28 and at least `widest`) that holds `addresses`, if any. */
export function prefixHolding(addresses: number, widest = MIN_SUBNET_PREFIX): number | undefined {
  for (let p = MAX_SUBNET_PREFIX; p >= widest; p--) if (plannableAddresses(p) >= addresses) return p;
  return undefined;
}

export interface UnitDemand {
  unit: string;
  availabilityZone: string;
  addresses: number;
}

interface SubnetDraft {
  name: string;
  role: SubnetPlan["role"];
  availabilityZone: string;
  cidr: Cidr;
  plannedAddresses: number;
  units: string[];
}

type Layout = { ok: true; subnets: SubnetDraft[] } | { ok: false };

/** Places the system and endpoints subnets, then the GPU units, into the blocks; ok:false when they do not fit. */
export function layoutSubnets(blocks: Cidr[], units: UnitDemand[], system: { zones: string[]; systemAddresses: number; endpointAddresses: number }): Layout {
  const allocator = new CidrAllocator(blocks);
  const subnets: SubnetDraft[] = [];
  // The system and endpoints subnets first, at the start of the first block: their sizes do not follow the GPU pools,
  // so a pool that grows never moves the control plane's subnets or the endpoints.
  const fixed: [SubnetPlan["role"], number, number][] = [
    ["system", SYSTEM_SUBNET_PREFIX, system.systemAddresses],
    ["endpoints", ENDPOINTS_SUBNET_PREFIX, system.endpointAddresses],
  ];
  for (const [role, floorPrefix, planned] of fixed) {
    for (const zone of system.zones) {
      const fit = prefixHolding(planned);
      if (fit === undefined) return { ok: false };
      const cidr = allocator.allocate(Math.min(fit, floorPrefix));
      if (!cidr) return { ok: false };
      subnets.push({ name: `${role}-${zone}`, role, availabilityZone: zone, cidr, plannedAddresses: planned, units: [] });
    }
  }
  const zones = [...new Set(units.map((u) => u.availabilityZone))];
  for (const zone of zones) {
    const queue = units.filter((u) => u.availabilityZone === zone);
    const drafts: SubnetDraft[] = [];
    let next = 0;
    while (next < queue.length) {
      const largest = allocator.largestFree();
      if (!largest) return { ok: false };
      const cap = plannableAddresses(Math.max(largest.prefix, MIN_SUBNET_PREFIX));
      let planned = 0;
      const members: string[] = [];
      while (next < queue.length && planned + queue[next].addresses <= cap) {
        planned += queue[next].addresses;
        members.push(queue[next].unit);
        next++;
      }
      const prefix = members.length === 0 ? undefined : prefixHolding(planned, largest.prefix);
      const cidr = prefix === undefined ? undefined : allocator.allocate(prefix);
      if (!cidr) return { ok: false };
      drafts.push({ name: "", role: "gpu", availabilityZone: zone, cidr, plannedAddresses: planned, units: members });
    }
    const digits = ordinalDigits(drafts.length, 2);
    drafts.forEach((d, i) => (d.name = `gpu-${zone}-${String(i + 1).padStart(digits, "0")}`));
    subnets.push(...drafts);
  }
  return { ok: true, subnets: [...subnets.filter((d) => d.role === "gpu"), ...subnets.filter((d) => d.role !== "gpu")] };
}

// Private ranges AWS accepts for VPC CIDR blocks: RFC 1918 and RFC 6598 (100.64.0.0/10).
const PRIVATE_RANGES: Cidr[] = ["10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c) as Cidr);
// The VPC takes at most 50 IPv4 CIDR blocks even after a quota increase (Amazon VPC quotas [U]).
const MAX_VPC_CIDR_BLOCKS = 50;

/** Free /16 blocks to suggest, from the private range of the first block first. */
function candidateBlocks(blocks: Cidr[]): Cidr[] {
  const home = PRIVATE_RANGES.findIndex((r) => blocks.length > 0 && contains(r, blocks[0]));
  const ranges = home < 0 ? PRIVATE_RANGES : [PRIVATE_RANGES[home], ...PRIVATE_RANGES.filter((_, i) => i !== home)];
  const out: Cidr[] = [];
  for (const range of ranges) {
    for (let base = range.base; base < range.base + cidrSize(range.prefix); base += cidrSize(16)) {
      const c = { base, prefix: 16 };
      if (!blocks.some((b) => overlaps(b, c))) out.push(c);
    }
  }
  return out;
}

export interface AddressingInput {
  vpcCidrs: string[];
  podAddressing: PodAddressing;
  natGateway: boolean;
  system: SystemPlan;
  units: ScalableUnitPlan[];
  /** Addresses per node and max pods of each pool, by pool name. */
  pools: Map<string, { addressesPerNode: number; maxPodsPerNode: number; largestUnitNodes: number }>;
}

export interface AddressingResult {
  network: NetworkPlan;
  /** Subnet name of every unit (empty when the factory does not fit). */
  unitSubnets: Map<string, string>;
  findings: Finding[];
}

function parseBlocks(vpcCidrs: string[], findings: Finding[]): Cidr[] {
  const blocks: Cidr[] = [];
  vpcCidrs.forEach((text, i) => {
    const path = specPath("network", "vpcCidrs", i);
    const c = parseCidr(text);
    if (!c || c.prefix < MIN_SUBNET_PREFIX || c.prefix > MAX_SUBNET_PREFIX) {
      findings.push(error(path, `${JSON.stringify(text)} is not an IPv4 CIDR block of /16 to /28`, "write a block such as 10.0.0.0/16 (AWS takes VPC blocks of /16 to /28)"));
    } else if (!isAligned(c)) {
      findings.push(error(path, `${text} has host bits set`, `write ${formatCidr(networkOf(c))}`));
    } else if (blocks.some((b) => overlaps(b, c))) {
      findings.push(error(path, `${text} overlaps another VPC CIDR block`, "give each block its own range"));
    } else {
      blocks.push(c);
    }
  });
  return blocks;
}

export function planAddressing(input: AddressingInput): AddressingResult {
  const findings: Finding[] = [];
  const blocks = parseBlocks(input.vpcCidrs, findings);
  const zones = input.system.availabilityZones;
  const system = {
    zones,
    systemAddresses: (input.system.maxNodes / Math.max(zones.length, 1)) * input.system.addressesPerNode,
    endpointAddresses: VPC_INTERFACE_ENDPOINTS.length,
  };
  const demands: UnitDemand[] = input.units.map((u) => ({
    unit: u.name,
    availabilityZone: u.availabilityZone,
    addresses: u.nodes * (input.pools.get(u.pool)?.addressesPerNode ?? 0),
  }));
  const addressesNeeded = demands.reduce((s, d) => s + d.addresses, 0) + zones.length * (system.systemAddresses + system.endpointAddresses);
  const vpcAddresses = blocks.reduce((s, b) => s + cidrSize(b.prefix), 0);

  // A unit too big for the largest subnet AWS allows can never be placed: the unit must shrink.
  const largestSubnet = plannableAddresses(MIN_SUBNET_PREFIX);
  for (const [pool, p] of input.pools) {
    if (p.largestUnitNodes * p.addressesPerNode > largestSubnet) {
      const fitNodes = Math.floor(largestSubnet / p.addressesPerNode);
      findings.push(
        error(
          specPath("scalableUnit", "nodes"),
          `a scalable unit of ${formatCount(p.largestUnitNodes)} ${pool} nodes needs ${formatCount(p.largestUnitNodes * p.addressesPerNode)} addresses (${p.addressesPerNode} per node at ${p.maxPodsPerNode} pods); one subnet (/16) holds ${formatCount(largestSubnet)} at ${MAX_SUBNET_UTILISATION * 100}% use`,
          `use scalable units of at most ${formatCount(fitNodes)} nodes, or lower pools.${pool}.maxPodsPerNode`,
        ),
      );
    }
  }

  const layout: Layout = findings.some((f) => f.level === "error") ? { ok: false } : layoutSubnets(blocks, demands, system);
  const unitSubnets = new Map<string, string>();
  const base = {
    vpcCidrs: [...input.vpcCidrs],
    podAddressing: input.podAddressing,
    addressesNeeded,
    systemAvailabilityZones: [...zones],
    natGateway: input.natGateway,
  };

  if (!layout.ok) {
    if (!findings.some((f) => f.level === "error")) findings.push(doesNotFit(input, blocks, demands, system, addressesNeeded, vpcAddresses));
    return { network: { ...base, subnets: [], addressesUsable: 0, maxSubnetUtilisation: 0 }, unitSubnets, findings };
  }

  const subnets: SubnetPlan[] = layout.subnets.map((d) => {
    const usableAddresses = cidrSize(d.cidr.prefix) - AWS_RESERVED_PER_SUBNET;
    for (const u of d.units) unitSubnets.set(u, d.name);
    return {
      name: d.name,
      role: d.role,
      availabilityZone: d.availabilityZone,
      cidr: formatCidr(d.cidr),
      // As the spec writes it, the key the network component finds the block's association by.
      vpcCidr: vpcCidrOf(input.vpcCidrs, d.cidr),
      usableAddresses,
      plannedAddresses: d.plannedAddresses,
      utilisation: Math.round((d.plannedAddresses / usableAddresses) * 10_000) / 10_000,
    };
  });
  return {
    network: {
      ...base,
      subnets,
      addressesUsable: subnets.reduce((s, n) => s + n.usableAddresses, 0),
      maxSubnetUtilisation: subnets.reduce((m, n) => Math.max(m, n.utilisation), 0),
    },
    unitSubnets,
    findings,
  };
}

/** The VPC block, as written, a subnet was cut from: the allocator cuts every subnet from one of them. */
function vpcCidrOf(vpcCidrs: readonly string[], subnet: Cidr): string {
  return vpcCidrs.find((text) => {
    const block = parseCidr(text);
    return block !== undefined && contains(block, subnet);
  })!;
}

/** The error when the blocks are too small: what is needed, what is there, and the ways out. */
function doesNotFit(
  input: AddressingInput,
  blocks: Cidr[],
  demands: UnitDemand[],
  system: { zones: string[]; systemAddresses: number; endpointAddresses: number },
  addressesNeeded: number,
  vpcAddresses: number,
): Finding {
  const candidates = candidateBlocks(blocks).slice(0, MAX_VPC_CIDR_BLOCKS);
  let extra = 0;
  for (let k = 1; k <= candidates.length; k++) {
    if (layoutSubnets([...blocks, ...candidates.slice(0, k)], demands, system).ok) {
      extra = k;
      break;
    }
  }
  const ways: string[] = [];
  if (extra > 0) {
    const examples = candidates.slice(0, Math.min(extra, 2)).map(formatCidr).join(", ");
    ways.push(`add ${extra} /16 block${extra > 1 ? "s" : ""} to network.vpcCidrs (e.g. ${examples}${extra > 2 ? ", ..." : ""}; ${blocks.length + extra} blocks in all, against the VPC's quota of CIDR blocks)`);
  } else {
    ways.push(`more /16 blocks than one VPC takes (${MAX_VPC_CIDR_BLOCKS}) would be needed`);
  }
  // The pool that takes the most addresses is where a change helps most.
  const hungriest = [...input.pools].reduce<[string, { addressesPerNode: number; maxPodsPerNode: number }] | undefined>(
    (a, b) => (!a || b[1].addressesPerNode > a[1].addressesPerNode ? b : a),
    undefined,
  );
  if (hungriest) {
    const [pool, p] = hungriest;
    ways.push(`lower pools.${pool}.maxPodsPerNode (${p.maxPodsPerNode} pods: ${p.addressesPerNode} addresses per node)`);
    const other: PodAddressing = input.podAddressing === "prefix-delegation" ? "secondary-ip" : "prefix-delegation";
    const otherAddresses = addressesPerNode(other, p.maxPodsPerNode);
    if (otherAddresses < p.addressesPerNode) ways.push(`set network.podAddressing to ${other} (${otherAddresses} addresses per node)`);
  }
  return error(
    specPath("network", "vpcCidrs"),
    `the factory needs ${formatCount(addressesNeeded)} addresses in subnets kept at most ${MAX_SUBNET_UTILISATION * 100}% used (${formatCount(Math.ceil(addressesNeeded / MAX_SUBNET_UTILISATION))} of address space); the VPC CIDR blocks hold ${formatCount(vpcAddresses)}`,
    ways.join("; or "),
  );
}
