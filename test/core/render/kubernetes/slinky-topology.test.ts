import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../../core/blueprint";
import { LABEL_SCALABLE_UNIT, nodeLabels } from "../../../../core/blueprint/labels";
import { expandHostlist } from "../../../../core/lib/hostlist";
import { renderTopologyYaml, SLINKY_TOPOLOGY_ANNOTATION, slinkyTopologyAnnotation, SLURM_TOPOLOGY_NAME } from "../../../../core/render/kubernetes/slinky-topology";
import { factorySpec, pool } from "../../../fixtures/blueprint/spec";

// Slurm's topology on Kubernetes: the blueprint's tree in topology.yaml, a node placed in it by its unit.

type Switch = { switch: string; children?: string; nodes?: string };
type Topology = { topology: string; cluster_default: boolean; tree: { switches: Switch[] } };

const { blueprint } = buildBlueprint(
  factorySpec({ pools: { train: pool({ nodes: 96 }), infer: pool({ instanceType: "p5.48xlarge", nodes: 40, availabilityZone: "eu-north-1b" }) } }),
);
const [tree] = parse(renderTopologyYaml(blueprint)) as Topology[];
const byName = new Map(tree.tree.switches.map((s) => [s.switch, s]));
const children = (name: string) => expandHostlist(byName.get(name)?.children ?? "");

describe("topology.yaml for Slinky", () => {
  it("is one tree, the cluster's default, under the name node annotations use", () => {
    expect(parse(renderTopologyYaml(blueprint))).toHaveLength(1);
    expect(tree.topology).toBe(SLURM_TOPOLOGY_NAME);
    expect(tree.cluster_default).toBe(true);
  });

  it("has an empty leaf switch for each scalable unit, and every switch of the blueprint's tree", () => {
    expect(tree.tree.switches.map((s) => s.switch).sort()).toEqual(blueprint.topology.switches.map((s) => s.name).sort());
    for (const unit of blueprint.units) {
      expect(byName.get(unit.name)).toEqual({ switch: unit.name });
    }
    expect(tree.tree.switches.some((s) => s.nodes !== undefined)).toBe(false);
  });

  it("hangs each pool's units under its spine, and joins no spines of different availability zones", () => {
    for (const p of blueprint.pools) {
      expect(children(`${p.name}-spine`)).toEqual(p.units);
    }
    expect(blueprint.pools.map((p) => p.availabilityZone)).toEqual(["eu-north-1a", "eu-north-1b"]);
    expect(tree.tree.switches.filter((s) => s.switch.endsWith("-core"))).toEqual([]);
  });
});

describe("a GPU node's place in Slurm's tree", () => {
  it("is its unit's leaf, the same unit its scalable-unit label gives Kueue", () => {
    for (const unit of blueprint.units) {
      const labels = nodeLabels({ pool: unit.pool, unit: unit.name, tenants: [], gpuModel: "h100" });
      const [topology, leaf] = slinkyTopologyAnnotation(unit)[SLINKY_TOPOLOGY_ANNOTATION].split(":");
      expect(topology).toBe(tree.topology);
      expect(leaf).toBe(labels[LABEL_SCALABLE_UNIT]);
      expect(byName.has(leaf)).toBe(true);
    }
  });
});
