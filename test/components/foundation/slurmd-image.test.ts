import { beforeAll, describe, expect, it } from "vitest";
import type { PlanSnapshot, SnapshotResource } from "../../../plan/snapshot";
import { SLURMD_BASE, SLURMD_IMAGE_REPOSITORY } from "../../../core/catalog/slurmd-image";
import { SLINKY_IMAGES } from "../../../core/catalog/slinky-charts";
import { EU_MEMBER_REGIONS } from "../../../core/catalog/regions";
import { slurmdRecipeTag } from "../../../core/render/image/slurmd-recipe";
import { slurmdImageProjectName } from "../../../core/render/aws/slurmd-image-build";
import { INVOKES } from "../../../plan/engine/invokes";
import { placeOf } from "../../../plan/engine/identity";
import { plannedSnapshot } from "../../support/planned-stacks";
import { pinSlurmdImage } from "../../../components/layers/slurmd-image-ref";
import { runPacks } from "../../../policies/harness/run";
import { POLICY_PACKS } from "../../../policies/packs";

// The factory's slurmd image in the gigafactory's plan: built in the factory's EU region into an encrypted registry
// repository with immutable tags, and run by every NodeSet by that tag and the digest the registry reports.

let snapshot: PlanSnapshot;
beforeAll(async () => {
  snapshot = await plannedSnapshot("gigafactory");
}, 900_000);

const inComponent = (type: string): SnapshotResource[] => snapshot.resources.filter((r) => r.type === type && r.urn.includes("gigafactory:foundation:SlurmdImage") && r.urn.includes("-slurmd-image"));
const one = (type: string): SnapshotResource => {
  const found = inComponent(type);
  if (found.length !== 1) throw new Error(`expected one ${type} in the slurmd image, found ${found.length}`);
  return found[0]!;
};
const values = () => {
  const release = snapshot.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && (r.inputs as { name?: string }).name === "slurm")!;
  return (release.inputs as { values: any }).values;
};

describe("the slurmd image's registry and build", () => {
  it("are in the foundation layer, in the factory's EU region", () => {
    for (const r of [one("aws:ecr/repository:Repository"), one("aws:codebuild/project:Project")]) expect(r.layer).toBe("foundation");
    expect(EU_MEMBER_REGIONS).toContain(snapshot.blueprint.region);
    const project = one("aws:codebuild/project:Project").inputs as any;
    expect(project.source.buildspec).toContain(`--region ${snapshot.blueprint.region}`);
  });

  it("keep the image in one repository with immutable tags, scanned on push, encrypted with the factory's key, retained", () => {
    const repository = one("aws:ecr/repository:Repository");
    const inputs = repository.inputs as any;
    expect(inputs.name).toBe(SLURMD_IMAGE_REPOSITORY);
    expect(inputs.imageTagMutability).toBe("IMMUTABLE");
    expect(inputs.imageScanningConfiguration).toEqual({ scanOnPush: true });
    expect(inputs.encryptionConfigurations).toHaveLength(1);
    expect(inputs.encryptionConfigurations[0].encryptionType).toBe("KMS");
    expect(String(inputs.encryptionConfigurations[0].kmsKey)).toMatch(/^arn:aws[-a-z]*:kms:eu-/);
    expect([repository.protect, repository.retainOnDelete]).toEqual([true, true]);
  });

  it("build from the mirrored base, whose tags are immutable, so the digest the build resolves can never change under it", () => {
    const base = snapshot.resources.find((r) => r.type === "aws:ecr/repository:Repository" && (r.inputs as { name: string }).name === SLURMD_BASE.localRepository)!;
    expect((base.inputs as any).imageTagMutability).toBe("IMMUTABLE");
    expect((one("aws:codebuild/project:Project").inputs as any).source.buildspec).toContain(`--image-ids imageTag=${SLURMD_BASE.image.tag}`);
  });

  it("build privately, encrypted, logging to an encrypted group, and under the recipe's tag", () => {
    const project = one("aws:codebuild/project:Project").inputs as any;
    expect(project.name).toBe(slurmdImageProjectName(snapshot.blueprint.factory as string));
    expect(project.projectVisibility).toBe("PRIVATE");
    expect(String(project.encryptionKey)).toMatch(/^arn:aws[-a-z]*:kms:eu-/);
    expect(project.environment.privilegedMode).toBe(true);
    expect(project.source.buildspec).toContain(`IMAGE_TAG: ${slurmdRecipeTag()}`);
    expect(project.source.buildspec).toContain(`IMAGE_REPOSITORY: ${SLURMD_IMAGE_REPOSITORY}`);
    const logs = one("aws:cloudwatch/logGroup:LogGroup").inputs as any;
    expect(String(logs.kmsKeyId)).toMatch(/^arn:aws[-a-z]*:kms:eu-/);
  });

  it("grant the build role the image's repository to push to and the mirrored base to read, nothing else of ECR", () => {
    const policy = JSON.parse((one("aws:iam/rolePolicy:RolePolicy").inputs as { policy: string }).policy);
    const byAction = (action: string) => policy.Statement.filter((s: any) => [s.Action].flat().includes(action)).map((s: any) => s.Resource);
    expect(byAction("ecr:PutImage")).toEqual([expect.stringMatching(new RegExp(`:repository/${SLURMD_IMAGE_REPOSITORY}$`))]);
    expect(byAction("ecr:BatchGetImage").sort()).toEqual(
      [expect.stringMatching(new RegExp(`:repository/${SLURMD_BASE.localRepository}$`)), expect.stringMatching(new RegExp(`:repository/${SLURMD_IMAGE_REPOSITORY}$`))].sort(),
    );
    for (const s of policy.Statement) if (s.Resource === "*") expect(s.Action).toBe("ecr:GetAuthorizationToken");
    const trust = JSON.parse((one("aws:iam/role:Role").inputs as { assumeRolePolicy: string }).assumeRolePolicy);
    expect(trust.Statement[0].Condition.ArnLike["aws:SourceArn"]).toMatch(new RegExp(`:project/${slurmdImageProjectName(snapshot.blueprint.factory as string)}$`));
  });

  it("are built by the deploy runner before the platform layer, which it may do for that project alone", () => {
    const runner = snapshot.resources.find((r) => r.type === "aws:codebuild/project:Project" && r.urn.includes("gigafactory:foundation:DeployPath"))!;
    expect(runner).toBeDefined();
    const spec = (runner.inputs as any).source.buildspec as string;
    const build = spec.indexOf("aws codebuild start-build");
    expect(build).toBeGreaterThan(0);
    expect(build).toBeLessThan(spec.indexOf("pulumi up"));
    expect(spec).toContain(`imageTag=${slurmdRecipeTag()}`);
  });
});

describe("the residency and guardrail packs", () => {
  const mandatoryOn = async (plan: PlanSnapshot) =>
    (await runPacks(plan, POLICY_PACKS)).diagnostics.filter((d) => d.enforcementLevel === "mandatory" && (d.urn ?? "").includes("SlurmdImage")).map((d) => d.policy);

  it("pass the image's registry and build as planned", async () => {
    expect(await mandatoryOn(snapshot)).toEqual([]);
  }, 120_000);

  it("refuse the image's repository unencrypted", async () => {
    const copy = JSON.parse(JSON.stringify(snapshot)) as PlanSnapshot;
    const repository = copy.resources.find((r) => r.type === "aws:ecr/repository:Repository" && r.urn.includes("SlurmdImage"))!;
    delete (repository.inputs as any).encryptionConfigurations;
    expect(await mandatoryOn(copy)).toContain("data-store-encryption");
  }, 120_000);
});

describe("the NodeSets", () => {
  it("run the factory's image by its immutable tag and a digest, never the stock image or a moving tag", () => {
    const v = values();
    const registry = `${snapshot.blueprint.region}`;
    const image = v.nodesetDefaults.slurmd.image;
    expect(image.repository).toMatch(new RegExp(`\\.dkr\\.ecr\\.${registry}\\.amazonaws\\.com/${SLURMD_IMAGE_REPOSITORY}$`));
    expect(image.tag).toMatch(new RegExp(`^${slurmdRecipeTag()}@sha256:[0-9a-f]{64}$`));
    expect(image.repository).not.toContain(SLINKY_IMAGES.slurmd.repository);
    expect(image.tag).not.toMatch(/latest/);
    for (const nodeset of Object.values(v.nodesets) as any[]) expect(nodeset.slurmd.image).toBeUndefined();
  });

  it("take the digest the registry answers for that tag (offline, the same every plan)", () => {
    const place = placeOf(snapshot.blueprint.region as string);
    const ask = () => INVOKES["aws:ecr/getImage:getImage"]!({ repositoryName: SLURMD_IMAGE_REPOSITORY, imageTag: slurmdRecipeTag() }, place);
    expect(ask()).toEqual(ask());
    expect(values().nodesetDefaults.slurmd.image.tag).toBe(`${slurmdRecipeTag()}@${ask().imageDigest}`);
    expect(INVOKES["aws:ecr/getImage:getImage"]!({ repositoryName: SLURMD_IMAGE_REPOSITORY, imageTag: "recipe-other" }, place).imageDigest).not.toBe(ask().imageDigest);
  });
});

describe("the platform layer before the image is built", () => {
  const image = { repository: SLURMD_IMAGE_REPOSITORY, tag: "recipe-x", buildProject: "gf-slurmd-image" };
  const registry = "123456789012.dkr.ecr.eu-central-1.amazonaws.com";

  it("stops with the build's command, not a NodeSet that names a missing image", async () => {
    const missing = async () => {
      throw new Error("The image with imageId {imageTag:'recipe-x'} does not exist within the repository");
    };
    await expect(pinSlurmdImage(registry, image, missing)).rejects.toThrow(
      `the slurmd image ${SLURMD_IMAGE_REPOSITORY}:recipe-x is not in the registry ${registry}: build it before the platform layer (aws codebuild start-build --project-name gf-slurmd-image`,
    );
  });

  it("takes the tag and the digest the registry answers, and nothing that is not a digest", async () => {
    const digest = `sha256:${"e".repeat(64)}`;
    expect(await pinSlurmdImage(registry, image, async () => digest)).toEqual({ repository: `${registry}/${SLURMD_IMAGE_REPOSITORY}`, tag: `recipe-x@${digest}` });
    await expect(pinSlurmdImage(registry, image, async () => "")).rejects.toThrow(/no image digest/);
  });
});
