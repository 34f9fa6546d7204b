import { SLINKY_IMAGES, slinkyLocalRepository } from "./slinky-charts";
import { EKS_NVIDIA_AMI_DRIVER } from "./ami";

// The factory's slurmd image: Slinky's slurmd (the image the slurm chart deploys) with what a GPU job needs on top:
// the EFA userspace (libfabric, rdma-core), NCCL, aws-ofi-nccl, nccl-tests, the CUDA userspace, Pyxis and Enroot.
// Every input is pinned here, by version and by a checksum, a signing key or a commit its publisher gives out, and
// the build checks each one (images/slurmd, rendered by core/render/image/slurmd-recipe.ts).
// To refresh: change a pin below with its source, run `GIGAFACTORY_RECIPE=write npx vitest run
// test/core/render/image/slurmd-recipe.test.ts`, plan: the image's tag follows the recipe's content.

/** Where everything the health checks and acceptance jobs call lives in the image: one place, read by the renderers. */
export const SLURMD_IMAGE_PATHS = {
  /** nccl-tests' binaries (acceptance jobs, the burn-in's in-node all-reduce). */
  ncclTestsDir: "/opt/nccl-tests/build",
  /** libfabric's tools (fi_info, fi_pingpong), as the EFA installer lays them out (docs/sources.md#efa-installer [P]). */
  efaBinDir: "/opt/amazon/efa/bin",
  efaLibDir: "/opt/amazon/efa/lib",
  cudaBinDir: "/usr/local/cuda/bin",
  cudaLibDir: "/usr/local/cuda/lib64",
  /** DCGM's client and host engine, where its packages install them: the health checks' GPU diagnostics. */
  dcgmBinDir: "/usr/bin",
  ncclHome: "/opt/nccl",
  ofiNcclHome: "/opt/amazon/ofi-nccl",
  /** Enroot's and Pyxis' install prefix: `srun --container-image` runs through them. */
  containerToolsPrefix: "/usr/local",
  /** Pyxis' plugstack entry (`required <plugin>`), as its `make install` writes it under the prefix. */
  pyxisConfDir: "/usr/local/share/pyxis",
  /** What the image says about itself (its inputs), for `cat` on a node. */
  manifest: "/etc/gigafactory/slurmd-image.txt",
} as const;

export const NCCL_TESTS_ALL_REDUCE = `${SLURMD_IMAGE_PATHS.ncclTestsDir}/all_reduce_perf`;

/**
 * Slurm's plugstack.conf: Pyxis' entry by include, so slurmd, the srun of a batch script and the login pods' srun
 * load it: this image and the login image (core/catalog/login-image.ts) install Pyxis alike. An include that matches
 * nothing is skipped, so an image without Pyxis still runs plain jobs (docs/sources.md#slurm-spank-plugins [P]).
 */
export const PLUGSTACK_CONF = `include ${SLURMD_IMAGE_PATHS.pyxisConfDir}/*\n`;

/** The one architecture the image is built for: CodeBuild's x86_64 machine, NVIDIA's x86_64 repository, x86_64 MPI paths. */
export const SLURMD_IMAGE_ARCHITECTURE = "x86_64";

/** The image in the factory's registry: one repository, immutable tags derived from the recipe. */
export const SLURMD_IMAGE_REPOSITORY = "gigafactory/slurmd";

// The base is the slurmd image the pinned slurm chart deploys (slinky-charts.ts), as the factory mirrors it into its
// own registry (ECR repository `ghcr/slinkyproject/slurmd`, immutable tags). No digest of the tag could be read from a
// public record [U]: until `crane digest ghcr.io/slinkyproject/slurmd:<tag>` fills `digest`, the build resolves the
// digest of the immutable mirrored tag and builds FROM that digest, and records it in the image's manifest.
export const SLURMD_BASE = {
  image: SLINKY_IMAGES.slurmd,
  localRepository: slinkyLocalRepository(SLINKY_IMAGES.slurmd),
  digest: null as string | null,
} as const;

/** A download: the URL is built from the version; the build refuses it unless its SHA-256 (and size) match. */
export interface PinnedDownload {
  version: string;
  url: string;
  sha256: string;
  sizeBytes?: number;
  source: string;
}

// AWS EFA installer 1.49.0, the stable release the EC2 user guide's EFA setup downloads (docs/sources.md#efa-installer [P]).
// AWS publishes each installer's SHA-256 and signs it with its GPG key (docs/sources.md#efa-installer-verify [P]); the
// digest and size here are as pinned by ai-dynamo/dynamo's container/deps/efa (docs/sources.md#efa-installer-149-pin [S]).
// It ships libfabric 2.4.0amzn5.0 and rdma-core 63.0-1; the build installs no kernel module (the node's AMI has
// it) and neither its Open MPI nor its plugin: the image uses the base's Open MPI (PMIx) and aws-ofi-nccl below.
export const EFA_INSTALLER: PinnedDownload & { gpgFingerprint: string; libfabricPackage: string } = {
  version: "1.49.0",
  url: "https://efa-installer.amazonaws.com/aws-efa-installer-1.49.0.tar.gz",
  sha256: "cf2e9281a2328a243c76f911a490faed43ca0fecfe4733c25e34b2e92a32c309",
  sizeBytes: 702_811_844,
  // The EC2 user guide's fingerprint of aws-efa-installer.key (docs/sources.md#efa-installer-verify [P]).
  gpgFingerprint: "4E9091BCBB97A96B26B15E59A05480B1DD2D3CCC",
  libfabricPackage: "2.4.0amzn5.0",
  source: "docs/sources.md#efa-installer-verify",
};

/** A source tree: cloned at the tag, and refused unless the tag is the commit pinned here. */
export interface PinnedSource {
  repository: string;
  tag: string;
  commit: string;
  source: string;
}

// Each tag's commit as the project's own repository records it (git rev-parse <tag>^{commit}, docs/sources.md#slurmd-image-sources [P]).
export const NCCL: PinnedSource = {
  repository: "https://github.com/NVIDIA/nccl.git",
  tag: "v2.30.7-1",
  commit: "73cf112295c33aee2b895f329f592f2a9b4b0f97",
  source: "docs/sources.md#slurmd-image-sources",
};

// The plugin NCCL reaches EFA through (libfabric); 1.21.1 is the newest release [P].
export const AWS_OFI_NCCL: PinnedSource = {
  repository: "https://github.com/aws/aws-ofi-nccl.git",
  tag: "v1.21.1",
  commit: "2475c4c736907e68ebeadb3848f31231ee4a44d0",
  source: "docs/sources.md#slurmd-image-sources",
};

export const NCCL_TESTS: PinnedSource = {
  repository: "https://github.com/NVIDIA/nccl-tests.git",
  tag: "v2.19.6",
  commit: "a0b82b2260cf5152b9f8c061bbf7eaf0ba096432",
  source: "docs/sources.md#slurmd-image-sources",
};

// Pyxis (the SPANK plugin behind `srun --container-image`) and Enroot, the container runtime it drives [P].
export const PYXIS: PinnedSource = {
  repository: "https://github.com/NVIDIA/pyxis.git",
  tag: "v0.24.0",
  commit: "107519944221822ea1dace4db8e7234b2eaa4cd5",
  source: "docs/sources.md#slurmd-image-sources",
};

export const ENROOT: PinnedSource = {
  repository: "https://github.com/NVIDIA/enroot.git",
  tag: "v4.1.2",
  commit: "bd51f53b6fa954805ae3e1985c5dc7594ff66d05",
  source: "docs/sources.md#slurmd-image-sources",
};

// Pyxis compiles against Slurm's public headers (slurm/spank.h, and slurm_version.h, which Slurm's configure writes
// from slurm_version.h.in). Slurm loads a SPANK plugin whose version has its own major and minor release, whatever the
// micro (docs/sources.md#slurm-spank-plugins [P]), so the headers come from the newest 26.05 release and the build
// checks the base runs 26.05.
export const SLURM_HEADERS: PinnedSource & { release: string; version: [number, number, number] } = {
  repository: "https://github.com/SchedMD/slurm.git",
  tag: "slurm-26-05-3-1",
  commit: "56fe867884038ba2074bd414075b60c2fb1d68bb",
  release: "26.05",
  version: [26, 5, 3],
  source: "docs/sources.md#slurmd-image-sources",
};

// The CUDA userspace, from NVIDIA's apt repository for the base's Ubuntu (26.04). apt checks every package against
// the repository's signed index; the build imports the repository's key only if its fingerprint is the one pinned
// (docs/sources.md#nvidia-cuda-repository [S]). The GPU nodes run the EKS AL2023 NVIDIA AMI, whose driver is the 580
// branch for every Kubernetes version (docs/sources.md#eks-ami-nvidia-driver [P]): 580 is CUDA 13.0's driver, and CUDA
// 13's minor-version compatibility runs a 13.x userspace on any 13.0 driver (docs/sources.md#cuda-compatibility [P]).
export const CUDA = {
  release: "13.3",
  /** The driver branch of the nodes' AMI, and the CUDA it carries: the container toolkit refuses older drivers. */
  nodeDriverBranch: EKS_NVIDIA_AMI_DRIVER.branch,
  nodeDriverCuda: EKS_NVIDIA_AMI_DRIVER.cuda,
  repository: "https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2604/x86_64",
  keyFile: "8793F200.pub",
  keyFingerprint: "02182E60104FCDC26EAE1B8597A5D4CB8793F200",
  // The packages nvidia/cuda:13.3.0-devel-ubuntu26.04 pins (docs/sources.md#nvidia-cuda-repository [S]): the runtime,
  // nvcc and headers for building NCCL and nccl-tests, NVML for nvidia-smi's library users.
  packages: {
    "cuda-cudart-13-3": "13.3.29-1",
    "cuda-cudart-dev-13-3": "13.3.29-1",
    "cuda-minimal-build-13-3": "13.3.0-1",
    "cuda-nvml-dev-13-3": "13.3.29-1",
  } as Readonly<Record<string, string>>,
  source: "docs/sources.md#nvidia-cuda-repository",
} as const;

// DCGM, for the health checks' `dcgmi diag`, from the same NVIDIA repository (its packages checked against the signed
// index as the CUDA ones are): the core (nv-hostengine, dcgmi), the proprietary modules and the CUDA 13 diagnostics,
// the major of the nodes' driver (DCGM installation guide, docs/sources.md#dcgm-packages [P]). 4.5.3 is the DCGM the
// factory's dcgm-exporter (4.5.3-4.8.2, core/catalog/images.ts) embeds: one DCGM release on every node. The checks
// start their own nv-hostengine in the container: the node's AMI runs none (health/script.ts).
export const DCGM = {
  version: "4.5.3",
  packages: {
    "datacenter-gpu-manager-4-core": "1:4.5.3-1",
    "datacenter-gpu-manager-4-proprietary": "1:4.5.3-1",
    "datacenter-gpu-manager-4-cuda13": "1:4.5.3-1",
  } as Readonly<Record<string, string>>,
  source: "docs/sources.md#dcgm-packages",
} as const;

// The GPUs NCCL and nccl-tests are compiled for: Hopper (P5, P5e, P5en) and Blackwell (P6) [P: CUDA compute capabilities].
export const CUDA_GENCODE = "-gencode=arch=compute_90,code=sm_90 -gencode=arch=compute_100,code=sm_100";

/** Every pinned source tree of the image, in build order. */
export const SLURMD_IMAGE_SOURCES = { nccl: NCCL, awsOfiNccl: AWS_OFI_NCCL, ncclTests: NCCL_TESTS, slurmHeaders: SLURM_HEADERS, pyxis: PYXIS, enroot: ENROOT } as const;
