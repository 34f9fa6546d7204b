import { SLINKY_IMAGES, slinkyLocalRepository } from "./slinky-charts";
import { ENROOT, PYXIS, SLURM_HEADERS, SLURMD_IMAGE_PATHS } from "./slurmd-image";

// The factory's login image: Slinky's login (the image the slurm chart's LoginSet runs) with Enroot and Pyxis, so
// `srun --container-image` works from a login shell as it does in a batch job: srun loads Pyxis' SPANK plugin on the
// submitting side too (docs/sources.md#slurm-spank-plugins [P]). Enroot, Pyxis and Slurm's headers are the slurmd
// image's pins (slurmd-image.ts), imported, never repeated: both images change together.

/** The image in the factory's registry: one repository, immutable tags derived from the recipe. */
export const LOGIN_IMAGE_REPOSITORY = "gigafactory/login";

// The base is the login image the pinned slurm chart deploys, as the factory mirrors it (ECR repository
// `ghcr/slinkyproject/login`, immutable tags). As for slurmd's base, no digest of the tag could be read from a public
// record [U]: the build resolves the immutable mirrored tag's digest and builds FROM it, recorded in the manifest.
export const LOGIN_BASE = {
  image: SLINKY_IMAGES.login,
  localRepository: slinkyLocalRepository(SLINKY_IMAGES.login),
  digest: null as string | null,
} as const;

/** Where the image keeps what it says about itself, and where Enroot and Pyxis are: the slurmd image's paths. */
export const LOGIN_IMAGE_PATHS = {
  containerToolsPrefix: SLURMD_IMAGE_PATHS.containerToolsPrefix,
  pyxisConfDir: SLURMD_IMAGE_PATHS.pyxisConfDir,
  manifest: "/etc/gigafactory/login-image.txt",
} as const;

/** The pinned source trees the login image builds, in build order: the slurmd image's own objects. */
export const LOGIN_IMAGE_SOURCES = { enroot: ENROOT, slurmHeaders: SLURM_HEADERS, pyxis: PYXIS } as const;
