import { createHash } from "node:crypto";
import { shellQuote } from "../../lib/shell";
import type { RenderedFile } from "../files";
import {
  AWS_OFI_NCCL,
  CUDA,
  CUDA_GENCODE,
  DCGM,
  EFA_INSTALLER,
  ENROOT,
  NCCL,
  NCCL_TESTS,
  PYXIS,
  SLURM_HEADERS,
  SLURMD_BASE,
  SLURMD_IMAGE_PATHS,
  SLURMD_IMAGE_REPOSITORY,
  type PinnedSource,
} from "../../catalog/slurmd-image";
import {
  CHECK_IMAGE,
  CLONE_PINNED,
  FETCH_VERIFIED,
  IMPORT_KEY,
  RECIPE_TOOLS_DIR,
  renderCheckImage,
  renderClonePinned,
  renderFetchVerified,
  renderImportKey,
} from "./recipe-scripts";

// The factory's slurmd image as a recipe: a Dockerfile and its build scripts, rendered from the catalog's pins
// (core/catalog/slurmd-image.ts) and kept in the repository under images/slurmd. The build (the foundation layer's
// image build) runs it; its tag is the hash of these files, so a changed pin is a new, immutable tag.

export const SLURMD_RECIPE_DIR = "images/slurmd";

/** The build arguments the build passes: the registry the base is mirrored in, and the base's digest there. */
export const RECIPE_ARGS = { registry: "REGISTRY", baseDigest: "SLURMD_BASE_DIGEST" } as const;

const SRC = "/usr/local/src";
const tool = (name: string): string => `${RECIPE_TOOLS_DIR}/${name}`;
const clone = (s: PinnedSource, dir: string): string => `${tool(CLONE_PINNED)} ${s.repository} ${s.tag} ${s.commit} ${dir}`;

// Build tools and what Enroot, Pyxis and aws-ofi-nccl need at run time, from the base's own Ubuntu archive (apt checks
// them against the archive's key in the base).
const UBUNTU_PACKAGES = [
  "autoconf", "automake", "build-essential", "ca-certificates", "curl", "fuse-overlayfs", "git", "gnupg", "jq",
  "libcap2-bin", "libhwloc-dev", "libopenmpi-dev", "libtool", "parallel", "pigz", "pkg-config", "squashfs-tools",
  "squashfuse", "zstd",
];

function lines(...groups: string[][]): string {
  return groups.map((g) => g.join("\n")).join("\n\n");
}

/** A RUN whose commands are joined by `&&`, one a line. */
function run(commands: string[]): string[] {
  return commands.map((c, i) => `${i === 0 ? "RUN " : "    "}${c}${i < commands.length - 1 ? " && \\" : ""}`);
}

export function renderSlurmdDockerfile(): string {
  const p = SLURMD_IMAGE_PATHS;
  const base = SLURMD_BASE.image;
  const cudaPackages = Object.entries(CUDA.packages).map(([name, version]) => `${name}=${version}`);
  const dcgmPackages = Object.entries(DCGM.packages).map(([name, version]) => `${name}=${version}`);
  const efaArchive = "/tmp/aws-efa-installer.tar.gz";
  const ldPaths = [p.cudaLibDir, p.efaLibDir, `${p.ncclHome}/lib`, `${p.ofiNcclHome}/lib`];
  return `${lines(
    [
      "# syntax=docker/dockerfile:1",
      "# The factory's slurmd image: Slinky's slurmd with the EFA userspace, NCCL, aws-ofi-nccl, nccl-tests, the CUDA",
      "# userspace, DCGM, Pyxis and Enroot. Rendered by gigafactory from core/catalog/slurmd-image.ts; change the catalog, not this file.",
      `ARG ${RECIPE_ARGS.registry}`,
      // The base's digest: the catalog's when it has one, else the immutable mirrored tag's, resolved by the build.
      `ARG ${RECIPE_ARGS.baseDigest}${SLURMD_BASE.digest ? `=${SLURMD_BASE.digest}` : ""}`,
      `FROM \${${RECIPE_ARGS.registry}}/${SLURMD_BASE.localRepository}:${base.tag}@\${${RECIPE_ARGS.baseDigest}}`,
      `ARG ${RECIPE_ARGS.baseDigest}`,
      'SHELL ["/bin/bash", "-euo", "pipefail", "-c"]',
      "ENV DEBIAN_FRONTEND=noninteractive",
      `COPY --chmod=0755 ${FETCH_VERIFIED} ${CLONE_PINNED} ${IMPORT_KEY} ${CHECK_IMAGE} ${RECIPE_TOOLS_DIR}/`,
    ],
    [
      `# Slurm ${SLURM_HEADERS.release}: the release Pyxis is built for.`,
      ...run([`slurmd -V | grep -q '^slurm ${SLURM_HEADERS.release.replace(".", "\\.")}\\.'`]),
      ...run(["apt-get update", `apt-get install -y --no-install-recommends ${UBUNTU_PACKAGES.join(" ")}`, "rm -rf /var/lib/apt/lists/*"]),
    ],
    [
      `# CUDA ${CUDA.release} userspace from NVIDIA's repository, its key taken only with the pinned fingerprint (${CUDA.source}).`,
      ...run([
        `${tool(IMPORT_KEY)} ${CUDA.repository}/${CUDA.keyFile} ${CUDA.keyFingerprint} /usr/share/keyrings/cuda-archive-keyring.gpg`,
        `echo 'deb [signed-by=/usr/share/keyrings/cuda-archive-keyring.gpg] ${CUDA.repository}/ /' > /etc/apt/sources.list.d/cuda.list`,
        "apt-get update",
        `apt-get install -y --no-install-recommends ${cudaPackages.join(" ")}`,
        `apt-mark hold ${Object.keys(CUDA.packages).join(" ")}`,
        "rm -rf /var/lib/apt/lists/*",
        `ln -sfn /usr/local/cuda-${CUDA.release} /usr/local/cuda`,
      ]),
      `# DCGM ${DCGM.version} from the same repository, for the health checks' dcgmi diag (${DCGM.source}).`,
      ...run([
        "apt-get update",
        `apt-get install -y --no-install-recommends ${dcgmPackages.join(" ")}`,
        `apt-mark hold ${Object.keys(DCGM.packages).join(" ")}`,
        "rm -rf /var/lib/apt/lists/*",
        `test -x ${p.dcgmBinDir}/dcgmi`,
        `test -x ${p.dcgmBinDir}/nv-hostengine`,
      ]),
    ],
    [
      `# EFA userspace ${EFA_INSTALLER.version} (libfabric ${EFA_INSTALLER.libfabricPackage}): digest, size and AWS's signature checked.`,
      // No kernel module (the node's AMI has it), no limits file, no Open MPI (the base's, with PMIx) and no plugin (below).
      ...run([
        `${tool(FETCH_VERIFIED)} ${EFA_INSTALLER.url} ${EFA_INSTALLER.sha256} ${EFA_INSTALLER.sizeBytes ?? "-"} ${efaArchive}`,
        `${tool(IMPORT_KEY)} https://efa-installer.amazonaws.com/aws-efa-installer.key ${EFA_INSTALLER.gpgFingerprint} /tmp/aws-efa-installer.gpg`,
        `curl --fail --silent --show-error --location --proto '=https' -o ${efaArchive}.sig ${EFA_INSTALLER.url}.sig`,
        `gpgv --keyring /tmp/aws-efa-installer.gpg ${efaArchive}.sig ${efaArchive}`,
        `tar -xzf ${efaArchive} -C /tmp`,
        "cd /tmp/aws-efa-installer",
        "./efa_installer.sh -y --skip-kmod --skip-limit-conf --skip-mpi --skip-plugin --no-verify",
        "cd /",
        `rm -rf /tmp/aws-efa-installer ${efaArchive} ${efaArchive}.sig /tmp/aws-efa-installer.gpg`,
        `test -x ${p.efaBinDir}/fi_info`,
      ]),
    ],
    [
      `# NCCL ${NCCL.tag}, built for the factory's GPUs.`,
      ...run([
        clone(NCCL, `${SRC}/nccl`),
        `make -C ${SRC}/nccl -j"$(nproc)" src.build CUDA_HOME=/usr/local/cuda BUILDDIR=${p.ncclHome} NVCC_GENCODE=${shellQuote(CUDA_GENCODE)}`,
        `rm -rf ${SRC}/nccl`,
      ]),
      `# aws-ofi-nccl ${AWS_OFI_NCCL.tag}: NCCL's network plugin for EFA.`,
      ...run([
        clone(AWS_OFI_NCCL, `${SRC}/aws-ofi-nccl`),
        `cd ${SRC}/aws-ofi-nccl`,
        "./autogen.sh",
        `./configure --prefix=${p.ofiNcclHome} --with-libfabric=/opt/amazon/efa --with-cuda=/usr/local/cuda --enable-platform-aws --disable-tests`,
        'make -j"$(nproc)"',
        "make install",
        "cd /",
        `rm -rf ${SRC}/aws-ofi-nccl`,
      ]),
      `RUN printf '%s\\n' ${ldPaths.join(" ")} > /etc/ld.so.conf.d/gigafactory.conf && ldconfig`,
    ],
    [
      `# nccl-tests ${NCCL_TESTS.tag} with MPI (the base's Open MPI), so srun --mpi=pmix starts one rank per GPU.`,
      ...run([
        clone(NCCL_TESTS, "/opt/nccl-tests"),
        `make -C /opt/nccl-tests -j"$(nproc)" MPI=1 MPI_HOME=/usr/lib/x86_64-linux-gnu/openmpi CUDA_HOME=/usr/local/cuda NCCL_HOME=${p.ncclHome} NVCC_GENCODE=${shellQuote(CUDA_GENCODE)}`,
      ]),
    ],
    [
      `# Enroot ${ENROOT.tag} and Pyxis ${PYXIS.tag} (against Slurm ${SLURM_HEADERS.tag}'s headers): srun --container-image.`,
      ...run([
        clone(ENROOT, `${SRC}/enroot`),
        `make -C ${SRC}/enroot prefix=${p.containerToolsPrefix} install`,
        `make -C ${SRC}/enroot prefix=${p.containerToolsPrefix} setcap`,
        clone(SLURM_HEADERS, `${SRC}/slurm`),
        // What configure would write: the release's version number, as SLURM_VERSION_NUM computes it.
        `sed 's/^#undef SLURM_VERSION_NUMBER$/#define SLURM_VERSION_NUMBER ${slurmVersionNumber()}/' ${SRC}/slurm/slurm/slurm_version.h.in > ${SRC}/slurm/slurm/slurm_version.h`,
        clone(PYXIS, `${SRC}/pyxis`),
        `make -C ${SRC}/pyxis prefix=${p.containerToolsPrefix} CPPFLAGS=-I${SRC}/slurm install`,
        `rm -rf ${SRC}/enroot ${SRC}/slurm ${SRC}/pyxis`,
      ]),
    ],
    [
      "# What the health checks and the jobs find: the tools on PATH, NCCL through EFA, the driver's CUDA floor.",
      `ENV PATH=${p.efaBinDir}:${p.cudaBinDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      // NCCL loads libnccl-net-<name>.so from the library path (ld.so.conf above): aws-ofi-nccl's is "ofi".
      "ENV NCCL_NET_PLUGIN=ofi",
      // No GPU unless one is asked for: the device plugin names a slurmd pod's GPUs in this variable, the node-health
      // checks ask for all; a container of the image that asks for none (a sidecar, a launcher) gets none.
      "ENV NVIDIA_VISIBLE_DEVICES=void NVIDIA_DRIVER_CAPABILITIES=compute,utility",
      `ENV NVIDIA_REQUIRE_CUDA=cuda>=${CUDA.nodeDriverCuda}`,
      ...run([
        `mkdir -p ${p.manifest.replace(/\/[^/]+$/, "")}`,
        `printf '%s\\n' "base ${SLURMD_BASE.localRepository}:${base.tag}@\${${RECIPE_ARGS.baseDigest}}" ${manifestLines().map(shellQuote).join(" ")} > ${p.manifest}`,
        tool(CHECK_IMAGE),
      ]),
    ],
  )}\n`;
}

/** SLURM_VERSION_NUM(major, minor, micro) of the pinned headers, in hex as configure writes it. */
export function slurmVersionNumber(): string {
  const [major, minor, micro] = SLURM_HEADERS.version;
  return `0x${((major << 16) + (minor << 8) + micro).toString(16).padStart(6, "0")}`;
}

/** The image's inputs, one a line, as /etc/gigafactory/slurmd-image.txt records them. */
export function manifestLines(): string[] {
  return [
    `efa-installer ${EFA_INSTALLER.version} sha256:${EFA_INSTALLER.sha256}`,
    `cuda ${CUDA.release} ${Object.entries(CUDA.packages).map(([n, v]) => `${n}=${v}`).join(" ")}`,
    `dcgm ${DCGM.version} ${Object.entries(DCGM.packages).map(([n, v]) => `${n}=${v}`).join(" ")}`,
    ...[NCCL, AWS_OFI_NCCL, NCCL_TESTS, ENROOT, PYXIS, SLURM_HEADERS].map((s) => `${s.repository} ${s.tag} ${s.commit}`),
  ];
}

/** Every file of the recipe, as images/slurmd holds it. */
export function renderSlurmdRecipe(): RenderedFile[] {
  return [
    { path: `${SLURMD_RECIPE_DIR}/Dockerfile`, content: renderSlurmdDockerfile() },
    { path: `${SLURMD_RECIPE_DIR}/${FETCH_VERIFIED}`, content: renderFetchVerified(), mode: 0o755 },
    { path: `${SLURMD_RECIPE_DIR}/${CLONE_PINNED}`, content: renderClonePinned(), mode: 0o755 },
    { path: `${SLURMD_RECIPE_DIR}/${IMPORT_KEY}`, content: renderImportKey(), mode: 0o755 },
    { path: `${SLURMD_RECIPE_DIR}/${CHECK_IMAGE}`, content: renderCheckImage(), mode: 0o755 },
  ];
}

/** The image's immutable tag: the recipe's hash (files by name, each with its length), so any change is a new tag. */
export function slurmdRecipeTag(files: readonly RenderedFile[] = renderSlurmdRecipe()): string {
  const hash = createHash("sha256");
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`${f.path}\0${f.content.length}\0${f.content}`);
  return `recipe-${hash.digest("hex").slice(0, 20)}`;
}

/** An image as a pod names it: `repository:tag`, where the tag may carry its digest (`recipe-…@sha256:…`). */
export interface ImageRef {
  repository: string;
  tag: string;
}

export const imageReference = (image: ImageRef): string => `${image.repository}:${image.tag}`;

let recipeTag: string | undefined;

/**
 * The factory's slurmd image in a registry by its immutable recipe tag: what a rendered file names. The stack names it
 * by tag and digest (components/layers/slurmd-image-ref.ts); the repository's tags are immutable, so both are one image.
 */
export function slurmdImageByTag(registry: string): ImageRef {
  recipeTag ??= slurmdRecipeTag();
  return { repository: `${registry}/${SLURMD_IMAGE_REPOSITORY}`, tag: recipeTag };
}
