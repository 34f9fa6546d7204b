import { readFileSync } from "node:fs";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { COMMENT_MARKER } from "../../cli/diff/markdown";

const text = readFileSync(".github/workflows/preview.yml", "utf8");
const workflow = parse(text) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "continue-on-error"?: boolean;
}

interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}

const stepNamed = (job: Job, name: RegExp) => {
  const step = job.steps.find((s) => name.test(s.name ?? ""));
  if (!step) throw new Error(`no step named ${name}`);
  return step;
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

  it("pins every action to a full commit SHA, its release tag in a comment (docs/sources.md#github-actions-pinning)", () => {
    const uses = text.split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(10);
    for (const line of uses) expect(line.trim()).toMatch(/^(- )?uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    // The parsed workflow agrees: no action is named by a tag or a branch.
    for (const job of Object.values(workflow.jobs)) for (const step of job.steps) if (step.uses) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
  });

  it("has a test job: the system packages the tests start, npm ci, the type-check and npm test", () => {
    const test = workflow.jobs.test;
    expect(test.if).toBeUndefined();
    const runs = test.steps.map((s) => s.run ?? "").join("\n");
    for (const pkg of ["slurm-wlm", "slurmdbd", "munge", "mariadb-server"]) expect(runs).toMatch(new RegExp(`apt-get install[^\\n]*\\b${pkg}\\b`));
    expect(runs.indexOf("apt-get install")).toBeLessThan(runs.indexOf("npm test"));
    expect(runs).toMatch(/^npm ci\b/m);
    expect(runs).toContain("npm run typecheck");
    expect(runs).toMatch(/^npm test$/m);
    const node = test.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(node?.with?.["node-version"]).toBe(20);
  });

  it("the offline job needs no secret, installs with npm ci, plans base and head, checks and diffs", () => {
    const offline = workflow.jobs.offline;
    const body = JSON.stringify(offline);
    expect(body).not.toMatch(/secrets\./);
    const runs = offline.steps.map((s) => s.run ?? "").join("\n");
    expect(runs).toContain("npm ci");
    expect(runs).toMatch(/gigafactory\.js plan --stack "\$stack" --json-file "\$out\/\$stack\.base\.json"/);
    expect(runs).toMatch(/gigafactory\.js plan --stack "\$stack" --json-file "\$out\/\$stack\.head\.json"/);
    expect(runs).toMatch(/gigafactory\.js check --snapshot/);
    expect(runs).toMatch(/gigafactory\.js diff "\$out\/\$stack\.base\.json" "\$out\/\$stack\.head\.json" --markdown --budget/);
    expect(runs).toContain(COMMENT_MARKER);
    const poster = offline.steps.find((s) => s.uses?.startsWith("actions/github-script@"));
    expect(String(poster?.with?.script)).toContain(".github/scripts/sticky-comment.js");
  });

  it("never puts pull-request text into a shell script (no script injection)", () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps) expect(step.run ?? "").not.toMatch(/\$\{\{\s*github\.event/);
    }
  });

  it("the real preview runs only with an OIDC role, per AWS layer, with both policy packs, as JSON", () => {
    const preview = workflow.jobs.preview;
    expect(preview.if).toContain("vars.AWS_PREVIEW_ROLE_ARN != ''");
    expect(preview.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(preview.permissions).toMatchObject({ "id-token": "write" });
    const creds = preview.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(creds?.with?.["role-to-assume"]).toBe("${{ vars.AWS_PREVIEW_ROLE_ARN }}");
    // The action only installs the CLI; the step runs pulumi itself, to keep its JSON and its exit code.
    expect(preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))?.with).toBeUndefined();
    const run = stepNamed(preview, /^pulumi preview/).run ?? "";
    expect(run).toMatch(/pulumi preview --cwd "layers\/\$LAYER" --stack "\$STACK" --json/);
    // Run in each layer's project, so the packs are two folders up; each pack installs from its own lockfile.
    expect(run).toContain("--policy-pack ../../policies/eu-residency --policy-pack ../../policies/guardrails");
    expect(preview.steps.map((s) => s.run ?? "").join("\n")).toMatch(/for pack in policies\/eu-residency policies\/guardrails; do \(cd "\$pack" && npm ci/);
    expect(stepNamed(preview, /^pulumi preview/).env?.PULUMI_NODEJS_TRANSPILE_ONLY).toBe("true");
    // Only the layers that speak to AWS alone: the in-cluster ones answer only inside the VPC.
    expect((preview as unknown as { strategy: { matrix: { layer: string[] } } }).strategy.matrix.layer).toEqual(["foundation", "data", "compute"]);
    expect(JSON.stringify(preview)).not.toMatch(/aws-access-key-id|AWS_SECRET_ACCESS_KEY/);
  });

  it("a mandatory policy violation skips neither the real preview nor the posting: the run fails last", () => {
    const { offline, preview, review } = workflow.jobs;
    // The offline job does not fail on a violation: it says so in an output.
    expect(offline.outputs?.violations).toBe("${{ steps.review.outputs.violations }}");
    expect(offline.steps.some((s) => /exit 1/.test(s.run ?? "") && /violations/.test(s.if ?? ""))).toBe(false);
    // The preview keeps pulumi's exit code instead of failing the step, and keeps its result whatever happened.
    const run = stepNamed(preview, /^pulumi preview/).run ?? "";
    expect(run).toMatch(/\|\| rc=\$\?/);
    expect(run).toMatch(/echo "\$rc" > /);
    expect(stepNamed(preview, /^Keep the preview/).if).toBe("always()");
    expect(preview.if).toMatch(/^always\(\) && needs\.offline\.result == 'success'/);
    // The review runs after both whatever they found, posts, and only then fails.
    expect(review.needs).toEqual(["offline", "preview"]);
    expect(review.if).toMatch(/^always\(\)/);
    const names = review.steps.map((s) => s.name ?? "");
    const post = names.findIndex((n) => /sticky comment/.test(n));
    const fail = names.findIndex((n) => /^Fail on/.test(n));
    expect(post).toBeGreaterThan(-1);
    expect(fail).toBeGreaterThan(post);
    expect(review.steps[post].if ?? "").not.toMatch(/violations|failed|success\(\)/);
    expect(review.steps[fail].if).toContain("needs.offline.outputs.violations == '1'");
    expect(review.steps[fail].if).toContain("steps.reconcile.outputs.failed == '1'");
  });

  it("posts the real preview, reconciled, in the same sticky comment as the offline review", () => {
    const { offline, review } = workflow.jobs;
    const posters = [offline, review].map((job) => job.steps.find((s) => s.uses?.startsWith("actions/github-script@")));
    for (const p of posters) expect(String(p?.with?.script)).toContain("require(`${process.env.GITHUB_WORKSPACE}/.github/scripts/sticky-comment.js`)");
    const script = readFileSync(".github/scripts/sticky-comment.js", "utf8");
    expect(script).toContain(`const MARKER = "${COMMENT_MARKER}"`);
    expect(script).toContain("updateComment");
    // The review's comment is the offline one with the reconciled sections appended.
    const reconcile = stepNamed(review, /^Reconcile/).run ?? "";
    expect(reconcile).toMatch(/"\$review\/comment\.md" > "\$comment"/);
    expect(reconcile).toMatch(/gigafactory\.js reconcile "\$review\/\$stack\.base\.json" "\$review\/\$stack\.head\.json" "\$\{args\[@\]\}"/);
    expect(reconcile).toMatch(/args\+=\(--preview "\$layer=\$f"\)/);
    expect(stepNamed(review, /sticky comment/).env?.COMMENT_FILE).toBe("${{ steps.reconcile.outputs.file }}");
  });

  it("the sticky comment script finds its own comment by the marker, updates it, and keeps under GitHub's limit", async () => {
    const post = require("../../.github/scripts/sticky-comment.js") as (ctx: unknown, file: string) => Promise<void>;
    const { writeFileSync, mkdtempSync } = await import("node:fs");
    const dir = mkdtempSync(`${require("node:os").tmpdir()}/sticky-`);
    const calls: [string, Record<string, unknown>][] = [];
    const existing = [{ id: 1, user: { type: "User" }, body: COMMENT_MARKER }, { id: 7, user: { type: "Bot" }, body: `${COMMENT_MARKER}\nold` }];
    const github = {
      paginate: async () => existing,
      rest: { issues: { listComments: {}, updateComment: async (a: Record<string, unknown>) => calls.push(["update", a]), createComment: async (a: Record<string, unknown>) => calls.push(["create", a]) } },
    };
    const context = { repo: { owner: "o", repo: "r" }, payload: { pull_request: { number: 5 } } };
    writeFileSync(`${dir}/c.md`, `${COMMENT_MARKER}\n# review\n\n## stack a\n${"x".repeat(40_000)}\n## stack b\n${"y".repeat(40_000)}\n`);
    await post({ github, context }, `${dir}/c.md`);
    expect(calls).toHaveLength(1);
    expect(calls[0][0]).toBe("update");
    expect(calls[0][1].comment_id).toBe(7);
    const body = String(calls[0][1].body);
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain("## stack a");
    expect(body).not.toContain("## stack b");
    existing.pop();
    await post({ github, context }, `${dir}/c.md`);
    expect(calls[1][0]).toBe("create");
  });
});

describe("the review job's reconcile step, run as the runner runs it", () => {
  it("appends each stack's reconciled previews to the offline comment and fails on a preview that failed", async () => {
    const { execFileSync } = await import("node:child_process");
    const { mkdirSync, mkdtempSync, writeFileSync } = await import("node:fs");
    const { plannedSnapshot } = await import("../support/planned-stacks");
    const { stringifySnapshot } = await import("../../plan/snapshot");
    const temp = mkdtempSync(`${require("node:os").tmpdir()}/review-`);
    for (const d of ["review", "preview"]) mkdirSync(`${temp}/${d}`);
    const dev = await plannedSnapshot("dev");
    writeFileSync(`${temp}/review/dev.base.json`, stringifySnapshot(dev));
    writeFileSync(`${temp}/review/dev.head.json`, stringifySnapshot(dev));
    writeFileSync(`${temp}/review/comment.md`, `${COMMENT_MARKER}\n# gigafactory preview\n\n_The real \`pulumi preview\` of each AWS layer is running: this comment is updated with it._\n\n## stack \`dev\`\n(the offline review)\n`);
    // The data layer's preview replaces the Lustre file system, which the offline plans keep, and fails on a policy.
    const lustre = dev.resources.find((r) => r.type === "aws:fsx/lustreFileSystem:LustreFileSystem")!;
    writeFileSync(`${temp}/preview/dev.data.json`, JSON.stringify({ steps: [{ op: "replace", urn: lustre.urn, replaceReasons: ["fileSystemTypeVersion"] }], diagnostics: [{ message: "[mandatory] gigafactory-guardrails state-protected-and-retained", severity: "error" }], changeSummary: { replace: 1, same: 58 } }));
    writeFileSync(`${temp}/preview/dev.data.rc`, "255\n");
    writeFileSync(`${temp}/preview/dev.foundation.json`, JSON.stringify({ changeSummary: { same: 88 } }));
    writeFileSync(`${temp}/preview/dev.foundation.rc`, "0\n");
    const script = stepNamed(workflow.jobs.review, /^Reconcile/).run!;
    const env = { ...process.env, RUNNER_TEMP: temp, GITHUB_OUTPUT: `${temp}/output`, GITHUB_STEP_SUMMARY: `${temp}/summary`, STACKS_JSON: '["dev"]', PREVIEW_RESULT: "success" };
    execFileSync("bash", ["-c", script], { env, cwd: process.cwd(), stdio: "ignore" });
    const outputs = readFileSync(`${temp}/output`, "utf8");
    // The compute layer's preview never ran (no rc): the run must fail too.
    expect(outputs).toContain("failed=1");
    expect(outputs).toContain(`file=${temp}/comment.md`);
    const comment = readFileSync(`${temp}/comment.md`, "utf8");
    expect(comment.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comment).toContain("(the offline review)");
    expect(comment).not.toContain("is running");
    expect(comment).toMatch(/## The real `pulumi preview`\n\n### stack `dev`\n#### The real preview beside the offline review/);
    expect(comment).toContain("| `gigafactory-data` | 0 | 0 | 1 | 0 | 1 |");
    expect(comment).toContain(`| \`${lustre.name}\` | fsx LustreFileSystem | **replace** | \`fileSystemTypeVersion\` | unchanged |`);
    expect(comment).toContain("[mandatory] gigafactory-guardrails state-protected-and-retained");
  }, 120_000);
});
