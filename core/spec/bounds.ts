import * as B from "../catalog/spec-bounds";
import { decimal } from "../lib/numbers";
import { error } from "./findings";
import { joinPath, type PathSegment } from "./paths";
import { parameterCountSchema } from "./schema";

// What a document may hold before anything reads it further: its size, depth and texts (any document), then
// every number and count the spec sizes from (the factory and its tenants). Each check is linear in the
// document and stops early, so the largest or most hostile input is answered as quickly as a normal plan.

export interface Bounded {
  path: string;
  message: string;
  hint: string;
}

/** Keys an object inherits: as a map key they would read as the object's own machinery, or vanish. */
const RESERVED_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), "prototype"]);

/** Findings of one kind stop being listed after this many; one more line says how many were left out. */
const MAX_LISTED = 10;

type PathOf = (segments: readonly PathSegment[]) => string;

function fmt(n: number): string {
  return Number.isFinite(n) && Math.abs(n) < 1e15 ? decimal(n, 3) : String(n);
}

class Collector {
  readonly findings: Bounded[] = [];
  private counts = new Map<string, number>();
  add(kind: string, path: string, message: string, hint: string): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n <= MAX_LISTED) this.findings.push({ path, message, hint });
  }
  summarise(path: string): void {
    for (const [kind, n] of this.counts) {
      if (n > MAX_LISTED) this.findings.push({ path, message: `${fmt(n - MAX_LISTED)} more ${kind} beyond the ${MAX_LISTED} listed`, hint: "fix the ones listed and run again" });
    }
  }
}

/**
 * The shape of any document: nesting, the number of entries, the length of each text and key, keys that
 * collide with an object's internals, and numbers that are not finite. `pathOf` turns segments into the
 * path a user reads.
 */
export function documentBounds(doc: unknown, pathOf: PathOf): Bounded[] {
  const out = new Collector();
  let entries = 0;
  const stack: { value: unknown; segments: PathSegment[] }[] = [{ value: doc, segments: [] }];
  while (stack.length > 0) {
    const { value, segments } = stack.pop()!;
    if (typeof value === "string" && value.length > B.MAX_TEXT_CHARS) {
      out.add("texts too long", pathOf(segments), `a text of ${fmt(value.length)} characters is longer than any value the spec takes (${fmt(B.MAX_TEXT_CHARS)}, past the longest SSH public key)`, `shorten it to at most ${fmt(B.MAX_TEXT_CHARS)} characters`);
    }
    if (typeof value === "number" && !Number.isFinite(value)) {
      out.add("numbers that are not finite", pathOf(segments), `${String(value)} is not a finite number`, "write a plain number, e.g. 8");
    }
    if (value === null || typeof value !== "object") continue;
    if (segments.length >= B.MAX_NESTING) {
      out.add("values nested too deep", pathOf(segments), `the document nests more than ${B.MAX_NESTING} levels deep here, deeper than any field of the spec`, "remove the nested maps and lists under this key");
      continue;
    }
    // Array.from visits a list's holes too (as undefined): a sparse list from code, not YAML, is still read whole.
    const children: [PathSegment, unknown][] = Array.isArray(value) ? Array.from(value, (v, i): [PathSegment, unknown] => [i, v]) : Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]]);
    entries += children.length;
    if (entries > B.MAX_DOCUMENT_ENTRIES) {
      out.add("entries", pathOf(segments), `the document holds more than ${fmt(B.MAX_DOCUMENT_ENTRIES)} keys and list items, more than a factory of ${fmt(B.MAX_TENANTS)} tenants and ${B.MAX_POOLS} pools needs`, "remove the entries the factory does not use");
      break;
    }
    for (const [key, child] of children) {
      if (typeof key === "string") {
        if (RESERVED_KEYS.has(key)) {
          out.add("reserved keys", pathOf([...segments, key]), `the key ${JSON.stringify(key)} is the name of an object's internals and cannot name anything here`, "rename it, e.g. with a letter in front");
          continue;
        }
        if (key.length > B.MAX_TEXT_CHARS) {
          out.add("keys too long", pathOf(segments), `a key of ${fmt(key.length)} characters is longer than any name the spec takes (${fmt(B.MAX_TEXT_CHARS)})`, `shorten the key to at most ${fmt(B.MAX_TEXT_CHARS)} characters`);
          continue;
        }
      }
      stack.push({ value: child, segments: [...segments, key] });
    }
  }
  out.summarise(pathOf([]));
  return out.findings;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Every value at a pattern (`*` is every key of a map or item of a list), with its segments. */
function valuesAt(doc: unknown, pattern: readonly string[], segments: PathSegment[] = []): [PathSegment[], unknown][] {
  if (pattern.length === 0) return [[segments, doc]];
  const [head, ...rest] = pattern;
  if (head === "*") {
    if (Array.isArray(doc)) return doc.flatMap((v, i) => valuesAt(v, rest, [...segments, i]));
    if (isMap(doc)) return Object.keys(doc).flatMap((k) => valuesAt(doc[k], rest, [...segments, k]));
    return [];
  }
  if (!isMap(doc) || !Object.hasOwn(doc, head)) return [];
  return valuesAt(doc[head], rest, [...segments, head]);
}

/** A number as the spec writes it: plain, or a parameter count such as 70B. */
function numberOf(v: unknown, counts: boolean): number | undefined {
  if (typeof v === "number") return v;
  if (counts && typeof v === "string") {
    const parsed = parameterCountSchema.safeParse(v);
    return parsed.success ? parsed.data : undefined;
  }
  return undefined;
}

interface NumberBound {
  at: string;
  max: number;
  what: string;
  why: string;
  counts?: boolean;
}

// Every number the blueprint sizes from, with the ceiling that makes a larger one impossible to build.
const factory = `one cluster holds ${B.MAX_NODE_GROUPS} managed node groups of ${B.MAX_NODES_PER_NODE_GROUP} nodes at most (EKS's hard limits)`;
const TENANT_NUMBERS: NumberBound[] = [
  { at: "gpuQuota", max: B.MAX_FACTORY_GPUS, what: "GPUs", why: "the GPUs of the largest cluster EKS allows" },
  { at: "borrowingLimitGpus", max: B.MAX_FACTORY_GPUS, what: "GPUs", why: "the GPUs of the largest cluster EKS allows" },
  { at: "lendingLimitGpus", max: B.MAX_FACTORY_GPUS, what: "GPUs", why: "the GPUs of the largest cluster EKS allows" },
];
const SPEC_NUMBERS: NumberBound[] = [
  { at: "pools.*.nodes", max: B.MAX_FACTORY_NODES, what: "nodes", why: factory },
  { at: "pools.*.gpus", max: B.MAX_FACTORY_GPUS, what: "GPUs", why: `${factory}, of ${B.MAX_GPUS_PER_NODE} GPUs each` },
  // A unit past a node group's 450 nodes is the blueprint's error (with the unit it makes); past a factory, nothing is.
  { at: "scalableUnit.nodes", max: B.MAX_FACTORY_NODES, what: "nodes", why: factory },
  { at: "pools.*.capacity.reservedNodes", max: B.MAX_FACTORY_NODES, what: "nodes", why: factory },
  { at: "pools.*.capacity.blocks.*.instances", max: B.MAX_CAPACITY_BLOCK_INSTANCES, what: "instances", why: "the instances all Capacity Blocks of an account may hold, a hard limit" },
  { at: "network.flowLogRetentionDays", max: B.MAX_LOG_RETENTION_DAYS, what: "days", why: "CloudWatch Logs' longest retention" },
  { at: "storage.checkpoint.modelParameters", max: B.MAX_MODEL_PARAMETERS, what: "parameters", why: "a thousand times the largest model trained so far", counts: true },
  { at: "storage.checkpoint.bytesPerParameter", max: B.MAX_BYTES_PER_PARAMETER, what: "bytes", why: "weights, gradients and optimizer state in full precision" },
  { at: "storage.checkpoint.seconds", max: B.MAX_CHECKPOINT_SECONDS, what: "seconds", why: "a week" },
  { at: "storage.checkpoint.keep", max: B.MAX_CHECKPOINTS_KEPT, what: "checkpoints", why: "more than a training run keeps" },
  { at: "storage.datasetTB", max: B.MAX_DATASET_TB, what: "TB", why: "100 PB, past one FSx for Lustre file system" },
  { at: "storage.datasetFiles", max: B.MAX_DATASET_FILES, what: "files", why: "past what Lustre's metadata servers hold", counts: true },
  { at: "storage.readMBpsPerGpu", max: B.MAX_READ_MBPS_PER_GPU, what: "MB/s", why: "past any GPU node's network" },
  { at: "storage.lustre.metadataIops", max: B.MAX_LUSTRE_METADATA_IOPS, what: "IOPS", why: "FSx for Lustre's most metadata IOPS" },
  ...TENANT_NUMBERS.map((b) => ({ ...b, at: `tenants.*.${b.at}` })),
];

interface CountBound {
  at: string;
  max: number;
  what: string;
  why: string;
  /** Longest key and value of a map, when the service limits them. */
  keyChars?: number;
  valueChars?: number;
}

const TENANT_COUNTS: CountBound[] = [{ at: "pools", max: B.MAX_POOLS, what: "pools", why: "a factory has at most that many pools" }];
const SPEC_COUNTS: CountBound[] = [
  { at: "pools", max: B.MAX_POOLS, what: "pools", why: `each pool needs a managed node group of its own, and EKS takes ${B.MAX_NODE_GROUPS} at most` },
  { at: "pools.*.capacity.blocks", max: B.MAX_CAPACITY_BLOCK_INSTANCES, what: "Capacity Blocks", why: "the instances all Capacity Blocks of an account may hold, a hard limit" },
  { at: "pools.*.tenants", max: B.MAX_TENANTS, what: "tenants", why: "each tenant's workloads take a Pod Identity association, and a cluster takes 1,000 (a hard limit)" },
  { at: "pools.*.labels", max: B.MAX_LABELS, what: "labels", why: "as many as an AWS resource takes tags", keyChars: B.MAX_LABEL_KEY_CHARS, valueChars: B.MAX_LABEL_VALUE_CHARS },
  { at: "network.vpcCidrs", max: B.MAX_VPC_CIDRS, what: "CIDR blocks", why: "a VPC's most IPv4 CIDR blocks" },
  { at: "network.systemAvailabilityZones", max: B.MAX_AVAILABILITY_ZONES, what: "availability zones", why: "the most a region has" },
  { at: "access.operatorCidrs", max: B.MAX_SECURITY_GROUP_RULES, what: "CIDR blocks", why: "the rules a security group may apply" },
  { at: "access.operatorSecurityGroupIds", max: B.MAX_SECURITY_GROUP_RULES, what: "security groups", why: "the rules a security group may apply" },
  { at: "access.publicEndpointCidrs", max: B.MAX_PUBLIC_ENDPOINT_CIDRS, what: "CIDR blocks", why: "the public access CIDR blocks an EKS endpoint takes" },
  { at: "priorities", max: B.MAX_PRIORITIES, what: "priorities", why: "more priority levels than a scheduler tells apart" },
  { at: "tags", max: B.MAX_TAGS, what: "tags", why: "the user tags an AWS resource takes", keyChars: B.MAX_TAG_KEY_CHARS, valueChars: B.MAX_TAG_VALUE_CHARS },
  ...TENANT_COUNTS.map((b) => ({ ...b, at: `tenants.*.${b.at}` })),
];

function checkNumbers(doc: unknown, bounds: readonly NumberBound[], pathOf: PathOf, out: Collector): void {
  for (const b of bounds) {
    for (const [segments, raw] of valuesAt(doc, b.at.split("."))) {
      const n = numberOf(raw, b.counts === true);
      if (n !== undefined && Number.isFinite(n) && n > b.max) {
        out.add("numbers too large", pathOf(segments), `${fmt(n)} ${b.what} is more than any factory can use (at most ${fmt(b.max)}: ${b.why})`, `give at most ${fmt(b.max)}`);
      }
    }
  }
}

function checkCounts(doc: unknown, bounds: readonly CountBound[], pathOf: PathOf, out: Collector): void {
  for (const b of bounds) {
    for (const [segments, raw] of valuesAt(doc, b.at.split("."))) {
      const keys = isMap(raw) ? Object.keys(raw) : Array.isArray(raw) ? raw : undefined;
      if (!keys) continue;
      if (keys.length > b.max) out.add("lists too long", pathOf(segments), `${fmt(keys.length)} ${b.what}, more than ${fmt(b.max)}: ${b.why}`, `keep at most ${fmt(b.max)}`);
      if (!isMap(raw)) continue;
      for (const key of Object.keys(raw)) {
        if (b.keyChars !== undefined && key.length > b.keyChars) out.add("keys too long", pathOf([...segments, key]), `the key is ${key.length} characters long: at most ${b.keyChars}`, `shorten it to ${b.keyChars} characters`);
        const value = raw[key];
        if (b.valueChars !== undefined && typeof value === "string" && value.length > b.valueChars) out.add("texts too long", pathOf([...segments, key]), `the value is ${value.length} characters long: at most ${b.valueChars}`, `shorten it to ${b.valueChars} characters`);
      }
    }
  }
}

function sumAt(doc: unknown, pattern: string): number {
  return valuesAt(doc, pattern.split(".")).reduce((sum, [, v]) => sum + (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0), 0);
}

/** The factory document's sizes (numbers and counts), and the tenants file's, before the schema reads them. */
export function specBounds(raw: unknown, prefix: string, tenantsFile?: { prefix: string; raw: unknown }): Bounded[] {
  const out = new Collector();
  const specPathOf: PathOf = (segments) => joinPath(prefix, ...segments);
  checkNumbers(raw, SPEC_NUMBERS, specPathOf, out);
  checkCounts(raw, SPEC_COUNTS, specPathOf, out);
  const nodes = sumAt(raw, "pools.*.nodes");
  if (nodes > B.MAX_FACTORY_NODES) out.add("totals", specPathOf(["pools"]), `the pools ask for ${fmt(nodes)} nodes together, more than ${fmt(B.MAX_FACTORY_NODES)}: ${factory}`, "split the factory into several stacks, each its own cluster");
  const gpus = sumAt(raw, "pools.*.gpus");
  if (gpus > B.MAX_FACTORY_GPUS) out.add("totals", specPathOf(["pools"]), `the pools ask for ${fmt(gpus)} GPUs together, more than one cluster holds (${fmt(B.MAX_FACTORY_GPUS)})`, "split the factory into several stacks, each its own cluster");

  let tenants = isMap(raw) && isMap(raw.tenants) ? Object.keys(raw.tenants).length : 0;
  if (tenantsFile) {
    const filePathOf: PathOf = (segments) => joinPath(tenantsFile.prefix, ...segments);
    const fileTenants = isMap(tenantsFile.raw) && isMap(tenantsFile.raw.tenants) ? tenantsFile.raw.tenants : undefined;
    tenants += fileTenants ? Object.keys(fileTenants).length : 0;
    checkNumbers(tenantsFile.raw, TENANT_NUMBERS.map((b) => ({ ...b, at: `tenants.*.${b.at}` })), filePathOf, out);
    checkCounts(tenantsFile.raw, TENANT_COUNTS.map((b) => ({ ...b, at: `tenants.*.${b.at}` })), filePathOf, out);
  }
  if (tenants > B.MAX_TENANTS) out.add("totals", specPathOf(["tenants"]), `${fmt(tenants)} tenants, more than ${fmt(B.MAX_TENANTS)}: each tenant's workloads take a Pod Identity association, and a cluster takes ${fmt(B.MAX_TENANTS)} (a hard limit)`, "split the tenants across factories");
  out.summarise(prefix);
  return out.findings;
}

/** The bounds as findings (every one an error). */
export function boundFindings(bounded: readonly Bounded[]) {
  return bounded.map((b) => error(b.path, b.message, b.hint));
}
