import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe as group, expect, it } from "vitest";

// `gigafactory check --stack S` on the repository's own stacks: plans them offline and runs both packs. Every
// mandatory violation is listed in the failure, so a red test says what in the program breaks which policy.

const ROOT = resolve(__dirname, "../..");

interface Outcome {
  code: number;
  stderr: string;
  result: { diagnostics: { enforcementLevel: string; policy: string; resourceName?: string; message: string }[]; failures: { policy: string; message: string }[]; resources: number; durationMs: number };
}

function checkStack(stack: string): Promise<Outcome> {
  const out = join(mkdtempSync(join(tmpdir(), "gigafactory-check-")), "check.json");
  return new Promise((done, fail) => {
    execFile(process.execPath, [join(ROOT, "bin", "gigafactory.js"), "check", "--stack", stack, "--json", out], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
      try {
        done({ code, stderr, result: JSON.parse(readFileSync(out, "utf8")) });
      } catch {
        fail(new Error(`check --stack ${stack} wrote no result (exit ${code}): ${stderr}`));
      }
    });
  });
}

function problems(o: Outcome): string[] {
  return [
    ...o.result.diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => `${d.policy}: ${d.resourceName ?? "(plan)"}: ${d.message}`),
    ...o.result.failures.map((f) => `error ${f.policy}: ${f.message}`),
  ];
}

group("the repository's stacks", () => {
  for (const stack of ["dev", "ai-factory", "gigafactory"]) {
    it(`check --stack ${stack} plans offline and passes every mandatory policy of both packs`, async () => {
      const outcome = await checkStack(stack);
      expect(problems(outcome)).toEqual([]);
      expect(outcome.code).toBe(0);
      expect(outcome.result.resources).toBeGreaterThan(40);
    });
  }
});
