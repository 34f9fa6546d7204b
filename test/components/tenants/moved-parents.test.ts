import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { SnapshotResource } from "../../../plan/snapshot";
import { designedStack } from "../../fixtures/kubernetes/stacks";
import { ROOT } from "../../support/cli-run";
import { readHouseRecords, type HouseRecord } from "../../support/house-records";

// The factory composes the tenants and the image supply, which the scheduling held before: their URNs changed.
// A live stack must see renames, not a delete and a create (a tenant's key and volumes are protected). The dev
// program runs on the offline engine; every resource's aliases, its own and those its ancestors pass down as
// Pulumi's engine derives them, must name the URN the resource had in the records of test/fixtures/house.
// URNs are built here as the engine builds them, from the whole chain of parent types (the mocks keep one).
// The records read are those from before the move (test/fixtures/house/before-moves), which later rewrites of the
// house records leave alone; a resource added since has no URN to keep and is not judged.

const STACK = "dev";
const PROJECT = "gigafactory";
const STACK_TYPE = "pulumi:pulumi:Stack";
const MOVED = ["gigafactory:tenancy:Tenant", "gigafactory:kubernetes:ImageSupply"];

interface AliasSpec {
  name: string;
  type: string;
  /** The parent's URN as the program knows it. */
  parent: string;
}

let resources: SnapshotResource[];
let byUrn: Map<string, SnapshotResource>;
let records: Record<string, HouseRecord>;
const ownAliases = new Map<string, Promise<AliasSpec[]>>();
const keyOf = (r: Pick<SnapshotResource, "type" | "name">) => `${r.type}::${r.name}`;
const urnOf = (qualifiedType: string, name: string) => `urn:pulumi:${STACK}::${PROJECT}::${qualifiedType}::${name}`;
const qualifiedTypeOf = (urn: string) => urn.split("::")[2];

beforeAll(async () => {
  records = readHouseRecords(join(ROOT, "test", "fixtures", "house", "before-moves", `${STACK}.json.gz`))!;
  const { runProgram } = await import("../../../plan/engine/run");
  const { GigaFactory } = await import("../../../components/factory");
  const { spec, blueprint } = designedStack(STACK);
  const recordAliases: pulumi.ResourceTransformation = ({ type, name, opts }) => {
    const specs = (opts.aliases ?? []).map((alias) =>
      pulumi.output(alias).apply((a) => {
        if (typeof a === "string") throw new Error(`${name}: an alias as a whole URN is not followed here`);
        const parent = a.parent ?? opts.parent;
        const parentUrn = pulumi.Resource.isInstance(parent) ? parent.urn : pulumi.output(parent as pulumi.Input<string>);
        return pulumi.all([a.name ?? name, a.type ?? type, parentUrn]).apply(([n, t, p]) => ({ name: n, type: t, parent: p }));
      }),
    );
    ownAliases.set(`${type}::${name}`, new Promise((resolve) => pulumi.all(specs).apply(resolve)));
    return undefined;
  };
  const result = await runProgram({
    project: PROJECT,
    stack: STACK,
    program: () => new GigaFactory(spec.name, { spec, blueprint, requestQuotaIncreases: spec.quotas.requestIncreases }, { transformations: [recordAliases] }),
    config: {},
    secretKeys: [],
    defaults: { region: blueprint.region, defaultTags: {} },
  });
  expect(result.errors).toEqual([]);
  resources = result.resources.filter((r) => r.type !== STACK_TYPE);
  byUrn = new Map(result.resources.map((r) => [r.urn, r]));
}, 120_000);

/** The URN the engine gives a resource of this plan: its parents' types, the root stack left out. */
function engineUrn(r: SnapshotResource): string {
  const types: string[] = [];
  for (let p: SnapshotResource | undefined = r; p && p.type !== STACK_TYPE; p = p.parent ? byUrn.get(p.parent) : undefined) types.unshift(p.type);
  return urnOf(types.join("$"), r.name);
}

/** The URN a resource had: its type chain from the records' parents. */
function recordedUrn(key: string): string {
  const types: string[] = [];
  for (let k: string | null = key; k !== null && !k.startsWith(`${STACK_TYPE}::`); k = records[k].parent) types.unshift(k.slice(0, k.indexOf("::")));
  return urnOf(types.join("$"), key.slice(key.indexOf("::") + 2));
}

/** Pulumi's engine: a child inherits an alias under each of its parent's, its name's prefix following the parent's. */
function inheritedAlias(child: SnapshotResource, parentName: string, parentAlias: string): string {
  const aliasParentName = parentAlias.slice(parentAlias.lastIndexOf("::") + 2);
  const name = child.name.startsWith(parentName) ? aliasParentName + child.name.slice(parentName.length) : child.name;
  return urnOf(`${qualifiedTypeOf(parentAlias)}$${child.type}`, name);
}

async function aliasesOf(r: SnapshotResource): Promise<string[]> {
  const own = ((await ownAliases.get(keyOf(r))) ?? []).map((a) => {
    const parent = byUrn.get(a.parent);
    const parentUrn = parent ? (parent.type === STACK_TYPE ? undefined : engineUrn(parent)) : a.parent;
    return urnOf(parentUrn ? `${qualifiedTypeOf(parentUrn)}$${a.type}` : a.type, a.name);
  });
  const parent = r.parent ? byUrn.get(r.parent) : undefined;
  if (!parent || parent.type === STACK_TYPE) return own;
  return [...own, ...(await aliasesOf(parent)).map((a) => inheritedAlias(r, parent.name, a))];
}

const underMoved = (r: SnapshotResource): boolean => MOVED.includes(r.type) || (r.parent !== null && byUrn.has(r.parent) && underMoved(byUrn.get(r.parent)!));

describe("the resources the factory now composes", () => {
  it("are the tenants and the image supply, children of the factory", () => {
    const moved = resources.filter((r) => MOVED.includes(r.type));
    expect(moved.map((r) => r.name).sort()).toEqual(["gf-dev-scheduling-images", "gf-dev-scheduling-team-a", "gf-dev-scheduling-team-b"]);
    for (const r of moved) expect(engineUrn(r), r.name).toBe(urnOf(`gigafactory:index:GigaFactory$${r.type}`, r.name));
  });

  it("each answer to the URN they had, through an alias of their own or of an ancestor", async () => {
    const renamed = resources.filter((r) => keyOf(r) in records && engineUrn(r) !== recordedUrn(keyOf(r)));
    // The tenants and the image supply, and everything under them.
    expect(renamed.length).toBeGreaterThan(50);
    expect(renamed.filter((r) => !underMoved(r)).map(keyOf)).toEqual([]);
    const unaliased: string[] = [];
    for (const r of renamed) if (!(await aliasesOf(r)).includes(recordedUrn(keyOf(r)))) unaliased.push(`${keyOf(r)} was ${recordedUrn(keyOf(r))}`);
    expect(unaliased).toEqual([]);
  });

  it("leave every other resource's URN as it was", () => {
    for (const r of resources.filter((r) => !underMoved(r) && keyOf(r) in records)) expect(engineUrn(r)).toBe(recordedUrn(keyOf(r)));
  });
});
