import { readFileSync } from "node:fs";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { COMMENT_MARKER } from "../../cli/diff/markdown";

const text = readFileSync(".github/workflows/preview.yml", "utf8");
const workflow = parse(text) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { if?: string; permissions?: Record<string, string>; steps: { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }[] }>;
};

describe("the pull-request workflow", () => {
  it("is a valid GitHub workflow for the validator from npm", () => {
    const state = validateWorkflow(text);
    expect(state.errors).toEqual([]);
  });

  it("the validator rejects a broken workflow (the check can fail)", () => {
    expect(validateWorkflow(text.replace("runs-on: ubuntu-latest", "runs-on: [")).errors.length).toBeGreaterThan(0);
    expect(validateWorkflow("name: x\non: pull_request\njobs:\n  a:\n    steps: 3\n").errors.length).toBeGreaterThan(0);
  });

  it("runs on pull requests and starts with a read-only token", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  it("pins every action to a full version", () => {
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => !!u));
    expect(uses.length).toBeGreaterThan(5);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@v\d+\.\d+\.\d+$/);
  });

  it("the offline job needs no secret, installs with npm ci, plans base and head, checks and diffs", () => {
    const offline = workflow.jobs.offline;
    const body = JSON.stringify(offline);
    expect(body).not.toMatch(/secrets\./);
    const runs = offline.steps.map((s) => s.run ?? "").join("\n");
    expect(runs).toContain("npm ci");
    expect(runs).toMatch(/gigafactory\.js plan --stack "\$stack" --json "\$out\/\$stack\.base\.json"/);
    expect(runs).toMatch(/gigafactory\.js plan --stack "\$stack" --json "\$out\/\$stack\.head\.json"/);
    expect(runs).toMatch(/gigafactory\.js check --snapshot/);
    expect(runs).toMatch(/gigafactory\.js diff "\$out\/\$stack\.base\.json" "\$out\/\$stack\.head\.json" --markdown --budget/);
    expect(runs).toContain(COMMENT_MARKER);
    const poster = offline.steps.find((s) => s.uses?.startsWith("actions/github-script@"));
    expect(String(poster?.with?.script)).toContain(COMMENT_MARKER);
    expect(String(poster?.with?.script)).toContain("updateComment");
  });

  it("never puts pull-request text into a shell script (no script injection)", () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps) expect(step.run ?? "").not.toMatch(/\$\{\{\s*github\.event/);
    }
  });

  it("the real preview runs only with an OIDC role, with both policy packs and --diff", () => {
    const preview = workflow.jobs.preview;
    expect(preview.if).toContain("vars.AWS_PREVIEW_ROLE_ARN != ''");
    expect(preview.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(preview.permissions).toMatchObject({ "id-token": "write" });
    const creds = preview.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(creds?.with?.["role-to-assume"]).toBe("${{ vars.AWS_PREVIEW_ROLE_ARN }}");
    const pulumi = preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi?.with).toMatchObject({ command: "preview", diff: true });
    // Run in each layer's project, so the packs are two folders up.
    expect(String(pulumi?.with?.policyPacks).trim().split("\n")).toEqual(["../../policies/eu-residency", "../../policies/guardrails"]);
    expect(pulumi?.with?.["work-dir"]).toBe("layers/${{ matrix.layer }}");
    // Only the layers that speak to AWS alone: the in-cluster ones answer only inside the VPC.
    expect((preview as unknown as { strategy: { matrix: { layer: string[] } } }).strategy.matrix.layer).toEqual(["foundation", "data", "compute"]);
    expect(JSON.stringify(preview)).not.toMatch(/aws-access-key-id|AWS_SECRET_ACCESS_KEY/);
  });
});
