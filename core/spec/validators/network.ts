import { cidr, contains, formatCidr, isAligned, networkOf, overlaps, parseCidr, type Cidr } from "../../lib/cidr";
import { didYouMean } from "../did-you-mean";
import { error, warning } from "../findings";
import { specPath } from "../paths";
import type { Finding } from "../schema";
import type { SpecCheck } from "./context";
import { MNG_MAX_PODS, MIN_PODS_PER_GPU_NODE, lowPods } from "./pools";

// The VPC's address space and the cluster's network: CIDR blocks AWS accepts together, system zones
// of the region, pod density EKS allows, a flow-log retention CloudWatch accepts.

/** A VPC CIDR block is /16 to /28 (VPC user guide, "VPC CIDR blocks" [P]). */
export const VPC_PREFIX_MIN = 16;
export const VPC_PREFIX_MAX = 28;
/** IPv4 CIDR blocks per VPC: 5 by default, adjustable to 50 (catalog quota vpc.ipv4-cidr-blocks-per-vpc [U]). */
export const VPC_CIDR_BLOCKS_MAX = 50;
/** EKS needs subnets in at least two availability zones (EKS "VPC and subnet requirements" [P]). */
export const EKS_MIN_AVAILABILITY_ZONES = 2;
/** Values CloudWatch Logs accepts for a log group's retention (PutRetentionPolicy, as @pulumi/aws documents it [P]). */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const RFC1918 = { "10.0.0.0/8": cidr("10.0.0.0/8"), "172.16.0.0/12": cidr("172.16.0.0/12"), "192.168.0.0/16": cidr("192.168.0.0/16") };
const CGNAT = cidr("100.64.0.0/10");
const BENCHMARK = cidr("198.19.0.0/16");
// Some AWS services use 172.17.0.0/16 (Docker's bridge); the VPC user guide advises against it [P].
const DOCKER_BRIDGE = cidr("172.17.0.0/16");

function privateRange(c: Cidr): keyof typeof RFC1918 | undefined {
  return (Object.keys(RFC1918) as (keyof typeof RFC1918)[]).find((k) => contains(RFC1918[k], c));
}

/**
 * Why AWS refuses `secondary` beside the VPC's first block, or undefined when it accepts it
 * ("IPv4 CIDR block association restrictions", amazon-vpc-user-guide VPC_Subnets.md [P]).
 */
export function associationProblem(primary: Cidr, secondary: Cidr): string | undefined {
  const pRange = privateRange(primary);
  const sRange = privateRange(secondary);
  if (contains(BENCHMARK, primary)) return sRange ? `a VPC whose first block is in 198.19.0.0/16 takes no block from ${sRange}` : undefined;
  if (pRange === undefined) {
    if (sRange) return `a VPC whose first block is not private (RFC 1918) takes no block from ${sRange}`;
    if (overlaps(secondary, BENCHMARK)) return "a VPC whose first block is not private takes no block from 198.19.0.0/16";
    return undefined;
  }
  if (sRange !== undefined && sRange !== pRange) return `a VPC whose first block is in ${pRange} takes no block from ${sRange}`;
  if (overlaps(secondary, BENCHMARK)) return `a VPC whose first block is in ${pRange} takes no block from 198.19.0.0/16`;
  if (pRange === "10.0.0.0/8" && contains(cidr("10.0.0.0/15"), primary) && contains(cidr("10.0.0.0/16"), secondary)) {
    return "a VPC whose first block is in 10.0.0.0/15 takes no block from 10.0.0.0/16";
  }
  if (pRange === "172.16.0.0/12" && contains(cidr("172.31.0.0/16"), secondary)) return "a VPC whose first block is in 172.16.0.0/12 takes no block from 172.31.0.0/16";
  return undefined;
}

function checkCidrs(check: SpecCheck): Finding[] {
  const written = check.input.network?.vpcCidrs;
  if (!written) return [];
  const findings: Finding[] = [];
  const parsed: [index: number, block: Cidr][] = [];
  written.forEach((text, i) => {
    const path = specPath("network", "vpcCidrs", i);
    const c = parseCidr(text);
    if (!c) {
      findings.push(error(path, `${JSON.stringify(text)} is not an IPv4 CIDR block`, "write it as a.b.c.d/n, e.g. 10.0.0.0/16"));
      return;
    }
    if (c.prefix < VPC_PREFIX_MIN || c.prefix > VPC_PREFIX_MAX) {
      const advice = c.prefix < VPC_PREFIX_MIN ? `split it into /16 blocks (${2 ** (VPC_PREFIX_MIN - c.prefix)} of them; up to ${VPC_CIDR_BLOCKS_MAX} per VPC)` : `use a /${VPC_PREFIX_MAX} or larger`;
      findings.push(error(path, `${text} is a /${c.prefix}: a VPC CIDR block is /${VPC_PREFIX_MIN} to /${VPC_PREFIX_MAX}`, advice));
      return;
    }
    if (!isAligned(c)) {
      findings.push(error(path, `${text} has host bits set`, `write the block's network address: ${formatCidr(networkOf(c))}`));
      return;
    }
    if (overlaps(c, DOCKER_BRIDGE)) {
      findings.push(warning(path, `${text} overlaps 172.17.0.0/16, which some AWS services and Docker use`, "choose another range"));
    }
    if (!privateRange(c) && !contains(CGNAT, c) && !contains(BENCHMARK, c)) {
      findings.push(warning(path, `${text} is publicly routable, not a private (RFC 1918) range`, "use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 unless you own this range"));
    }
    const overlapped = parsed.filter(([, other]) => overlaps(c, other));
    for (const [j] of overlapped) findings.push(error(path, `${text} overlaps ${written[j]} (vpcCidrs[${j}])`, "give each block its own range"));
    if (overlapped.length === 0 && parsed.length > 0 && parsed[0][0] === 0) {
      const problem = associationProblem(parsed[0][1], c);
      if (problem) findings.push(error(path, `AWS cannot add ${text} to this VPC: ${problem}`, `take further blocks from the range of ${written[0]}`));
    }
    parsed.push([i, c]);
  });
  if (written.length > VPC_CIDR_BLOCKS_MAX) {
    findings.push(error(specPath("network", "vpcCidrs"), `${written.length} CIDR blocks: a VPC takes at most ${VPC_CIDR_BLOCKS_MAX}`, "use /16 blocks, the largest a VPC accepts"));
  }
  return findings;
}

function checkSystemZones(check: SpecCheck): Finding[] {
  const zones = check.input.network?.systemAvailabilityZones;
  const region = check.region;
  const findings: Finding[] = [];
  if (zones && region) {
    zones.forEach((z, i) => {
      if (!region.availabilityZones.includes(z)) {
        findings.push(error(specPath("network", "systemAvailabilityZones", i), `${z} is not an availability zone of ${region.name}`, `${didYouMean(z, region.availabilityZones)}zones of ${region.name}: ${region.availabilityZones.join(", ")}`));
      } else if (zones.indexOf(z) !== i) {
        findings.push(error(specPath("network", "systemAvailabilityZones", i), `${z} is listed twice`, "list each zone once"));
      }
    });
  }
  const distinct = new Set(check.spec.network.systemAvailabilityZones).size;
  if (region && distinct < EKS_MIN_AVAILABILITY_ZONES) {
    findings.push(
      error(
        specPath("network", "systemAvailabilityZones"),
        `the cluster spans ${distinct} availability zone${distinct === 1 ? "" : "s"}: EKS needs subnets in at least ${EKS_MIN_AVAILABILITY_ZONES}`,
        `list at least two of ${region.availabilityZones.join(", ")}`,
      ),
    );
  }
  return findings;
}

function checkPodsAndLogs(check: SpecCheck): Finding[] {
  const findings: Finding[] = [];
  const network = check.input.network ?? {};
  if (network.maxPodsPerNode !== undefined) {
    const path = specPath("network", "maxPodsPerNode");
    if (network.maxPodsPerNode > MNG_MAX_PODS) {
      findings.push(error(path, `${network.maxPodsPerNode} pods per node: EKS managed node groups allow at most ${MNG_MAX_PODS}`, `use ${MNG_MAX_PODS} or fewer`));
    } else if (network.maxPodsPerNode < MIN_PODS_PER_GPU_NODE) {
      findings.push(lowPods(path, network.maxPodsPerNode));
    }
  }
  const days = network.flowLogRetentionDays;
  if (days !== undefined && !LOG_RETENTION_DAYS.includes(days)) {
    const nearest = [...LOG_RETENTION_DAYS].sort((a, b) => Math.abs(a - days) - Math.abs(b - days) || a - b)[0];
    findings.push(error(specPath("network", "flowLogRetentionDays"), `CloudWatch Logs cannot keep logs for ${days} days`, `use ${nearest}, or one of ${LOG_RETENTION_DAYS.join(", ")}`));
  }
  return findings;
}

export function validateNetwork(check: SpecCheck): Finding[] {
  return [...checkCidrs(check), ...checkSystemZones(check), ...checkPodsAndLogs(check)];
}
