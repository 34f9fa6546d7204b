import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../core/blueprint";
import type { Blueprint } from "../../../core/blueprint/types";
import type { RolloutSpec } from "../../../core/spec/schema";
import { factorySpec, pool, tenant } from "../../fixtures/blueprint/spec";

// The waves under a real `pulumi up`, each up replayed on a model of what EC2, the AWS provider and EKS do with the
// blueprint's launch templates and node groups (docs/sources.md#launch-template-versions): a template whose content
// changes gets a new version (CreateLaunchTemplateVersion), its default moves to it only while updateDefaultVersion is
// true (ModifyLaunchTemplate), a tag or updateDefaultVersion change alone makes no version; a node group runs the
// version number its launchTemplate.version resolves to (the template's latestVersion or defaultVersion output), and
// a group whose number changes is drained and replaced (UpdateNodegroupVersion).

interface Template {
  content: string;
  latest: number;
  defaultVersion: number;
}

interface Deployed {
  templates: Map<string, Template>;
  /** The launch template version each node group runs. */
  groups: Map<string, number>;
}

/** One `pulumi up` of a blueprint over what is deployed: what it leaves, and the node groups it drained. */
function up(blueprint: Blueprint, before: Deployed): { after: Deployed; drained: string[] } {
  const templates = new Map<string, Template>();
  for (const unit of blueprint.units) {
    const launch = unit.launch!;
    const key = `${unit.pool}/${launch.launchTemplate.key}`;
    if (templates.has(key)) continue;
    // What a node boots from: the pinned image and the kubelet's labels (the user data); never the tags.
    const content = JSON.stringify([blueprint.pools.find((p) => p.name === unit.pool)!.amiParameter, launch.launchTemplate.labels]);
    const old = before.templates.get(key);
    const latest = old === undefined ? 1 : content === old.content ? old.latest : old.latest + 1;
    const defaultVersion = old === undefined || launch.launchTemplate.updateDefaultVersion ? latest : old.defaultVersion;
    templates.set(key, { content, latest, defaultVersion });
  }
  const groups = new Map<string, number>();
  for (const unit of blueprint.units) {
    const t = templates.get(`${unit.pool}/${unit.launch!.launchTemplate.key}`)!;
    groups.set(unit.nodeGroup, unit.launch!.nodeGroup.launchTemplateVersion === "latest" ? t.latest : t.defaultVersion);
  }
  const drained = [...groups].filter(([g, v]) => before.groups.has(g) && before.groups.get(g) !== v).map(([g]) => g);
  return { after: { templates, groups }, drained };
}

const UNITS = 10;
const specOf = (release: string, rollout: Partial<RolloutSpec> = {}, extraTenant = false) =>
  factorySpec({
    scalableUnit: { nodes: 32, unitsPerNodeGroup: 2 },
    pools: { train: pool({ nodes: 32 * UNITS, capacity: { source: "on-demand" }, image: { release }, rollout: { soakMinutes: 30, waveUnits: 4, ...rollout } }) },
    ...(extraTenant ? { tenants: { research: tenant({ gpuQuota: 8 }), "vision-lab": tenant({ gpuQuota: 8 }) } } : {}),
  });

function blueprintOf(spec: ReturnType<typeof factorySpec>): Blueprint {
  const { blueprint, findings } = buildBlueprint(spec);
  expect(findings.filter((f) => f.level === "error")).toEqual([]);
  return blueprint;
}

describe("a rollout under repeated `pulumi up`s", () => {
  const base = blueprintOf(specOf("1.33-v20251120"));
  const waves = base.pools[0].rollout.waves.map((w) => w.nodeGroups);

  it("has waves of whole node groups: 10 units of 2 per group, 4 units a wave", () => {
    expect(waves.map((w) => w.length)).toEqual([2, 2, 1]);
  });

  it("moves exactly one more wave per up, nothing on an unrelated up, and leaves the default on the newest version at the end", () => {
    let deployed = up(base, { templates: new Map(), groups: new Map() }).after;
    const step = (spec: ReturnType<typeof factorySpec>) => {
      const r = up(blueprintOf(spec), deployed);
      deployed = r.after;
      return r.drained.sort();
    };
    // The new image and wave 1 in one change: the template gets version 2, only wave 1's groups follow it.
    expect(step(specOf("1.33-v20251209", { wave: 1 }))).toEqual([...waves[0]].sort());
    const [template] = deployed.templates.values();
    expect(template).toMatchObject({ latest: 2, defaultVersion: 1 });
    // An unrelated change (a tenant more) and a plain re-run: no node group moves.
    expect(step(specOf("1.33-v20251209", { wave: 1 }, true))).toEqual([]);
    expect(step(specOf("1.33-v20251209", { wave: 1 }))).toEqual([]);
    // Each raise of `wave` moves that wave's groups, and only those.
    expect(step(specOf("1.33-v20251209", { wave: 2 }))).toEqual([...waves[1]].sort());
    expect(step(specOf("1.33-v20251209", { wave: 2 }, true))).toEqual([]);
    expect(step(specOf("1.33-v20251209", { wave: 3 }))).toEqual([...waves[2]].sort());
    // The last wave hands the default back to the newest version; removing `wave` afterwards moves nothing.
    expect([...deployed.templates.values()][0]).toMatchObject({ latest: 2, defaultVersion: 2 });
    expect(step(specOf("1.33-v20251209"))).toEqual([]);
    expect(new Set(deployed.groups.values())).toEqual(new Set([2]));
  });

  it("without a wave moves every group in one up: the change the review refuses past a wave's units", () => {
    const deployed = up(base, { templates: new Map(), groups: new Map() }).after;
    expect(up(blueprintOf(specOf("1.33-v20251209")), deployed).drained).toHaveLength(waves.flat().length);
  });
});
