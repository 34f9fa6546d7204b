import { EU_MEMBER_REGIONS } from "../../core/catalog/regions";

// Where a string points to: a region code, an availability zone, an ARN, an AWS endpoint host, a VPC endpoint
// service name or an s3:// URL. Region codes follow AWS's partitions.json patterns
// (docs/sources.md#aws-partitions [P]): `us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`, `eusc-de-east-1`.

const DIRECTIONS = "(?:north|south|east|west|central|northeast|southeast|northwest|southwest)";
const REGION_SOURCE = `[a-z]{2,4}(?:-[a-z]{2,5})?-${DIRECTIONS}-\\d{1,2}`;
const REGION = new RegExp(`^${REGION_SOURCE}$`);
// A zone is a region plus a letter; a Local Zone adds a location: `eu-north-1a`, `us-east-1-bos-1a`.
const ZONE = new RegExp(`^(${REGION_SOURCE})(?:[a-z]|-[a-z]{3}-\\d[a-z])$`);
const AWS_HOST = /(?:^|[/@.])((?:[a-z0-9-]+\.)*[a-z0-9-]+)\.(amazonaws\.com\.cn|amazonaws\.com|amazonaws\.eu|api\.aws|on\.aws)(?=$|[/:?#])/;
const SERVICE_NAME = new RegExp(`^(?:com|eu|cn\\.com)\\.amazonaws\\.(?:vpce\\.)?(${REGION_SOURCE})\\.`);

/** Default allowed regions: every AWS region of an EU member state, the European Sovereign Cloud included. */
export const EU_REGIONS: readonly string[] = [...EU_MEMBER_REGIONS];

export function isRegionCode(value: string): boolean {
  return REGION.test(value);
}

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(value: string): Arn | undefined {
  if (!value.startsWith("arn:")) return undefined;
  const parts = value.split(":");
  if (parts.length < 6) return undefined;
  const [, partition, service, region, account, ...rest] = parts;
  return { partition, service, region, account, resource: rest.join(":") };
}

export type PlaceKind = "region" | "zone" | "arn" | "host" | "service-name" | "s3-url";

export interface Place {
  kind: PlaceKind;
  /** The region the string names; "" when it names a global or region-less thing (an S3 or IAM ARN). */
  region: string;
  arn?: Arn;
  /** The bucket an S3 ARN or s3:// URL names. */
  bucket?: string;
  host?: string;
}

/** What the string points to, if it is one of the shapes that name a place; undefined for any other text. */
export function placeOf(value: string): Place | undefined {
  const text = value.trim();
  if (REGION.test(text)) return { kind: "region", region: text };
  const zone = ZONE.exec(text);
  if (zone) return { kind: "zone", region: zone[1] };
  const arn = parseArn(text);
  if (arn) {
    const bucket = arn.service === "s3" && arn.region === "" ? arn.resource.split("/")[0] : undefined;
    return { kind: "arn", region: arn.region, arn, bucket };
  }
  const s3 = /^s3a?:\/\/([^/]+)/.exec(text);
  if (s3) return { kind: "s3-url", region: "", bucket: s3[1] };
  const service = SERVICE_NAME.exec(text);
  if (service) return { kind: "service-name", region: service[1] };
  const host = AWS_HOST.exec(text);
  if (host) {
    const labels = host[1].split(".");
    const region = labels.find((l) => REGION.test(l)) ?? "";
    return { kind: "host", region, host: `${host[1]}.${host[2]}` };
  }
  return undefined;
}

/** A URL, a host name or an e-mail address: somewhere data can be sent that is not an AWS place. */
export function looksLikeEndpoint(value: string): boolean {
  const text = value.trim();
  return (
    /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(text) ||
    /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(text) ||
    /^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:\/\S*)?$/i.test(text) ||
    /^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$/.test(text)
  );
}

/** The partition a region belongs to, as AWS names it. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith("eusc-")) return "aws-eusc";
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (/^[a-z]{2}-isob-/.test(region)) return "aws-iso-b";
  if (/^[a-z]{2}-isoe-/.test(region)) return "aws-iso-e";
  if (/^[a-z]{2}-isof-/.test(region)) return "aws-iso-f";
  if (/^[a-z]{2}-iso-/.test(region)) return "aws-iso";
  return "aws";
}
