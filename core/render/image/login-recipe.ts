import { shellQuote } from "../../lib/shell";
import type { RenderedFile } from "../files";
import { LOGIN_BASE, LOGIN_IMAGE_PATHS, LOGIN_IMAGE_SOURCES } from "../../catalog/login-image";
import { CLONE_PINNED, RECIPE_TOOLS_DIR, renderClonePinned } from "./recipe-scripts";
import { containerToolsComment, containerToolsCommands } from "./container-tools";
import { slurmdRecipeTag } from "./slurmd-recipe";

// The factory's login image as a recipe (images/login), rendered from core/catalog/login-image.ts: Slinky's login
// with Enroot and Pyxis built as the slurmd image builds them. Built by the foundation layer like the slurmd image
// (recipes.ts), under the hash of these files.

export const LOGIN_RECIPE_DIR = "images/login";

/** The build arguments: the registry the base is mirrored in, and the base's digest there. */
export const LOGIN_RECIPE_ARGS = { registry: "REGISTRY", baseDigest: "LOGIN_BASE_DIGEST" } as const;

// Build tools, and what Enroot needs at run time to import and start an image (squashfs, fuse, pigz, zstd, jq, curl,
// parallel), from the base's own Ubuntu archive.
const UBUNTU_PACKAGES = ["build-essential", "ca-certificates", "curl", "fuse-overlayfs", "git", "jq", "libcap2-bin", "parallel", "pigz", "squashfs-tools", "squashfuse", "zstd"];

const run = (commands: string[]): string[] => commands.map((c, i) => `${i === 0 ? "RUN " : "    "}${c}${i < commands.length - 1 ? " && \\" : ""}`);

/** The checks the build ends with: Enroot and Pyxis where srun and the plugstack include find them. */
export function loginEntryPoints(): Array<{ path: string; test: "-x" | "-f" }> {
  const p = LOGIN_IMAGE_PATHS;
  return [
    { path: `${p.containerToolsPrefix}/bin/enroot`, test: "-x" },
    { path: `${p.containerToolsPrefix}/lib/slurm/spank_pyxis.so`, test: "-f" },
    { path: `${p.pyxisConfDir}/pyxis.conf`, test: "-f" },
  ];
}

export function renderLoginDockerfile(): string {
  const base = LOGIN_BASE;
  const p = LOGIN_IMAGE_PATHS;
  const release = LOGIN_IMAGE_SOURCES.slurmHeaders.release;
  const manifest = Object.values(LOGIN_IMAGE_SOURCES).map((s) => `${s.repository} ${s.tag} ${s.commit}`);
  return [
    "# syntax=docker/dockerfile:1",
    "# The factory's login image: Slinky's login with Enroot and Pyxis, the slurmd image's pins, so srun --container-image",
    "# works from a login shell. Rendered by gigafactory from core/catalog/login-image.ts; change the catalog, not this file.",
    `ARG ${LOGIN_RECIPE_ARGS.registry}`,
    `ARG ${LOGIN_RECIPE_ARGS.baseDigest}${base.digest ? `=${base.digest}` : ""}`,
    `FROM \${${LOGIN_RECIPE_ARGS.registry}}/${base.localRepository}:${base.image.tag}@\${${LOGIN_RECIPE_ARGS.baseDigest}}`,
    `ARG ${LOGIN_RECIPE_ARGS.baseDigest}`,
    'SHELL ["/bin/bash", "-euo", "pipefail", "-c"]',
    "ENV DEBIAN_FRONTEND=noninteractive",
    `COPY --chmod=0755 ${CLONE_PINNED} ${RECIPE_TOOLS_DIR}/`,
    "",
    `# Slurm ${release}: the release Pyxis is built for.`,
    ...run([`srun --version | grep -q '^slurm ${release.replace(".", "\\.")}\\.'`]),
    ...run(["apt-get update", `apt-get install -y --no-install-recommends ${UBUNTU_PACKAGES.join(" ")}`, "rm -rf /var/lib/apt/lists/*"]),
    "",
    containerToolsComment(),
    ...run(containerToolsCommands(p.containerToolsPrefix)),
    "",
    "# What the image is built from, and the check that srun finds Enroot and Pyxis.",
    ...run([
      `mkdir -p ${p.manifest.replace(/\/[^/]+$/, "")}`,
      `printf '%s\\n' "base ${base.localRepository}:${base.image.tag}@\${${LOGIN_RECIPE_ARGS.baseDigest}}" ${manifest.map(shellQuote).join(" ")} > ${p.manifest}`,
      ...loginEntryPoints().map((e) => `test ${e.test} ${e.path}`),
    ]),
    "",
  ].join("\n");
}

/** Every file of the recipe, as images/login holds it. */
export function renderLoginRecipe(): RenderedFile[] {
  return [
    { path: `${LOGIN_RECIPE_DIR}/Dockerfile`, content: renderLoginDockerfile() },
    { path: `${LOGIN_RECIPE_DIR}/${CLONE_PINNED}`, content: renderClonePinned(), mode: 0o755 },
  ];
}

/** The image's immutable tag: the recipe's hash, as the slurmd image's. */
export function loginRecipeTag(files: readonly RenderedFile[] = renderLoginRecipe()): string {
  return slurmdRecipeTag(files);
}
