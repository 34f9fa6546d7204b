import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe as group, expect, it } from "vitest";
import { FIXTURE_DIR, gigafactoryInProcess, gigafactoryServed } from "../support/cli-run";
import { plannedStack } from "../support/planned-stacks";

// `gigafactory check` on the repository's own stacks, as `check --stack S` checks them: their offline plans (made
// once per test run) through both packs. Every mandatory violation is listed in the failure, so a red test says
// what in the program breaks which policy.

interface CheckJson {
  diagnostics: { enforcementLevel: string; policy: string; resourceName?: string; message: string }[];
  failures: { policy: string; message: string }[];
  resources: number;
  durationMs: number;
}

interface Outcome {
  code: number;
  stderr: string;
  result: CheckJson;
}

function outcomeOf(run: { code: number; stderr: string }, out: string, what: string): Outcome {
  try {
    return { code: run.code, stderr: run.stderr, result: JSON.parse(readFileSync(out, "utf8")) as CheckJson };
  } catch {
    throw new Error(`${what} wrote no result (exit ${run.code}): ${run.stderr}`);
  }
}

const resultFile = () => join(mkdtempSync(join(tmpdir(), "gigafactory-check-")), "check.json");

/** `check --snapshot` of the stack's plan: what `check --stack` runs once it has planned the stack. */
async function checkStack(stack: string): Promise<Outcome> {
  const plan = await plannedStack(stack);
  const out = resultFile();
  return outcomeOf(await gigafactoryInProcess("check", "--snapshot", plan.file, "--json", out), out, `check of the ${stack} plan`);
}

function problems(o: Outcome): string[] {
  return [
    ...o.result.diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => `${d.policy}: ${d.resourceName ?? "(plan)"}: ${d.message}`),
    ...o.result.failures.map((f) => `error ${f.policy}: ${f.message}`),
  ];
}

group("the repository's stacks", () => {
  for (const stack of ["dev", "ai-factory", "gigafactory"]) {
    it(`check --stack ${stack} plans offline and passes every mandatory policy of both packs`, { timeout: 600_000 }, async () => {
      const outcome = await checkStack(stack);
      expect(problems(outcome)).toEqual([]);
      expect(outcome.code).toBe(0);
      expect(outcome.result.resources).toBeGreaterThan(40);
    });
  }
});

group("check --stack", () => {
  it("plans the project offline and checks that plan: the result check --snapshot gives for the plan of the same stack", async () => {
    const [byStack, planned] = await Promise.all([
      (async () => {
        const out = resultFile();
        return outcomeOf(await gigafactoryServed(["check", "--stack", "fixture", "--dir", FIXTURE_DIR, "--json", out]), out, "check --stack fixture");
      })(),
      (async () => {
        const snapshot = join(mkdtempSync(join(tmpdir(), "gigafactory-check-")), "fixture.json");
        const run = await gigafactoryServed(["plan", "--stack", "fixture", "--dir", FIXTURE_DIR, "--json", snapshot]);
        expect(run.code, run.stderr).toBe(0);
        return snapshot;
      })(),
    ]);
    const out = resultFile();
    const bySnapshot = outcomeOf(await gigafactoryInProcess("check", "--snapshot", planned, "--json", out), out, "check --snapshot of the fixture plan");
    const withoutTime = ({ durationMs: _, ...rest }: CheckJson) => rest;
    expect(byStack.result.resources).toBeGreaterThan(0);
    expect(withoutTime(byStack.result)).toEqual(withoutTime(bySnapshot.result));
    expect(byStack.code).toBe(bySnapshot.code);
  });
});
