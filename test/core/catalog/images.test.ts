import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { IMAGES, imageReference, mirrorCopies, mirrorRepositories, pullThroughRegistries, registryHost, UPSTREAM_REGISTRIES, type PinnedImage } from "../../../core/catalog/images";
import { renderMirrorScript } from "../../../core/render/kubernetes/mirror-script";
import { factoryCharts, factoryMirrorCopies } from "../../../core/blueprint/registry";
import { registryProblem } from "../../../policies/eu-residency/images";
import { installRecordingMocks, settle, valueOf, type Recorder } from "../../support/recording-mocks";
import { tempDir } from "../../support/cli-run";
import { designedStack } from "../../fixtures/kubernetes/stacks";

// The factory's image supply: every image is pulled from ECR in the factory's region, through a pull-through
// cache where ECR supports the upstream, from a mirror the factory creates where it does not.

const residency = { allowedRegions: ["eu-north-1", "eu-south-2", "eu-central-1", "eu-west-1", "eu-west-3", "eu-south-1"], allowedRegistries: [], sameRegion: true };

describe("the image supply", () => {
  it("serves every image of every chart from the factory's in-region ECR, as the residency pack judges it", () => {
    const registry = registryHost("123456789012", "eu-north-1", "amazonaws.com");
    for (const [name, image] of Object.entries(IMAGES)) {
      expect(registryProblem(imageReference(registry, image), "eu-north-1", residency, name), name).toBeUndefined();
    }
  });

  it("uses the sovereign cloud's own DNS suffix for its registry", () => {
    expect(registryHost("123456789012", "eusc-de-east-1", "amazonaws.eu")).toBe("123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu");
  });

  it("pulls through only from the upstreams ECR caches without credentials, and mirrors nvcr.io and Docker Hub", () => {
    expect(pullThroughRegistries().map((u) => u.host)).toEqual(["public.ecr.aws", "registry.k8s.io", "quay.io"]);
    expect(UPSTREAM_REGISTRIES.nvidia.supply).toBe("mirror");
    expect(UPSTREAM_REGISTRIES.dockerHub.supply).toBe("mirror");
  });

  it("mirrors every installed chart and each image no cache serves, and nothing else", () => {
    const copies = mirrorCopies(["gpu-operator", "aws-efa-k8s-device-plugin", "kueue"]);
    expect(copies.filter((c) => c.kind === "chart").map((c) => c.repository)).toEqual(["charts/gpu-operator", "charts/aws-efa-k8s-device-plugin", "charts/kueue"]);
    const images = copies.filter((c) => c.kind === "image");
    expect(images.length).toBeGreaterThan(0);
    for (const c of images) expect(c.source).toMatch(/^(nvcr\.io|docker\.io)\//);
    // The MPI operator is no chart: its controller's image is copied with the charts' whatever they are.
    expect(images.map((c) => c.source)).toContain("docker.io/mpioperator/mpi-operator:0.8.0");
    expect(mirrorRepositories(["kueue"])).toEqual(["charts/kueue", "docker-hub/mpioperator/mpi-operator"]);
    expect(mirrorRepositories(["kueue"], [])).toEqual(["charts/kueue"]);
  });

  it("takes the EFA plugin's image from ECR Public, never from us-west-2", () => {
    const efa: PinnedImage = IMAGES.efaDevicePlugin;
    expect(UPSTREAM_REGISTRIES[efa.upstream].host).toBe("public.ecr.aws");
    expect(imageReference("r", efa)).toBe("r/ecr-public/eks/aws-efa-k8s-device-plugin:v0.5.20");
  });
});

describe("ImageSupply on AWS", () => {
  let rec: Recorder;
  let registry: string;

  beforeAll(async () => {
    rec = installRecordingMocks();
    const { ImageSupply, grantRegistryPull } = await import("../../../components/foundation/image-supply");
    const supply = new ImageSupply("gf-images", {
      region: "eu-north-1",
      partition: "aws",
      dnsSuffix: "amazonaws.com",
      accountId: "123456789012",
      keyArn: "arn:aws:kms:eu-north-1:123456789012:key/k",
      copies: mirrorCopies(["gpu-operator", "aws-efa-k8s-device-plugin", "kueue"]),
    });
    // The compute layer lets its nodes pull through the registry.
    grantRegistryPull("gf-images-pull-through-0", "gf-node-role", { partition: "aws", region: "eu-north-1", accountId: "123456789012" }, {});
    registry = await valueOf(supply.registry);
    await settle();
  });

  it("names the registry every chart and image comes from", () => {
    expect(registry).toBe("123456789012.dkr.ecr.eu-north-1.amazonaws.com");
  });

  it("has one pull-through cache rule per upstream, each with a template that encrypts with the factory's key", () => {
    const rules = rec.ofType("aws:ecr/pullThroughCacheRule:PullThroughCacheRule");
    expect(rules.map((r) => [r.inputs.ecrRepositoryPrefix, r.inputs.upstreamRegistryUrl])).toEqual([
      ["ecr-public", "public.ecr.aws"],
      ["k8s", "registry.k8s.io"],
      ["quay", "quay.io"],
    ]);
    const templates = rec.ofType("aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate");
    expect(templates.map((t) => t.inputs.prefix)).toEqual(["ecr-public", "k8s", "quay"]);
    for (const t of templates) {
      expect(t.inputs.appliedFors).toEqual(["PULL_THROUGH_CACHE"]);
      expect(t.inputs.encryptionConfigurations).toEqual([{ encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-north-1:123456789012:key/k" }]);
      expect(t.inputs.customRoleArn).toMatch(/template-role/);
    }
  });

  it("creates the mirror repositories encrypted, immutable, scanned and never force-deleted", () => {
    const repos = rec.ofType("aws:ecr/repository:Repository");
    expect(repos.map((r) => r.inputs.name).sort()).toEqual(mirrorRepositories(["gpu-operator", "aws-efa-k8s-device-plugin", "kueue"]).sort());
    for (const r of repos) {
      expect(r.inputs).toMatchObject({ imageTagMutability: "IMMUTABLE", forceDelete: false, imageScanningConfiguration: { scanOnPush: true } });
      expect(r.inputs.encryptionConfigurations[0].encryptionType).toBe("KMS");
    }
  });

  it("lets the nodes import upstream images under the cache prefixes only", () => {
    const [policy] = rec.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === "gf-node-role");
    const doc = JSON.parse(policy.inputs.policy);
    expect(doc.Statement[0].Action).toEqual(["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"]);
    expect(doc.Statement[0].Resource).toEqual(["ecr-public", "k8s", "quay"].map((p) => `arn:aws:ecr:eu-north-1:123456789012:repository/${p}/*`));
  });
});

describe("images/mirror.sh", () => {
  const { blueprint } = designedStack("gigafactory");
  const script = renderMirrorScript(blueprint, factoryMirrorCopies(blueprint.pools), factoryCharts(blueprint.pools));

  it("copies each chart and each mirrored image into the registry of the factory's region", () => {
    expect(script.path).toBe("images/mirror.sh");
    expect(script.mode).toBe(0o755);
    expect(script.content).toMatch(/^REGION='eu-north-1'$/m);
    for (const c of factoryMirrorCopies(blueprint.pools)) {
      if (c.kind === "chart") expect(script.content).toContain(`helm push "$WORK/${c.repository.slice("charts/".length)}-${c.tag}.tgz" "oci://$REGISTRY/charts"`);
      else expect(script.content).toContain(`crane copy '${c.source}' "$REGISTRY/${c.repository}:${c.tag}"`);
    }
  });

  it("is a script bash can read", () => {
    const file = path.join(tempDir(), "mirror.sh");
    writeFileSync(file, script.content);
    expect(() => execFileSync("bash", ["-n", file])).not.toThrow();
  });
});
