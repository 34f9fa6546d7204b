import { createHash } from "node:crypto";
import { partitionOf, region as regionFacts } from "../../core/catalog/regions";

// Who and where the offline engine pretends to be: a fixed account, and the region's partition and DNS suffix,
// so ARNs and endpoints look like the ones `pulumi up` would produce in that region.

/** The AWS account of every offline plan: documentation's example account, never a real one. */
export const PLAN_ACCOUNT_ID = "123456789012";

export interface Place {
  region: string;
  partition: "aws" | "aws-eusc";
  dnsSuffix: string;
  account: string;
}

export function placeOf(region: string): Place {
  return {
    region,
    partition: partitionOf(region),
    dnsSuffix: regionFacts(region)?.dnsSuffix ?? (partitionOf(region) === "aws-eusc" ? "amazonaws.eu" : "amazonaws.com"),
    account: PLAN_ACCOUNT_ID,
  };
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`; global services leave region (and S3 the account) empty. */
export function arn(place: Place, service: string, resource: string, scope: "regional" | "global" | "bare" = "regional"): string {
  const region = scope === "regional" ? place.region : "";
  const account = scope === "bare" ? "" : place.account;
  return `arn:${place.partition}:${service}:${region}:${account}:${resource}`;
}

/** Hex digits that depend only on the seed: the same plan gives the same ids on every run. */
export function hexOf(seed: string, digits: number): string {
  let out = "";
  for (let i = 0; out.length < digits; i++) out += createHash("sha256").update(`${i}:${seed}`).digest("hex");
  return out.slice(0, digits);
}

/** A UUID-shaped id (KMS key ids, provider ids) derived from the seed. */
export function uuidOf(seed: string): string {
  const h = hexOf(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
