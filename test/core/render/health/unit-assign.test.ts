import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildBlueprint } from "../../../../core/blueprint";
import { nodeHealthObjects } from "../../../../core/render/health/node-agent";
import { renderUnitAssignScript, renderUnitTable, unitAssignments, UNIT_ASSIGN_SCRIPT, UNIT_TABLE_VARIABLE } from "../../../../core/render/health/unit-assign";
import { gigafactorySpec } from "../../../fixtures/blueprint/spec";

// A node of a node group of several scalable units learns its unit from the node-health agent when it joins.

const { blueprint } = buildBlueprint(gigafactorySpec());

// kubectl as the script uses it, over a file of "node unit layer3" lines.
const FAKE_KUBECTL = `#!/usr/bin/env bash
args="$*"
case "$args" in
  *"get node $NODE_NAME -o jsonpath="*nodegroup*) echo "$NODE_GROUP" ;;
  *"get node $NODE_NAME -o jsonpath="*layer-3*) echo "$NODE_LAYER3" ;;
  *"create -f -"*) cat >/dev/null ;;
  *"delete lease"*) ;;
  *"get nodes -l "*)
    sel="\${args#*-l }"; sel="\${sel%% *}"
    unit="\${sel#*scalable-unit=}"; unit="\${unit%%,*}"
    layer=""; case "$sel" in *layer-3=*) layer="\${sel#*layer-3=}" ;; esac
    awk -v u="$unit" -v l="$layer" '$2 == u && (l == "" || $3 == l) { print "node/" $1 }' "$NODES" ;;
  *"label node $NODE_NAME "*) echo "$NODE_NAME \${args##*=} $NODE_LAYER3" >> "$NODES" ;;
  *) echo "unexpected kubectl $args" >&2; exit 9 ;;
esac
`;

function assign(table: string, nodes: string[], node: { name: string; group: string; layer3: string }): { unit: string; code: number } {
  const dir = mkdtempSync(join(tmpdir(), "gf-unit-"));
  writeFileSync(join(dir, "kubectl"), FAKE_KUBECTL);
  chmodSync(join(dir, "kubectl"), 0o755);
  writeFileSync(join(dir, "nodes"), nodes.map((n) => `${n}\n`).join(""));
  const r = spawnSync("bash", ["-c", renderUnitAssignScript("gigafactory-health")], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, [UNIT_TABLE_VARIABLE]: table, NODE_NAME: node.name, NODE_GROUP: node.group, NODE_LAYER3: node.layer3, NODES: join(dir, "nodes") },
  });
  expect(readFileSync(join(dir, "nodes"), "utf8")).toContain(r.status === 0 && r.stdout.trim() ? `${node.name} ${r.stdout.trim()}` : "");
  return { unit: r.stdout.trim(), code: r.status ?? -1 };
}

describe("the unit table", () => {
  it("lists every unit of every group of several units, with its size, and no unit twice", () => {
    const slots = [...unitAssignments(blueprint).values()].flat();
    const multi = blueprint.nodeGroups.filter((g) => g.units.length > 1);
    expect(slots.map((s) => s.unit)).toEqual(multi.flatMap((g) => g.units));
    expect(new Set(slots.map((s) => s.unit)).size).toBe(slots.length);
    expect(renderUnitTable(blueprint).split("\n")[0]).toBe(`${multi[0].name} ${multi[0].units[0]} 32`);
  });

  it("ships with the agent's scripts", () => {
    const objects = nodeHealthObjects(blueprint, "registry", { repository: "registry/gigafactory/slurmd", tag: "recipe-0" });
    const config = objects.find((o) => o.kind === "ConfigMap") as any;
    // The table grows with the factory: in the pod's spec (updated in place), never in the ConfigMap (replaced).
    const taints = (objects.find((o) => o.kind === "DaemonSet") as any).spec.template.spec.containers.find((c: { name: string }) => c.name === "taints");
    expect(taints.env).toContainEqual({ name: UNIT_TABLE_VARIABLE, value: renderUnitTable(blueprint) });
    expect(JSON.stringify(config.data)).not.toContain(renderUnitTable(blueprint).split("\n")[0]);
    expect(spawnSync("bash", ["-n"], { input: config.data[UNIT_ASSIGN_SCRIPT] }).status).toBe(0);
  });
});

describe("a joining node of a group of several units", () => {
  const table = "g a-su001 2\ng a-su002 2\n";

  it("fills the units one after the other", () => {
    expect(assign(table, [], { name: "n1", group: "g", layer3: "nn-1" }).unit).toBe("a-su001");
    expect(assign(table, ["n1 a-su001 nn-1"], { name: "n2", group: "g", layer3: "nn-2" }).unit).toBe("a-su001");
    expect(assign(table, ["n1 a-su001 nn-1", "n2 a-su001 nn-2"], { name: "n3", group: "g", layer3: "nn-1" }).unit).toBe("a-su002");
  });

  it("prefers a unit whose nodes share its closest network node", () => {
    expect(assign(table, ["n1 a-su001 nn-1", "n2 a-su002 nn-2"], { name: "n3", group: "g", layer3: "nn-2" }).unit).toBe("a-su002");
  });

  it("fills the unit that lost a node, and fails loudly when none has room", () => {
    expect(assign(table, ["n1 a-su001 nn-1", "n2 a-su001 nn-1", "n3 a-su002 nn-1"], { name: "n4", group: "g", layer3: "nn-9" }).unit).toBe("a-su002");
    const full = assign(table, ["n1 a-su001 x", "n2 a-su001 x", "n3 a-su002 x", "n4 a-su002 x"], { name: "n5", group: "g", layer3: "x" });
    expect(full).toEqual({ unit: "", code: 1 });
  });

  it("does nothing for a node whose group is not in the table (its group carries the unit label)", () => {
    expect(assign(table, [], { name: "n1", group: "other", layer3: "x" })).toEqual({ unit: "", code: 0 });
  });
});
