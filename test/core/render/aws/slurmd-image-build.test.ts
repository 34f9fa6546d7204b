import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runnerBuildSpec } from "../../../../core/render/aws/deploy-runner";
import { ensureSlurmdImageCommands, slurmdImageBuildSpec, slurmdImageProjectName } from "../../../../core/render/aws/slurmd-image-build";
import { renderSlurmdRecipe, slurmdRecipeTag } from "../../../../core/render/image/slurmd-recipe";
import { SLURMD_IMAGE_REPOSITORY } from "../../../../core/catalog/slurmd-image";

// The image build's spec and the runner's step before the platform layer, read as CodeBuild reads them (YAML, each
// command in turn) and run with bash against a stub of the AWS CLI.

const files = renderSlurmdRecipe();
const imageSpec = slurmdImageBuildSpec({ region: "eu-north-1", repository: SLURMD_IMAGE_REPOSITORY, tag: slurmdRecipeTag(), files });
const runnerSpec = runnerBuildSpec({ clusterName: "gf", region: "eu-north-1" });

const dir = mkdtempSync(join(tmpdir(), "gf-image-build-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every command of every phase, in order, as CodeBuild runs them. */
function commandsOf(spec: string): string[] {
  const y = parse(spec) as { phases: Record<string, { commands: unknown[] }> };
  return Object.values(y.phases).flatMap((p) => p.commands) as string[];
}

/** Runs commands in turn, stopping at the first that fails, with `aws` stubbed from a script of answers. */
function runCommands(commands: readonly string[], env: Record<string, string>) {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, "aws"),
    [
      "#!/usr/bin/env bash",
      'echo "$*" >> "$AWS_LOG"',
      'case "$1 $2" in',
      '  "ecr describe-images") [ "$IMAGE_BUILT" = 1 ] && { echo "{}"; exit 0; }; echo "ImageNotFoundException" >&2; exit 254 ;;',
      '  "codebuild start-build") echo "gf-slurmd-image:1234" ;;',
      '  "codebuild batch-get-builds") n=$(cat "$POLLS" 2>/dev/null || echo 0); echo $((n + 1)) > "$POLLS"; if [ "$n" -lt 2 ]; then echo IN_PROGRESS; else echo "$FINAL_STATUS"; fi ;;',
      "esac",
    ].join("\n"),
  );
  chmodSync(join(bin, "aws"), 0o755);
  writeFileSync(join(bin, "sleep"), "#!/usr/bin/env bash\nexit 0\n");
  chmodSync(join(bin, "sleep"), 0o755);
  const log = join(dir, `aws-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, "");
  const script = commands.map((c) => `${c}\nrc=$?; [ "$rc" -eq 0 ] || exit "$rc"`).join("\n");
  const r = spawnSync("bash", ["-c", script], {
    encoding: "utf8",
    env: { PATH: `${bin}:/usr/bin:/bin`, AWS_LOG: log, POLLS: join(dir, `polls-${Math.random()}`), FINAL_STATUS: "SUCCEEDED", IMAGE_BUILT: "0", ...env },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, aws: readFileSync(log, "utf8").split("\n").filter(Boolean) };
}

describe("the build specs, as CodeBuild reads them", () => {
  it.each([
    ["the image build", imageSpec],
    ["the deploy runner", runnerSpec],
  ])("%s: every command is a command, none a YAML mapping", (_what, spec) => {
    const commands = commandsOf(spec);
    expect(commands.length).toBeGreaterThan(3);
    for (const c of commands) expect(typeof c, JSON.stringify(c)).toBe("string");
  });

  it("the image build writes back every file of the recipe, byte for byte", () => {
    const writes = commandsOf(imageSpec).filter((c) => c.includes("| base64 -d | gunzip > recipe/"));
    const out = join(dir, "recipe-check");
    mkdirSync(join(out, "recipe"), { recursive: true });
    const r = spawnSync("bash", ["-c", writes.join("\n")], { cwd: out, encoding: "utf8" });
    expect(r.stderr).toBe("");
    for (const f of files) expect(readFileSync(join(out, "recipe", f.path.split("/").pop()!), "utf8")).toBe(f.content);
  });
});

describe("the runner, before the platform layer", { timeout: 30_000 }, () => {
  const ensure = ensureSlurmdImageCommands({ clusterName: "gf", region: "eu-north-1", repository: SLURMD_IMAGE_REPOSITORY, tag: "recipe-abc" }).join("\n");
  const commands = commandsOf(`phases:\n  build:\n    commands:\n${ensure}\n`);

  it("builds the image when its tag is missing, waits for the build, and goes on when it succeeds", () => {
    const r = run("platform");
    expect(r.status).toBe(0);
    expect(r.aws.filter((a) => a.startsWith("codebuild start-build"))).toEqual([`codebuild start-build --project-name ${slurmdImageProjectName("gf")} --region eu-north-1 --query build.id --output text`]);
    expect(r.aws.filter((a) => a.startsWith("codebuild batch-get-builds"))).toHaveLength(3);
  });

  it("stops the deploy when the build fails, saying so", () => {
    const r = run("platform", { FINAL_STATUS: "FAILED" });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("the slurmd image build gf-slurmd-image:1234 ended FAILED");
  });

  it("builds nothing when the tag is there, and nothing for the tenants layer", () => {
    expect(run("platform", { IMAGE_BUILT: "1" }).aws.some((a) => a.startsWith("codebuild"))).toBe(false);
    expect(run("tenants").aws).toEqual([]);
  });

  function run(layer: string, env: Record<string, string> = {}) {
    return runCommands(commands, { GIGAFACTORY_LAYER: layer, ...env });
  }

  it("comes before the runner's pulumi up", () => {
    const all = commandsOf(runnerSpec);
    const build = all.findIndex((c) => c.includes("aws codebuild start-build"));
    expect(build).toBeGreaterThan(0);
    expect(build).toBeLessThan(all.findIndex((c) => c.includes("pulumi up")));
  });
});
