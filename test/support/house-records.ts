import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { canonicalJson } from "../../core/lib/canonical-json";
import type { PlanSnapshot, SnapshotResource } from "../../plan/snapshot";

// A plan reduced to what must not change when the code is only moved: every resource by type and name, the
// digest of its inputs and options (dependencies and provider named the same way, so a URN that changes because
// a parent moved changes nothing here), and its parent by type and name.

/** `layer/type::name` (`type::name` before layers): unique within a factory, and blind to where a resource's parent sits. */
export type ResourceKey = string;

export interface HouseRecord {
  parent: ResourceKey | null;
  digest: string;
}

export function houseRecords(snapshot: Pick<PlanSnapshot, "resources">): Record<ResourceKey, HouseRecord> {
  const keyOf = new Map(snapshot.resources.map((r) => [r.urn, `${r.layer ? `${r.layer}/` : ""}${r.type}::${r.name}`]));
  const key = (urn: string): string => keyOf.get(urn) ?? `unknown::${urn}`;
  const records: Record<ResourceKey, HouseRecord> = {};
  for (const r of snapshot.resources) {
    const k = key(r.urn);
    if (records[k]) throw new Error(`two resources are ${k}: the records need type and name to be unique`);
    records[k] = { parent: r.parent === null ? null : key(r.parent), digest: digestOf(r, key) };
  }
  return records;
}

function digestOf(r: SnapshotResource, key: (urn: string) => string): string {
  const provider = r.provider === null ? null : key(r.provider.slice(0, r.provider.lastIndexOf("::")));
  const normalised = {
    type: r.type,
    name: r.name,
    custom: r.custom,
    provider,
    inputs: r.inputs,
    dependencies: r.dependencies.map(key).sort(),
    protect: r.protect,
    retainOnDelete: r.retainOnDelete,
    ignoreChanges: [...r.ignoreChanges].sort(),
    deleteBeforeReplace: r.deleteBeforeReplace,
    additionalSecretOutputs: [...r.additionalSecretOutputs].sort(),
  };
  return createHash("sha256").update(canonicalJson(normalised)).digest("hex").slice(0, 20);
}

export function readHouseRecords(file: string): Record<ResourceKey, HouseRecord> | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as Record<ResourceKey, HouseRecord>;
}

export function writeHouseRecords(file: string, records: Record<ResourceKey, HouseRecord>): void {
  const sorted = Object.fromEntries(Object.keys(records).sort().map((k) => [k, records[k]]));
  writeFileSync(file, gzipSync(`${JSON.stringify(sorted, null, 1)}\n`, { level: 9 }));
}
