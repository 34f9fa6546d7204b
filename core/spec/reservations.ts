import { azIdPrefix } from "../catalog/regions";
import type { Region } from "../catalog/types";

// The names of capacity AWS has delivered, as a stack file writes them: a capacity reservation's id (an On-Demand
// Capacity Reservation or a Capacity Block for ML, both `cr-…`), a capacity-reservation resource group's ARN, and the
// AZ ID the capacity sits in. Each parser is total: a value, or a problem and what to write instead.

/** `cr-` and 17 hex digits, the long resource id (docs/sources.md#ec2-capacity-reservations [P]: resource IDs). */
export const RESERVATION_ID = /^cr-[0-9a-f]{17}$/;

/** `arn:<partition>:resource-groups:<region>:<account>:group/<name>` (docs/sources.md#ec2-capacity-reservation-groups [P]). */
const GROUP_ARN = /^arn:(aws|aws-eusc):resource-groups:([a-z0-9-]+):(\d{12}):group\/([A-Za-z0-9._-]{1,300})$/;

/** An AZ ID: the region's short code, `-az` and the zone's number (docs/sources.md#aws-az-ids [P]). */
const AZ_ID = /^([a-z]{3}\d+)-az(\d+)$/;

export type Parse<T> = { ok: true; value: T } | { ok: false; problem: string; hint: string };

/** How a value reads in a message, whatever it is (an object without a toString included). */
function quoted(text: unknown): string {
  if (typeof text === "string") return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
  if (typeof text === "number" || typeof text === "boolean" || typeof text === "bigint") return String(text);
  if (text === null || text === undefined) return "an empty value";
  return Array.isArray(text) ? "a list" : typeof text === "object" ? "a map" : `a ${typeof text}`;
}

export function parseReservationId(text: unknown): Parse<string> {
  if (typeof text !== "string") return { ok: false, problem: `${quoted(text)} is not a capacity reservation id`, hint: "write the id as text, e.g. cr-0123456789abcdef0" };
  const trimmed = text.trim();
  if (RESERVATION_ID.test(trimmed)) return { ok: true, value: trimmed };
  if (/^cr-[0-9a-f]{8}$/.test(trimmed)) {
    return { ok: false, problem: `${quoted(text)} is a short id: capacity reservations have 17 hex digits`, hint: "copy the id from aws ec2 describe-capacity-reservations, e.g. cr-0123456789abcdef0" };
  }
  if (/^arn:/.test(trimmed)) {
    return { ok: false, problem: `${quoted(text)} is an ARN, not a capacity reservation id`, hint: "write the id (cr- and 17 hex digits), or name a resource group under resourceGroupArn" };
  }
  return { ok: false, problem: `${quoted(text)} is not a capacity reservation id`, hint: "write cr- and 17 lower-case hex digits, e.g. cr-0123456789abcdef0" };
}

export interface ReservationGroup {
  arn: string;
  partition: string;
  region: string;
  account: string;
  name: string;
}

export function parseReservationGroupArn(text: unknown, region: Pick<Region, "name" | "partition"> | undefined): Parse<ReservationGroup> {
  const example = `arn:${region?.partition ?? "aws"}:resource-groups:${region?.name ?? "eu-north-1"}:111122223333:group/my-reservations`;
  if (typeof text !== "string") return { ok: false, problem: `${quoted(text)} is not a resource group ARN`, hint: `write the ARN as text, e.g. ${example}` };
  const trimmed = text.trim();
  const m = GROUP_ARN.exec(trimmed);
  if (!m) return { ok: false, problem: `${quoted(text)} is not a capacity-reservation resource group ARN`, hint: `write it as ${example}` };
  const [, partition, groupRegion, account, name] = m;
  if (/^aws/i.test(name)) return { ok: false, problem: `resource group names cannot start with AWS: ${name}`, hint: "give the group's own name, as aws resource-groups list-groups shows it" };
  if (region && groupRegion !== region.name) {
    return { ok: false, problem: `resource group ${name} is in ${groupRegion}, not the stack's region ${region.name}`, hint: `name a group of ${region.name}: instances launch only into reservations of their own region` };
  }
  if (region && partition !== region.partition) {
    return { ok: false, problem: `resource group ${name} is in the ${partition} partition, the stack's region in ${region.partition}`, hint: `write arn:${region.partition}:resource-groups:…` };
  }
  return { ok: true, value: { arn: trimmed, partition, region: groupRegion, account, name } };
}

export function parseAvailabilityZoneId(text: unknown, region: Pick<Region, "name" | "availabilityZones" | "availabilityZoneIds"> | undefined): Parse<string> {
  const ids = region?.availabilityZoneIds ?? [];
  const known = ids.length > 0 ? `AZ IDs of ${region?.name}: ${ids.join(", ")}` : "e.g. eun1-az1";
  if (typeof text !== "string") return { ok: false, problem: `${quoted(text)} is not an AZ ID`, hint: `write the AZ ID as text (${known})` };
  const trimmed = text.trim();
  if (region && region.availabilityZones.includes(trimmed)) {
    return { ok: false, problem: `${trimmed} is a zone's name, not its AZ ID: names map to different zones in each account`, hint: `write the AZ ID the capacity was delivered in (aws ec2 describe-availability-zones shows both; ${known})` };
  }
  const m = AZ_ID.exec(trimmed);
  if (!m) return { ok: false, problem: `${quoted(text)} is not an AZ ID`, hint: `write the region's short code, -az and the zone's number (${known})` };
  if (region) {
    const prefix = azIdPrefix(region.name);
    if (prefix !== undefined && m[1] !== prefix) return { ok: false, problem: `${trimmed} is not an AZ ID of ${region.name}`, hint: known };
    if (ids.length > 0 && !ids.includes(trimmed)) return { ok: false, problem: `${trimmed} is not an AZ ID of ${region.name} the catalog knows`, hint: known };
  }
  return { ok: true, value: trimmed };
}

/** A zone as a pool is placed: an AZ ID (`eun1-az1`) rather than a name (`eu-north-1a`). */
export function isAvailabilityZoneId(zone: string): boolean {
  return AZ_ID.test(zone);
}
