import { cidr, networkOf, overlaps, parseCidr } from "../lib/cidr";

// The cluster's Service CIDR: one of the two ranges EKS itself would pick, whichever the VPC leaves free
// (EKS CreateCluster serviceIpv4Cidr: "10.100.0.0/16 or 172.20.0.0/16" when unset, never overlapping the
// VPC [P]). Set explicitly because every node's NodeConfig names it.
export const SERVICE_CIDR_CHOICES = ["172.20.0.0/16", "10.100.0.0/16"] as const;

/** The first choice that overlaps none of the VPC's blocks, or undefined when both do. */
export function serviceCidr(vpcCidrs: readonly string[]): string | undefined {
  const blocks = vpcCidrs.map((c) => parseCidr(c)).filter((c) => c !== undefined).map(networkOf);
  return SERVICE_CIDR_CHOICES.find((choice) => !blocks.some((b) => overlaps(cidr(choice), b)));
}
