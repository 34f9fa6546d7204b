import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gigafactory, STACK_FRAME } from "../support/cli-run";

// A spec past EKS's hard node-group limits stops before any plan: an error at its YAML path, what to do, exit 2.

const scratch = mkdtempSync(join(tmpdir(), "gf-node-groups-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function project(name: string, factory: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Pulumi.yaml"), "name: gigafactory\nruntime: nodejs\nmain: index.ts\n");
  writeFileSync(join(dir, "Pulumi.s.yaml"), `config:\n  aws:region: eu-north-1\n  gigafactory:factory:\n${factory.replace(/^/gm, "    ")}\n`);
  return dir;
}

describe("gigafactory quotas past a hard limit", () => {
  it("refuses a scalable unit larger than a managed node group at scalableUnit.nodes, with exit 2 and no stack trace", async () => {
    const dir = project("unit", "preset: dev\nscalableUnit:\n  nodes: 460\npools:\n  train:\n    instanceType: p5.48xlarge\n    nodes: 460\n    availabilityZone: eu-north-1a\n");
    const r = await gigafactory(["quotas", "--stack", "s", "--dir", dir]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/error gigafactory:factory\.scalableUnit\.nodes: a scalable unit of 460 nodes does not fit a managed node group, which holds at most 450 nodes \(a hard limit\) — use scalable units of at most 450 nodes/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});
