import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDockerfile, fromImages } from "../../../../core/lib/dockerfile";
import { LOGIN_BASE, LOGIN_IMAGE_REPOSITORY } from "../../../../core/catalog/login-image";
import { ENROOT, PYXIS, SLURM_HEADERS } from "../../../../core/catalog/slurmd-image";
import { SLINKY_IMAGES } from "../../../../core/catalog/slinky-charts";
import { LOGIN_RECIPE_ARGS, LOGIN_RECIPE_DIR, loginRecipeTag, renderLoginRecipe } from "../../../../core/render/image/login-recipe";
import { containerToolsCommands } from "../../../../core/render/image/container-tools";
import { renderSlurmdRecipe } from "../../../../core/render/image/slurmd-recipe";
import { imageRecipes, loginImageRecipe } from "../../../../core/render/image/recipes";
import { imageProjectName, slurmdImageBuildSpec } from "../../../../core/render/aws/slurmd-image-build";
import { runnerBuildSpec, runnerPermissionsPolicy } from "../../../../core/render/aws/deploy-runner";
import { slinkyValues } from "../../../../core/render/slurm/slinky-values";
import { RENDERERS } from "../../../../cli/commands/render-run";
import { ROOT } from "../../../support/cli-run";
import { expectRecipeInRepository } from "../../../fixtures/image/recipe-files";
import { designedStack } from "../../../fixtures/kubernetes/stacks";
import { stackBlueprint } from "../../../fixtures/slurm/stacks";

// The factory's login image: Slinky's login pinned by digest, with Enroot and Pyxis built from the slurmd image's
// pins, so `srun --container-image` works from a login shell; built and deployed like the slurmd image.

const files = renderLoginRecipe();
const dockerfile = files.find((f) => f.path.endsWith("/Dockerfile"))!.content;
const instructions = parseDockerfile(dockerfile);
const slurmdDockerfile = renderSlurmdRecipe().find((f) => f.path.endsWith("/Dockerfile"))!.content;

describe("the login recipe in the repository", () => {
  it("is the catalog's rendering, file for file (GIGAFACTORY_RECIPE=write rewrites it)", () => {
    expectRecipeInRepository(files, __filename);
  });

  it("is what `gigafactory render` writes under images/login", () => {
    const images = RENDERERS.find((r) => r.folder === "images")!;
    const written = images.render({ blueprint: designedStack("dev").blueprint } as any).filter((f) => f.path.startsWith(`${LOGIN_RECIPE_DIR}/`));
    expect(written).toEqual(files);
  });
});

describe("its base and its pins", () => {
  it("builds FROM the login image the slurm chart deploys, in the factory's registry, at a digest", () => {
    const froms = fromImages(instructions, { [LOGIN_RECIPE_ARGS.registry]: "123456789012.dkr.ecr.eu-central-1.amazonaws.com" });
    expect(froms).toHaveLength(1);
    expect(froms[0]!.image).toBe(`123456789012.dkr.ecr.eu-central-1.amazonaws.com/ghcr/${SLINKY_IMAGES.login.repository}:${SLINKY_IMAGES.login.tag}@\${${LOGIN_RECIPE_ARGS.baseDigest}}`);
    for (const f of fromImages(instructions, { [LOGIN_RECIPE_ARGS.registry]: "r", [LOGIN_RECIPE_ARGS.baseDigest]: `sha256:${"a".repeat(64)}` })) expect(f.image).toMatch(/@sha256:[0-9a-f]{64}$/);
  });

  it("builds Enroot and Pyxis with the very commands and pins of the slurmd image", () => {
    const commands = containerToolsCommands("/usr/local");
    for (const c of commands) {
      expect(dockerfile, c).toContain(c);
      expect(slurmdDockerfile, c).toContain(c);
    }
    for (const s of [ENROOT, PYXIS, SLURM_HEADERS]) expect(dockerfile).toContain(`${s.repository} ${s.tag} ${s.commit}`);
  });

  it("holds no pin of its own: the catalog imports the slurmd image's", () => {
    const catalog = readFileSync(join(ROOT, "core/catalog/login-image.ts"), "utf8");
    expect(catalog).not.toMatch(/\b[0-9a-f]{40}\b/);
    expect(catalog).not.toMatch(/v\d+\.\d+\.\d+/);
  });

  it("checks at build time that srun finds Enroot and Pyxis, and that the base runs the Slurm release Pyxis is built for", () => {
    expect(dockerfile).toContain("test -x /usr/local/bin/enroot");
    expect(dockerfile).toContain("test -f /usr/local/lib/slurm/spank_pyxis.so");
    expect(dockerfile).toMatch(/srun --version \| grep -q '\^slurm 26\\\.05\\\.'/);
  });

  it("has a tag that follows its files", () => {
    expect(loginRecipeTag()).toMatch(/^recipe-[0-9a-f]{20}$/);
    expect(loginRecipeTag([{ ...files[0]!, content: `${files[0]!.content} ` }, ...files.slice(1)])).not.toBe(loginRecipeTag());
  });
});

describe("its build and its use", () => {
  it("builds from the mirrored login base's digest, with the login recipe's build arguments", () => {
    const r = loginImageRecipe();
    const spec = slurmdImageBuildSpec({ region: "eu-north-1", repository: r.repository, tag: r.tag, files: r.files, base: r.base, args: r.args });
    expect(spec).toContain(`aws ecr describe-images --repository-name ${LOGIN_BASE.localRepository} --image-ids imageTag=${LOGIN_BASE.image.tag}`);
    expect(spec).toContain(`--build-arg ${LOGIN_RECIPE_ARGS.baseDigest}="$BASE_DIGEST"`);
    expect(spec).toContain(`IMAGE_REPOSITORY: ${LOGIN_IMAGE_REPOSITORY}`);
  });

  it("is built by the deploy runner before the platform layer, which may start that project and no other", () => {
    const spec = runnerBuildSpec({ clusterName: "gf", region: "eu-north-1" });
    for (const r of imageRecipes()) {
      expect(spec).toContain(`--project-name ${imageProjectName("gf", r.name)}`);
      expect(spec.indexOf(`imageTag=${r.tag}`)).toBeLessThan(spec.indexOf("pulumi up"));
    }
    const statements = runnerPermissionsPolicy({ partition: "aws", region: "eu-north-1", dnsSuffix: "amazonaws.com", accountId: "123456789012", clusterName: "gf", projectName: "gf-runner", logGroupName: "/gf", subnetArns: [], factory: "gf", state: null }).Statement as any[];
    const projects = statements.filter((s) => String(s.Action).includes("codebuild:StartBuild")).map((s) => s.Resource);
    expect(projects.sort()).toEqual(imageRecipes().map((r) => `arn:aws:codebuild:eu-north-1:123456789012:project/${imageProjectName("gf", r.name)}`).sort());
  });

  it("the login set runs it by tag and digest, the identity sidecar too", () => {
    const login = { repository: `123456789012.dkr.ecr.eu-north-1.amazonaws.com/${LOGIN_IMAGE_REPOSITORY}`, tag: `${loginRecipeTag()}@sha256:${"e".repeat(64)}` };
    const values = slinkyValues(stackBlueprint("dev"), {
      registry: "123456789012.dkr.ecr.eu-north-1.amazonaws.com",
      slurmdImage: { repository: "r/slurmd", tag: `t@sha256:${"d".repeat(64)}` },
      loginImage: login,
      secrets: { slurmKey: { name: "a", key: "slurm.key" }, jwtKey: { name: "a", key: "jwt.key" }, databasePassword: { name: "d", key: "p" } },
      storage: { host: "h", port: 3306, database: "d", username: "u" },
      nodePriorityClassName: "p",
    });
    expect(values.loginsetDefaults.login.image).toEqual(login);
    expect(values.loginsets.login.podSpec.initContainers![0]!.image).toBe(`${login.repository}:${login.tag}`);
  });
});
