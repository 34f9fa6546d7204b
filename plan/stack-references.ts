import type { PlanSnapshot, SnapshotResource } from "./snapshot";

// A layer reads the layers below through stack references. In a snapshot of every layer, a reference leads on to
// the resources whose values its stack's outputs carry, so a check that follows a value to where it came from (a
// key, a subnet, a security group) crosses layers as it crosses components.

export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

export interface OutputLeaf {
  value?: unknown;
  from: string[];
}

/** Per stack reference of the snapshot, the output leaves of the stack it reads (when that stack is planned here). */
export function stackReferenceLeaves(snapshot: Pick<PlanSnapshot, "resources" | "layers">): Map<string, OutputLeaf[]> {
  const out = new Map<string, OutputLeaf[]>();
  if (!snapshot.layers?.length) return out;
  for (const r of snapshot.resources) {
    if (r.type !== STACK_REFERENCE_TYPE) continue;
    const name = String(r.inputs.name ?? "");
    const layer = snapshot.layers.find((l) => name === `${l.project}/${l.stack}` || name.endsWith(`/${l.project}/${l.stack}`));
    if (layer) out.set(r.urn, Object.values(layer.outputs ?? {}));
  }
  return out;
}

/**
 * The resources behind a resource's read of a stack reference: those of the output leaves whose value its inputs
 * carry (as a value, or inside a text such as a policy document). A secret leaf, whose value the snapshot never
 * holds, counts as read.
 */
export function sourcesThrough(resource: Pick<SnapshotResource, "inputs">, leaves: readonly OutputLeaf[], texts = inputStrings(resource)): string[] {
  const out = new Set<string>();
  for (const leaf of leaves) {
    const v = leaf.value;
    const read = v === undefined || (typeof v === "string" && v.length > 0 && texts.some((t) => t === v || (v.length >= MIN_EMBEDDED && t.includes(v))));
    if (read) for (const u of leaf.from) out.add(u);
  }
  return [...out].sort();
}

/** Every text a resource's inputs hold, at any depth: what a read of a stack output can show up as. */
export function inputStrings(resource: Pick<SnapshotResource, "inputs">): string[] {
  const texts: string[] = [];
  collectStrings(resource.inputs, texts);
  return texts;
}

// Shorter values (a port, "true") would be found inside unrelated text.
const MIN_EMBEDDED = 8;

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === "string") into.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, into);
  else if (value && typeof value === "object") for (const v of Object.values(value)) collectStrings(v, into);
}
