import type { Region } from "./types";

// AWS regions in Europe (docs/sources.md#aws-partitions, #instances-vantage, #aws-european-sovereign-cloud).
// Region codes and partitions: aws-sdk-go-v2 partitions.json [P]. EU membership: docs/sources.md#eu-member-states.
// Offerings: on-demand offerings snapshot of Jan 2026 [S] — confirm with
// `aws ec2 describe-instance-type-offerings --location-type availability-zone` before relying on them.
// Availability zone names: the a/b/c zones every one of these regions has [U: per-account AZ lists differ;
// the engine asks for them at run time, this list validates names offline].

const azs = (region: string, letters = "abc") => [...letters].map((l) => `${region}${l}`);

// AZ IDs: the first three letters of the region code, the region's number, `-az` and the zone's number (`euw1-az1`),
// the same physical zone in every account, while a zone's name may map to another zone per account
// (docs/sources.md#aws-az-ids [P]). Three per region, as the names [U: per-account lists differ; describe-availability-zones
// gives the pairs]. The European Sovereign Cloud's IDs are not in the pages read [U].
export function azIdPrefix(regionName: string): string | undefined {
  const m = /^([a-z]{2})-([a-z])[a-z]*-(\d+)$/.exec(regionName);
  return m ? `${m[1]}${m[2]}${m[3]}` : undefined;
}
const azIds = (region: string, count = 3) => {
  const prefix = azIdPrefix(region);
  return prefix === undefined ? [] : Array.from({ length: count }, (_, i) => `${prefix}-az${i + 1}`);
};

const europe: Region[] = [
  { name: "eu-north-1", country: "Sweden", partition: "aws", euMember: true, eea: true, availabilityZones: azs("eu-north-1"), availabilityZoneIds: azIds("eu-north-1"), offeredInstanceTypes: ["p4d.24xlarge", "p5.48xlarge", "p5en.48xlarge"], dnsSuffix: "amazonaws.com" },
  { name: "eu-south-2", country: "Spain", partition: "aws", euMember: true, eea: true, availabilityZones: azs("eu-south-2"), availabilityZoneIds: azIds("eu-south-2"), offeredInstanceTypes: ["p5en.48xlarge"], dnsSuffix: "amazonaws.com" },
  { name: "eu-central-1", country: "Germany", partition: "aws", euMember: true, eea: true, availabilityZones: azs("eu-central-1"), availabilityZoneIds: azIds("eu-central-1"), offeredInstanceTypes: ["p4d.24xlarge", "p4de.24xlarge"], dnsSuffix: "amazonaws.com" },
  { name: "eu-west-1", country: "Ireland", partition: "aws", euMember: true, eea: true, availabilityZones: azs("eu-west-1"), availabilityZoneIds: azIds("eu-west-1"), offeredInstanceTypes: ["p4d.24xlarge"], dnsSuffix: "amazonaws.com" },
  { name: "eu-west-3", country: "France", partition: "aws", euMember: true, eea: true, availabilityZones: azs("eu-west-3"), availabilityZoneIds: azIds("eu-west-3"), offeredInstanceTypes: [], dnsSuffix: "amazonaws.com" },
  { name: "eu-south-1", country: "Italy", partition: "aws", euMember: true, eea: true, availabilityZones: azs("eu-south-1"), availabilityZoneIds: azIds("eu-south-1"), offeredInstanceTypes: [], dnsSuffix: "amazonaws.com" },
  // Not EU: usable only where a factory's configuration allows it explicitly.
  { name: "eu-west-2", country: "United Kingdom", partition: "aws", euMember: false, eea: false, availabilityZones: azs("eu-west-2"), availabilityZoneIds: azIds("eu-west-2"), offeredInstanceTypes: ["p4d.24xlarge", "p5.48xlarge"], dnsSuffix: "amazonaws.com" },
  { name: "eu-central-2", country: "Switzerland", partition: "aws", euMember: false, eea: false, availabilityZones: azs("eu-central-2"), availabilityZoneIds: azIds("eu-central-2"), offeredInstanceTypes: [], dnsSuffix: "amazonaws.com" },
  // AWS European Sovereign Cloud: its own partition, endpoints and ARNs [P]; GPU offerings unconfirmed [U].
  { name: "eusc-de-east-1", country: "Germany", partition: "aws-eusc", euMember: true, eea: true, availabilityZones: azs("eusc-de-east-1"), availabilityZoneIds: azIds("eusc-de-east-1"), offeredInstanceTypes: [], dnsSuffix: "amazonaws.eu" },
];

export const REGIONS: Readonly<Record<string, Region>> = Object.fromEntries(europe.map((r) => [r.name, r]));

/** Every AWS region code outside Europe, so that a typo is told apart from a real region elsewhere (partitions.json [P]). */
export const OTHER_AWS_REGIONS: readonly string[] = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
  "af-south-1", "il-central-1", "me-south-1", "me-central-1",
  "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
  "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
];

export function region(name: string): Region | undefined {
  return Object.prototype.hasOwnProperty.call(REGIONS, name) ? REGIONS[name] : undefined;
}

export function isAwsRegion(name: string): boolean {
  return region(name) !== undefined || OTHER_AWS_REGIONS.includes(name);
}

/** Regions of EU member states, the default allowed set for residency. */
export const EU_MEMBER_REGIONS: readonly string[] = europe.filter((r) => r.euMember).map((r) => r.name);

/** EU regions that offer the given instance type today, for hints. */
export function regionsOffering(instanceTypeName: string): string[] {
  return europe.filter((r) => r.euMember && r.offeredInstanceTypes.includes(instanceTypeName)).map((r) => r.name);
}

export function partitionOf(regionName: string): "aws" | "aws-eusc" {
  return regionName.startsWith("eusc-") ? "aws-eusc" : "aws";
}
