import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDiff } from "../../../cli/commands/diff-run";
import type { PolicyOutcome } from "../../../cli/diff/policy";
import { type PlanSnapshot, stableStringify } from "../../../plan/snapshot";
import { buildSnapshot, changed, smallFactory } from "../../fixtures/diff/builder";
import { gigafactory } from "../../support/cli-run";

const dir = mkdtempSync(join(tmpdir(), "gigafactory-diff-"));
function file(name: string, content: string | PlanSnapshot): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : stableStringify(content));
  return path;
}

async function diff(before: string, after: string, options = {}, policy?: PolicyOutcome) {
  let stdout = "";
  let stderr = "";
  const code = await runDiff(before, after, options, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    policy: policy ? async () => policy : undefined,
  });
  return { code, stdout, stderr };
}

const before = file("before.json", buildSnapshot(smallFactory()));
const after = file("after.json", buildSnapshot(changed(smallFactory(), (f) => (f.tenants[0].gpuQuota = 1024))));

describe("gigafactory diff on the command line", () => {
  it("prints the markdown review by default and exits 0", async () => {
    const r = await diff(before, after);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("**Disruption: `in-place`**");
    expect(r.stdout).toContain("```mermaid");
  });

  it("--json prints the diff as gigafactory.diff/v1, with stable bytes", async () => {
    const r = await diff(before, after, { json: true });
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout) as { format: string; disruption: string; changes: unknown[] };
    expect(parsed).toMatchObject({ format: "gigafactory.diff/v1", disruption: "in-place" });
    expect(parsed.changes).toHaveLength(1);
    expect((await diff(before, after, { json: true })).stdout).toBe(r.stdout);
  });

  it("places the policy packs' report of the AFTER plan", async () => {
    const r = await diff(before, after, {}, { markdown: "| policy | result |\n|---|---|\n| eu-residency | pass |", mandatoryViolations: 0, advisoryViolations: 0 });
    expect(r.stdout).toContain("Every policy passes.");
    expect(r.stdout).toContain("| eu-residency | pass |");
    const violated = await diff(before, after, {}, { markdown: "| policy | result |\n|---|---|\n| eu-residency | fail |", mandatoryViolations: 2, advisoryViolations: 0 });
    expect(violated.stdout).toContain("**2 mandatory violations**: the plan must not be applied as it is.");
    const skipped = await diff(before, after, { policies: false }, { markdown: "| eu-residency | pass |", mandatoryViolations: 0, advisoryViolations: 0 });
    expect(skipped.stdout).not.toContain("| eu-residency | pass |");
    expect(skipped.stdout).toContain("Policy packs not run for this diff");
  });

  it.each([
    ["a missing file", () => [join(dir, "nope.json"), after], /nope\.json: cannot be read \(ENOENT\) — check the path/],
    ["malformed JSON", () => [file("broken.json", "{ not json"), after], /broken\.json: not valid JSON .* — write it with `gigafactory plan --json-file FILE`/],
    ["another format", () => [file("other.json", JSON.stringify({ format: "terraform.plan/v4" })), after], /format is "terraform.plan\/v4", not gigafactory.plan\/v1/],
    [
      "plans of different stacks",
      () => [before, file("other-stack.json", buildSnapshot(changed(smallFactory(), (f) => (f.stack = "gigafactory"))))],
      /the plans are of different stacks \(ai-factory and gigafactory\) — diff two plans of the same stack/,
    ],
  ])("%s is a clear message and exit 2", async (_what, files, message) => {
    const [b, a] = files();
    const r = await diff(b, a);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("--markdown with --json, or a budget too small to hold a review, is a bad command line", async () => {
    expect((await diff(before, after, { markdown: true, json: true })).code).toBe(2);
    const small = await diff(before, after, { budget: "100" });
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/--budget: "100" is not a whole number of characters of at least 5000/);
  });
});

describe("the gigafactory command", () => {
  const exec = (...args: string[]) => gigafactory(args);

  it("has the diff verb: the review with the policy packs' result of AFTER, exit 0", async () => {
    const r = await exec("diff", before, after);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("**Disruption: `in-place`**");
    expect(r.stdout).toMatch(/### Policies\n\n(\*\*\d+ mandatory violations?\*\*|No mandatory violation|Every policy passes)/);
  }, 60_000);

  it("exits 2 with one line on stderr for a file that is not there", async () => {
    const r = await exec("diff", join(dir, "missing.json"), after, "--no-policies");
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error .*missing\.json: cannot be read \(ENOENT\)/);
  }, 60_000);
});
