import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDockerfile, fromImages, type DockerInstruction } from "../../../../core/lib/dockerfile";
import { renderSlurmdRecipe, slurmdRecipeTag, slurmVersionNumber, SLURMD_RECIPE_DIR, RECIPE_ARGS } from "../../../../core/render/image/slurmd-recipe";
import { CLONE_PINNED, FETCH_VERIFIED, IMPORT_KEY, renderClonePinned, renderFetchVerified } from "../../../../core/render/image/recipe-scripts";
import { CUDA, DCGM, EFA_INSTALLER, SLURM_HEADERS, SLURMD_BASE, SLURMD_IMAGE_SOURCES, type PinnedSource } from "../../../../core/catalog/slurmd-image";
import { SLURM_CHART } from "../../../../core/catalog/slinky-charts";
import { amiVariant, EKS_NVIDIA_AMI_DRIVER } from "../../../../core/catalog/ami";
import { instanceType } from "../../../../core/catalog/instances";
import { slurmdImageBuildSpec } from "../../../../core/render/aws/slurmd-image-build";
import { ROOT } from "../../../support/cli-run";
import { expectRecipeInRepository } from "../../../fixtures/image/recipe-files";
import { RENDERERS } from "../../../../cli/commands/render-run";
import { designedStack } from "../../../fixtures/kubernetes/stacks";

// The recipe in images/slurmd is the catalog's, rendered: every base, download and source tree in it is pinned by
// version and by a digest, checksum, signing key or commit, each with its source, and the build checks each one.

const files = renderSlurmdRecipe();
const dockerfile = files.find((f) => f.path.endsWith("/Dockerfile"))!.content;
const instructions = parseDockerfile(dockerfile);
const scratch = mkdtempSync(join(tmpdir(), "gf-recipe-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Each shell command of the recipe's RUN instructions (split at `&&`). */
function commands(list: readonly DockerInstruction[]): string[] {
  return list.filter((i) => i.instruction === "RUN").flatMap((i) => i.args.split(/\s*&&\s*/).map((c) => c.trim()));
}

describe("the recipe in the repository", () => {
  it("is the catalog's rendering, file for file (GIGAFACTORY_RECIPE=write rewrites it)", () => {
    expectRecipeInRepository(files, __filename);
    expect(files.every((f) => f.path.startsWith(`${SLURMD_RECIPE_DIR}/`))).toBe(true);
  });

  it("is what `gigafactory render` writes under images/slurmd, for a build by hand", () => {
    const images = RENDERERS.find((r) => r.folder === "images")!;
    const written = images.render({ blueprint: designedStack("dev").blueprint } as any).filter((f) => f.path.startsWith(`${SLURMD_RECIPE_DIR}/`));
    expect(written).toEqual(files);
  });

  it("parses as a Dockerfile with one stage", () => {
    expect(instructions.filter((i) => i.instruction === "FROM")).toHaveLength(1);
    expect(instructions.some((i) => i.instruction === "RUN")).toBe(true);
  });
});

describe("every base is pinned by digest", () => {
  it("builds FROM the slurmd image the slurm chart deploys, in the factory's registry, at a digest", () => {
    const [from] = fromImages(instructions, { [RECIPE_ARGS.registry]: "123456789012.dkr.ecr.eu-central-1.amazonaws.com" });
    expect(from!.image).toMatch(new RegExp(`^123456789012\\.dkr\\.ecr\\.eu-central-1\\.amazonaws\\.com/${SLURMD_BASE.localRepository}:${SLURMD_BASE.image.tag.replace(/\./g, "\\.")}@`));
    const digest = from!.image.split("@")[1];
    if (SLURMD_BASE.digest) expect(digest).toBe(SLURMD_BASE.digest);
    else {
      // No published digest: the build passes the immutable mirrored tag's digest, and nothing else.
      expect(digest).toBe(`\${${RECIPE_ARGS.baseDigest}}`);
      const spec = slurmdImageBuildSpec({ region: "eu-central-1", repository: "gigafactory/slurmd", tag: slurmdRecipeTag(), files });
      expect(spec).toContain(`aws ecr describe-images --repository-name ${SLURMD_BASE.localRepository} --image-ids imageTag=${SLURMD_BASE.image.tag}`);
      expect(spec).toMatch(new RegExp(`--build-arg ${RECIPE_ARGS.baseDigest}="\\$BASE_DIGEST"`));
    }
    expect(SLURM_CHART.version).toBeTruthy();
  });

  it("never builds from a moving tag", () => {
    for (const f of fromImages(instructions, { [RECIPE_ARGS.registry]: "r", [RECIPE_ARGS.baseDigest]: `sha256:${"a".repeat(64)}` })) {
      expect(f.image).toMatch(/@sha256:[0-9a-f]{64}$/);
      expect(f.image).not.toMatch(/:latest\b/);
    }
  });
});

describe("every download is pinned by version and checksum, with its source", () => {
  const run = commands(instructions);
  const network = run.filter((c) => /^(curl|wget)\b|\bgit clone\b/.test(c) || c.includes(FETCH_VERIFIED) || c.includes(CLONE_PINNED) || c.includes(IMPORT_KEY));

  it("fetches only through the checking scripts (a signature only when gpgv then checks it)", () => {
    for (const c of network) {
      const raw = /^curl\b/.test(c);
      if (raw) {
        const out = /-o (\S+\.sig) /.exec(c)?.[1];
        expect(out, c).toBeTruthy();
        expect(run.some((d) => d.startsWith("gpgv ") && d.includes(out!)), c).toBe(true);
      } else expect(c, c).toMatch(new RegExp(`/(${FETCH_VERIFIED}|${CLONE_PINNED}|${IMPORT_KEY}) `));
    }
    expect(network.length).toBeGreaterThan(5);
  });

  it("the EFA installer at its version, with AWS's SHA-256, its size and AWS's signing key", () => {
    const fetch = run.filter((c) => c.includes(FETCH_VERIFIED));
    expect(fetch).toHaveLength(1);
    const [, url, sha, size] = fetch[0]!.split(/\s+/);
    expect(url).toBe(EFA_INSTALLER.url);
    expect(url).toContain(`aws-efa-installer-${EFA_INSTALLER.version}.tar.gz`);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(sha).toBe(EFA_INSTALLER.sha256);
    expect(size).toBe(String(EFA_INSTALLER.sizeBytes));
    expect(run.some((c) => c.includes(IMPORT_KEY) && c.includes(EFA_INSTALLER.gpgFingerprint))).toBe(true);
  });

  it("every source tree at its tag and the tag's pinned commit", () => {
    const clones = run.filter((c) => c.includes(CLONE_PINNED)).map((c) => c.split(/\s+/).slice(1, 4));
    const pinned = Object.values(SLURMD_IMAGE_SOURCES as Record<string, PinnedSource>);
    expect(clones.map(([repository]) => repository).sort()).toEqual(pinned.map((s) => s.repository).sort());
    for (const [repository, tag, commit] of clones) {
      const pin = pinned.find((s) => s.repository === repository)!;
      expect([tag, commit]).toEqual([pin.tag, pin.commit]);
      expect(commit).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it("the CUDA userspace at pinned versions, from a repository whose key has the pinned fingerprint", () => {
    const install = run.find((c) => c.startsWith("apt-get install") && c.includes("cuda-"))!;
    for (const [name, version] of Object.entries(CUDA.packages)) expect(install).toContain(`${name}=${version}`);
    expect(install.split(/\s+/).filter((w) => w.startsWith("cuda-")).every((w) => w.includes("="))).toBe(true);
    expect(run.some((c) => c.includes(IMPORT_KEY) && c.includes(`${CUDA.repository}/${CUDA.keyFile} ${CUDA.keyFingerprint}`))).toBe(true);
  });

  it("DCGM at pinned versions of one release, from the same keyed repository, its client and host engine checked", () => {
    const install = run.find((c) => c.startsWith("apt-get install") && c.includes("datacenter-gpu-manager"))!;
    const named = install.split(/\s+/).filter((w) => w.startsWith("datacenter-gpu-manager"));
    expect(named.sort()).toEqual(Object.entries(DCGM.packages).map(([n, v]) => `${n}=${v}`).sort());
    for (const version of Object.values(DCGM.packages)) expect(version).toBe(`1:${DCGM.version}-1`);
    // The diagnostics for the CUDA major of the nodes' driver.
    expect(Object.keys(DCGM.packages)).toContain(`datacenter-gpu-manager-4-cuda${EKS_NVIDIA_AMI_DRIVER.cuda.split(".")[0]}`);
    expect(run.indexOf(install)).toBeGreaterThan(run.findIndex((c) => c.includes(CUDA.keyFingerprint)));
    expect(run).toContain(`apt-mark hold ${Object.keys(DCGM.packages).join(" ")}`);
    expect(run).toContain("test -x /usr/bin/nv-hostengine");
  });

  it("every pin cites an entry of docs/sources.md", () => {
    const sources = readFileSync(join(ROOT, "docs/sources.md"), "utf8");
    const cited = [EFA_INSTALLER.source, CUDA.source, DCGM.source, ...Object.values(SLURMD_IMAGE_SOURCES as Record<string, PinnedSource>).map((s) => s.source)];
    for (const c of cited) expect(sources, c).toContain(`### ${c.split("#")[1]}`);
  });
});

describe("the CUDA userspace and the nodes' driver", () => {
  it("is a CUDA release of the major the GPU pools' AMI driver carries, and refuses to start on an older driver", () => {
    const { blueprint } = designedStack("gigafactory");
    for (const pool of blueprint.pools.filter((p) => p.nodes > 0)) expect(amiVariant(instanceType(pool.instanceType)!), pool.name).toBe("nvidia");
    expect(CUDA.release.split(".")[0]).toBe(EKS_NVIDIA_AMI_DRIVER.cuda.split(".")[0]);
    expect(Number(CUDA.release.split(".")[1])).toBeGreaterThanOrEqual(Number(EKS_NVIDIA_AMI_DRIVER.cuda.split(".")[1]));
    expect(instructions.filter((i) => i.instruction === "ENV").map((i) => i.args)).toContain(`NVIDIA_REQUIRE_CUDA=cuda>=${EKS_NVIDIA_AMI_DRIVER.cuda}`);
  });
});

describe("the GPUs a container of the image sees", () => {
  it("are none unless the device plugin names them or the pod asks for all, so no sidecar bypasses the device plugin", () => {
    const env = instructions.filter((i) => i.instruction === "ENV").map((i) => i.args).join(" ");
    expect(env).toMatch(/(^| )NVIDIA_VISIBLE_DEVICES=void( |$)/);
    expect(env).not.toMatch(/NVIDIA_VISIBLE_DEVICES=all/);
  });
});

describe("Pyxis against the pinned Slurm headers", () => {
  it("writes slurm_version.h as configure would, for the release the base is checked to run", () => {
    const run = commands(instructions);
    expect(slurmVersionNumber()).toBe("0x1a0503");
    expect(SLURM_HEADERS.tag).toBe(`slurm-${SLURM_HEADERS.version.map((n, i) => (i === 1 ? String(n).padStart(2, "0") : n)).join("-")}-1`);
    expect(run).toContain(`slurmd -V | grep -q '^slurm ${SLURM_HEADERS.release.replace(".", "\\.")}\\.'`);
    const sed = run.find((c) => c.includes("slurm_version.h.in"))!;
    expect(sed).toContain("#define SLURM_VERSION_NUMBER 0x1a0503");
    expect(run.indexOf(sed)).toBeLessThan(run.findIndex((c) => c.includes("/usr/local/src/pyxis") && c.startsWith("make")));
  });
});

describe("the image's tag follows the recipe", () => {
  it("is stable for the same files and changes with any byte of any file", () => {
    const tag = slurmdRecipeTag(files);
    expect(tag).toMatch(/^recipe-[0-9a-f]{20}$/);
    expect(slurmdRecipeTag([...files].reverse())).toBe(tag);
    const changed = files.map((f, i) => (i === 1 ? { ...f, content: `${f.content} ` } : f));
    expect(slurmdRecipeTag(changed)).not.toBe(tag);
  });
});

describe("the build scripts refuse what is not pinned", { timeout: 30_000 }, () => {
  const write = (name: string, content: string) => {
    const path = join(scratch, name);
    writeFileSync(path, content);
    chmodSync(path, 0o755);
    return path;
  };
  const bin = join(scratch, "bin");
  mkdirSync(bin, { recursive: true });
  // curl as the network would answer: the bytes of FAKE_BODY into -o.
  writeFileSync(join(bin, "curl"), '#!/usr/bin/env bash\nwhile [ $# -gt 0 ]; do if [ "$1" = -o ]; then printf %s "$FAKE_BODY" > "$2"; shift; fi; shift; done\n');
  chmodSync(join(bin, "curl"), 0o755);
  const fetch = write(FETCH_VERIFIED, renderFetchVerified());
  const clone = write(CLONE_PINNED, renderClonePinned());
  const sha = (s: string) => spawnSync("sha256sum", { input: s, encoding: "utf8" }).stdout.split(" ")[0]!;
  const env = { PATH: `${bin}:/usr/bin:/bin`, FAKE_BODY: "installer bytes" };

  it("fetch-verified keeps a download whose SHA-256 and size are the pinned ones", () => {
    const out = join(scratch, "ok.tgz");
    const r = spawnSync("bash", [fetch, "https://example.invalid/a.tgz", sha("installer bytes"), "15", out], { env, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(readFileSync(out, "utf8")).toBe("installer bytes");
  });

  it.each([
    ["another SHA-256", () => sha("other bytes"), "-", /has SHA-256 [0-9a-f]{64}, the pin says/],
    ["another size", () => sha("installer bytes"), "16", /is 15 bytes, the pin says 16/],
    ["no SHA-256 at all", () => "latest", "-", /is not a SHA-256/],
  ])("fetch-verified refuses a download with %s", (_what, digest, size, message) => {
    const out = join(scratch, "bad.tgz");
    const r = spawnSync("bash", [fetch, "https://example.invalid/a.tgz", digest(), size, out], { env, encoding: "utf8" });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(() => statSync(out)).toThrow();
  });

  it("clone-pinned keeps the tree only when the tag is the pinned commit", () => {
    const repo = join(scratch, "upstream");
    const git = (...args: string[]) => spawnSync("git", ["-C", repo, ...args], { encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.invalid", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.invalid" } });
    mkdirSync(repo, { recursive: true });
    git("init", "-q");
    writeFileSync(join(repo, "f"), "v1");
    git("add", "f");
    git("commit", "-q", "-m", "v1");
    git("tag", "v1.0");
    const commit = git("rev-parse", "HEAD").stdout.trim();
    const good = spawnSync("bash", [clone, `file://${repo}`, "v1.0", commit, join(scratch, "good")], { encoding: "utf8" });
    expect(good.status, good.stderr).toBe(0);
    expect(readFileSync(join(scratch, "good", "f"), "utf8")).toBe("v1");
    const moved = spawnSync("bash", [clone, `file://${repo}`, "v1.0", "0".repeat(40), join(scratch, "moved")], { encoding: "utf8" });
    expect(moved.status).toBe(1);
    expect(moved.stderr).toMatch(new RegExp(`v1\\.0 is ${commit}, the pin says 0{40}`));
    expect(() => statSync(join(scratch, "moved"))).toThrow();
  });
});
