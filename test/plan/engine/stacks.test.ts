import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SNAPSHOT_FORMAT } from "../../../plan/snapshot";
import { ROOT } from "../../support/cli-run";
import { type PlannedStack, plannedStack, REPO_STACKS } from "../../support/planned-stacks";

// Every stack in stacks/ planned end to end by the real program on the offline engine (`gigafactory plan --stack S
// --json FILE`, once per test run): the snapshot keeps its contract, every data source the program reads has an
// offline answer, and no secret reaches the snapshot.

const STACKS = [...REPO_STACKS];

const RESOURCE_KEYS = [
  "additionalSecretOutputs", "custom", "deleteBeforeReplace", "dependencies", "ignoreChanges", "inputs", "layer", "name", "parent", "protect", "provider", "retainOnDelete", "type", "urn",
];

const plans = new Map<string, { run: PlannedStack; text: string; snapshot: PlannedStack["snapshot"] }>();

beforeAll(async () => {
  await Promise.all(
    STACKS.map(async (stack) => {
      const run = await plannedStack(stack);
      plans.set(stack, { run, text: run.text, snapshot: run.snapshot });
    }),
  );
}, 900_000);

describe.each(STACKS)("gigafactory plan --stack %s", (stack) => {
  it("writes a gigafactory.plan/v1 snapshot whose every resource carries every field", () => {
    const { snapshot, text } = plans.get(stack)!;
    expect(snapshot.format).toBe(SNAPSHOT_FORMAT);
    expect(snapshot.stack).toBe(stack);
    expect(typeof snapshot.blueprint.totalGpus).toBe("number");
    expect(snapshot.blueprint.totalGpus).toBeGreaterThan(0);
    for (const r of JSON.parse(text).resources) expect(Object.keys(r).sort()).toEqual(RESOURCE_KEYS);
    expect(snapshot.resources.filter((r) => r.type.startsWith("aws:")).length).toBeGreaterThan(0);
  });

  it("has an offline answer for every data source the program reads", () => {
    expect(plans.get(stack)!.run.stdout).not.toContain("has no offline answer");
  });

  it("pins every custom resource to a provider in the snapshot, and every aws provider to a region", () => {
    const { snapshot } = plans.get(stack)!;
    const providers = new Map(snapshot.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]));
    for (const r of snapshot.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:"))) {
      const ref = r.provider ?? "";
      expect(providers.has(ref.slice(0, ref.lastIndexOf("::"))), r.urn).toBe(true);
    }
    for (const p of providers.values()) if (p.type === "pulumi:providers:aws") expect(typeof p.inputs.region, p.urn).toBe("string");
  });

  it("holds no secret's plaintext and no stack-file ciphertext", () => {
    const { text } = plans.get(stack)!;
    const stackFile = readFileSync(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8");
    for (const cipher of stackFile.matchAll(/secure:\s*(\S+)/g)) expect(text).not.toContain(cipher[1]);
    expect(text).not.toMatch(/"secure":/);
  });

  it("reports what it planned: the factory, its GPUs and its resource count", () => {
    const { run, snapshot } = plans.get(stack)!;
    const bp = snapshot.blueprint as unknown as { factory: string; totalGpus: number };
    expect(run.stdout).toContain(bp.factory);
    expect(run.stdout).toContain(`Resources (${snapshot.resources.length.toLocaleString("en-US")})`);
  });
});
