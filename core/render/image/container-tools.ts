import { ENROOT, PYXIS, SLURM_HEADERS, type PinnedSource } from "../../catalog/slurmd-image";
import { CLONE_PINNED, RECIPE_TOOLS_DIR } from "./recipe-scripts";
import { slurmVersionNumber } from "./slurmd-recipe";

// Enroot and Pyxis as a recipe builds them from the pinned trees (Pyxis against the pinned Slurm release's headers):
// the same commands in every factory image that runs `srun --container-image`.

const SRC = "/usr/local/src";
const clone = (s: PinnedSource, dir: string): string => `${RECIPE_TOOLS_DIR}/${CLONE_PINNED} ${s.repository} ${s.tag} ${s.commit} ${dir}`;

/** The build's commands, in order, for a RUN joined by `&&`; `prefix` is where both are installed. */
export function containerToolsCommands(prefix: string): string[] {
  return [
    clone(ENROOT, `${SRC}/enroot`),
    `make -C ${SRC}/enroot prefix=${prefix} install`,
    `make -C ${SRC}/enroot prefix=${prefix} setcap`,
    clone(SLURM_HEADERS, `${SRC}/slurm`),
    // What configure would write: the release's version number, as SLURM_VERSION_NUM computes it.
    `sed 's/^#undef SLURM_VERSION_NUMBER$/#define SLURM_VERSION_NUMBER ${slurmVersionNumber()}/' ${SRC}/slurm/slurm/slurm_version.h.in > ${SRC}/slurm/slurm/slurm_version.h`,
    clone(PYXIS, `${SRC}/pyxis`),
    `make -C ${SRC}/pyxis prefix=${prefix} CPPFLAGS=-I${SRC}/slurm install`,
    `rm -rf ${SRC}/enroot ${SRC}/slurm ${SRC}/pyxis`,
  ];
}

/** The line that says which pins they are built from. */
export function containerToolsComment(): string {
  return `# Enroot ${ENROOT.tag} and Pyxis ${PYXIS.tag} (against Slurm ${SLURM_HEADERS.tag}'s headers): srun --container-image.`;
}
