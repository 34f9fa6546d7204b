import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyOfStacks } from "../../fixtures/diff/real-plans";
import { gigafactoryServed } from "../../support/cli-run";
import { plannedStack } from "../../support/planned-stacks";

// Tests plan many copies of the stacks in one kept gigafactory process (test/support/cli-server.js). A plan made
// there must be the plan a fresh `gigafactory plan` makes, byte for byte, however many plans the process made before.

async function servedPlan(stack: string, dir: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), "gigafactory-served-")), `${stack}.json`);
  const run = await gigafactoryServed(["plan", "--stack", stack, "--dir", dir, "--json-file", out, "--quiet"]);
  expect(run.code, run.stderr).toBe(0);
  return readFileSync(out, "utf8");
}

describe("plans made one after another in one process", () => {
  it("are byte for byte the plans of a fresh process, a stack planned again as the first time", async () => {
    const copy = copyOfStacks();
    for (const stack of ["dev", "ai-factory", "dev"]) expect(await servedPlan(stack, copy), stack).toBe((await plannedStack(stack)).text);
  }, 600_000);

  it("answer bad input with exit 2 and its lines, and the next plan is unharmed", async () => {
    const bad = await gigafactoryServed(["plan", "--stack", "no-such-stack"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no-such-stack/);
    expect(await servedPlan("dev", copyOfStacks())).toBe((await plannedStack("dev")).text);
  }, 600_000);
});
