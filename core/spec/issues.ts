import type { z } from "zod";
import { INSTANCE_TYPE_NAMES } from "../catalog/instances";
import { didYouMean, oxford } from "./did-you-mean";
import { error } from "./findings";
import { joinPath, valueAt, type PathSegment } from "./paths";
import { knownKeysAt, unionOptionsWithKey } from "./schema-walk";
import type { Finding } from "./schema";

// Zod's issues, told the way a platform engineer reads them: what is wrong at which YAML path, and what to write instead.

/** A zod issue as zod 4 reports it (the fields this mapping reads). */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  values?: unknown[];
  keys?: string[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  origin?: string;
  divisor?: number;
  note?: string;
  discriminator?: string;
  options?: unknown[];
  errors?: Issue[][];
  issues?: Issue[];
}

// What to write, for the fields a new user most often gets wrong.
const FIELD_HINTS: [pattern: string, hint: string][] = [
  ["preset", "one of dev, ai-factory, gigafactory"],
  ["pools", "a map of pool name to pool, e.g. train: { instanceType: p5en.48xlarge, nodes: 64, availabilityZone: eu-north-1a }"],
  ["pools.*.instanceType", `an accelerated instance type: ${INSTANCE_TYPE_NAMES.join(", ")}`],
  ["pools.*.availabilityZone", "one availability zone of the stack's region, e.g. eu-north-1a (a pool on delivered reservations gives availabilityZoneId instead)"],
  ["pools.*.availabilityZoneId", "the AZ ID the pool's capacity is in, e.g. eun1-az1"],
  ["pools.*.nodes", "a whole number of nodes, e.g. 64 (or give gpus instead)"],
  ["pools.*.gpus", "a whole number of GPUs, a multiple of the type's GPUs per node (or give nodes instead)"],
  ["pools.*.capacity", "e.g. capacity: { source: odcr, reservations: [{ reservationId: cr-…, availabilityZoneId: eun1-az1, instances: 64 }] } (on-demand, spot, odcr or capacity-block)"],
  ["pools.*.capacity.source", "one of on-demand, spot, odcr, capacity-block"],
  ["pools.*.capacity.blocks", "a list of { reservationId: cr-…, availabilityZoneId: …, instances: N }, one per Capacity Block bought"],
  ["pools.*.capacity.reservations", "a list of { reservationId: cr-… or resourceGroupArn: arn:…:group/…, availabilityZoneId: eun1-az1, instances: N }, one per reservation AWS delivered"],
  ["pools.*.capacity.reservations.*.reservationId", "cr- and 17 hex digits, e.g. cr-0123456789abcdef0"],
  ["pools.*.capacity.reservations.*.resourceGroupArn", "a capacity-reservation resource group ARN, e.g. arn:aws:resource-groups:eu-north-1:111122223333:group/h200"],
  ["pools.*.capacity.reservations.*.availabilityZoneId", "the AZ ID the reservation is in, e.g. eun1-az1"],
  ["pools.*.capacity.reservations.*.instances", "the instances the reservation holds for this pool, a whole number such as 1600"],
  ["pools.*.capacity.blocks.*.instances", "the instances of the block bought, a whole number such as 32"],
  ["pools.*.capacity.create", "true to have the stack create its reservations (a small pool only)"],
  ["scalableUnit.unitsPerNodeGroup", "a whole number of units per managed node group, at most 450 nodes a group"],
  ["pools.*.tenants", "a list of tenant names, e.g. [acme, beta]"],
  ["tenants", "a map of tenant name to tenant, e.g. acme: { gpuQuota: 256 }"],
  ["tenants.*.gpuQuota", "the tenant's nominal GPU quota, a whole number such as 256"],
  ["tenants.*.pools", "a list of pool names, e.g. [train]"],
  ["network.vpcCidrs", "a list of IPv4 CIDR blocks from /16 to /28, e.g. [10.0.0.0/16, 10.1.0.0/16]"],
  ["network.systemAvailabilityZones", "a list of availability zones of the region, e.g. [eu-north-1a, eu-north-1b]"],
  ["storage.lustre.nextToPool", "the name of the pool whose AZ the file system sits in, e.g. train"],
  ["storage.checkpoint.modelParameters", "a number, or a number with K, M, B or T, e.g. 70B or 1T"],
  ["tenantsFile", "a YAML file next to the stack file, e.g. tenants.gigafactory.yaml"],
];

const TYPE_WORDS: Record<string, [what: string, hint: string]> = {
  number: ["a number", "write a number without quotes, e.g. 8"],
  int: ["a whole number", "write a whole number without quotes, e.g. 8"],
  string: ["text", "write the value as text, e.g. p5en.48xlarge"],
  boolean: ["true or false", "write true or false"],
  object: ["a map of keys", "write key: value lines indented under this key"],
  record: ["a map of keys", "write name: value lines indented under this key"],
  array: ["a list", "write a list, e.g. [a, b] or one '- item' per line"],
};

function matches(pattern: string, segments: readonly PathSegment[]): boolean {
  const parts = pattern.split(".");
  return parts.length === segments.length && parts.every((p, i) => p === "*" || p === String(segments[i]));
}

function fieldHint(segments: readonly PathSegment[]): string | undefined {
  return FIELD_HINTS.find(([p]) => matches(p, segments))?.[1];
}

/** How a value from the document reads in a message. */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "an empty value";
  if (typeof v === "string") return `the text ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`;
  if (typeof v === "number" || typeof v === "bigint") return `the number ${String(v)}`;
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  return `a ${typeof v}`;
}

function literal(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return describeValue(v);
}

const ENTITY: Record<string, string> = { pools: "pool", tenants: "tenant", priorities: "priority", tags: "tag", labels: "label" };

function keyName(segments: readonly PathSegment[]): string {
  const last = segments[segments.length - 1];
  return typeof last === "number" ? `item ${last}` : String(last ?? "the document");
}

function bound(n: number | bigint | undefined): string {
  return typeof n === "number" && n > 1e15 ? n.toExponential(0) : String(n);
}

function toSegments(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((p) => (typeof p === "number" ? p : String(p)));
}

export interface IssueContext {
  /** The schema the document was checked against (for the keys known at a path). */
  schema: z.ZodType;
  /** The document as written. */
  document: unknown;
  /** What finding paths start with: `gigafactory:factory` or `tenants.gigafactory.yaml:`. */
  prefix: string;
}

/** One zod issue → the findings a user reads (an unknown-keys issue yields one finding per key). */
export function issueToFindings(issue: Issue, ctx: IssueContext): Finding[] {
  const segments = toSegments(issue.path);
  const at = (segs: readonly PathSegment[]) => joinPath(ctx.prefix, ...segs);
  const value = valueAt(ctx.document, segments);
  const key = keyName(segments);

  switch (issue.code) {
    case "unrecognized_keys":
      return (issue.keys ?? []).map((k) => error(at([...segments, k]), `unknown key ${k}`, unknownKeyHint(k, segments, ctx)));

    case "invalid_type": {
      const [what, typeHint] = TYPE_WORDS[issue.expected ?? ""] ?? [issue.expected ?? "another value", `write ${issue.expected ?? "another value"}`];
      const hint = fieldHint(segments) ?? typeHint;
      if (value === undefined) return [error(at(segments), `${key} is missing`, `add ${key}: ${hint || what}`)];
      if (matches("pools.*.availabilityZone", segments) && Array.isArray(value)) {
        return [
          error(
            at(segments),
            `a pool lives in one availability zone, and this one names ${value.length}: EFA traffic does not cross availability zones, nor does a cluster placement group`,
            "split the pool into one pool per availability zone, each with its own nodes",
          ),
        ];
      }
      if (value === null) return [error(at(segments), `${key} is empty: expected ${what}`, hint || `give ${key} a value or remove the line`)];
      return [error(at(segments), `expected ${what}, got ${describeValue(value)}`, hint)];
    }

    case "invalid_value": {
      const allowed = (issue.values ?? []).map(String);
      return [
        error(at(segments), `${literal(value)} is not a valid ${key}`, `${typeof value === "string" ? didYouMean(value, allowed) : ""}one of: ${allowed.join(", ")}`),
      ];
    }

    case "invalid_union": {
      if (issue.discriminator) {
        const options = (issue.options ?? []).map(String);
        const parent = segments.slice(0, -1);
        if (value === undefined) return [error(at(segments), `${keyName(parent)} needs a ${issue.discriminator}`, `add ${issue.discriminator}: one of ${options.join(", ")}`)];
        return [
          error(
            at(segments),
            `${literal(value)} is not a valid ${issue.discriminator}`,
            `${typeof value === "string" ? didYouMean(value, options) : ""}one of: ${options.join(", ")}`,
          ),
        ];
      }
      const texts = (issue.errors ?? []).map((branch) => branch.map((i) => alternativeText(i)).join(" and ")).filter((s) => s.length > 0);
      // "a number" says nothing that "a number, or a number with K, M, B or T" does not.
      const alternatives = texts.filter((t) => !texts.some((other) => other !== t && other.startsWith(t)));
      return [error(at(segments), `expected ${oxford(alternatives)}, got ${describeValue(value)}`, fieldHint(segments) ?? `write ${oxford(alternatives)}`)];
    }

    case "invalid_key": {
      const entity = ENTITY[String(segments[segments.length - 2])] ?? "key";
      const inner = (issue.issues ?? []).map((i) => i.message).join("; ");
      return [error(at(segments), `${literal(segments[segments.length - 1])} is not a valid ${entity} name`, inner ? `rename it: ${inner}` : "rename it")];
    }

    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const limit = small ? issue.minimum : issue.maximum;
      if (issue.origin === "array" || issue.origin === "set") {
        return [error(at(segments), small ? `${key} needs at least ${bound(limit)} item${limit === 1 ? "" : "s"}` : `${key} has more than ${bound(limit)} items`, fieldHint(segments) ?? (small ? `give at least ${bound(limit)}` : `keep at most ${bound(limit)}`))];
      }
      if (issue.origin === "string") {
        if (small && limit === 1) return [error(at(segments), `${key} is empty`, fieldHint(segments) ?? `give ${key} a value or remove the line`)];
        return [error(at(segments), `${key} is ${small ? "shorter" : "longer"} than ${bound(limit)} characters`, fieldHint(segments) ?? (small ? `write at least ${bound(limit)} characters` : `shorten it to ${bound(limit)} characters`))];
      }
      const relation = small ? (issue.inclusive ? "at least" : "greater than") : issue.inclusive ? "at most" : "less than";
      return [error(at(segments), `${key} must be ${relation} ${bound(limit)}, got ${describeValue(value)}`, fieldHint(segments) ?? `give a number ${relation} ${bound(limit)}`)];
    }

    case "invalid_format":
      return [error(at(segments), `${literal(value)} is not a valid ${key}`, issue.message || `correct ${key}`)];

    case "not_multiple_of":
      return [error(at(segments), `${key} must be a multiple of ${issue.divisor}, got ${describeValue(value)}`, `give a multiple of ${issue.divisor}`)];

    default:
      return [error(at(segments), issue.message, fieldHint(segments) ?? `correct ${key} or remove it`)];
  }
}

/** One branch of a union, as "a number" or "a number with K, M, B or T …". */
function alternativeText(issue: Issue): string {
  if (issue.code === "invalid_type") return TYPE_WORDS[issue.expected ?? ""]?.[0] ?? issue.expected ?? "";
  return issue.message;
}

function unknownKeyHint(key: string, objectPath: readonly PathSegment[], ctx: IssueContext): string {
  if (objectPath.length === 0 && key === "region") {
    return "the region is the stack's aws:region (config: aws:region: eu-north-1), never repeated in gigafactory:factory";
  }
  if (matches("pools.*", objectPath) && key === "availabilityZones") {
    return "a pool lives in one availabilityZone (EFA does not cross availability zones): split the pool into one pool per zone";
  }
  const otherOptions = unionOptionsWithKey(ctx.schema, objectPath, key);
  if (otherOptions.length > 0) return `${key} belongs to source: ${oxford(otherOptions)}`;
  const known = knownKeysAt(ctx.schema, objectPath, ctx.document);
  if (known.length === 0) return "remove it";
  return `${didYouMean(key, known)}keys here: ${known.join(", ")}`;
}

/** Every issue of a failed parse, as findings. */
export function issuesToFindings(issues: readonly unknown[], ctx: IssueContext): Finding[] {
  return issues.flatMap((i) => issueToFindings(i as Issue, ctx));
}
