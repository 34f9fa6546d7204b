import { shellQuote } from "../../lib/shell";
import { ENROOT, PYXIS, SLURMD_IMAGE_PATHS, NCCL_TESTS_ALL_REDUCE } from "../../catalog/slurmd-image";

// The slurmd image's build scripts: every network fetch of the build goes through one of the first three, so the
// recipe's test can hold that nothing enters the image unchecked; the fourth checks the finished image's entry points.

/** Where the build scripts are copied in the image (and kept, so a node can re-run the entry-point check). */
export const RECIPE_TOOLS_DIR = "/usr/local/lib/gigafactory";

export const FETCH_VERIFIED = "fetch-verified.sh";
export const CLONE_PINNED = "clone-pinned.sh";
export const IMPORT_KEY = "import-key.sh";
export const CHECK_IMAGE = "check-image.sh";

/** fetch-verified.sh URL SHA256 SIZE|- OUT: the file, or nothing and exit 1 when its digest or size differs. */
export function renderFetchVerified(): string {
  return `#!/usr/bin/env bash
# Downloads URL to OUT and keeps it only if its SHA-256 (and size, when given) are the pinned ones.
set -euo pipefail
[ "$#" -eq 4 ] || { echo "usage: $0 URL SHA256 SIZE|- OUT" >&2; exit 2; }
url="$1" sha256="$2" size="$3" out="$4"
case "$sha256" in *[!0-9a-f]*|"") echo "$0: $sha256 is not a SHA-256" >&2; exit 2 ;; esac
[ "\${#sha256}" -eq 64 ] || { echo "$0: $sha256 is not a SHA-256" >&2; exit 2; }
curl --fail --silent --show-error --location --retry 3 --proto '=https' --tlsv1.2 -o "$out.part" "$url"
if [ "$size" != - ] && [ "$(stat -c %s "$out.part")" != "$size" ]; then
  echo "$0: $url is $(stat -c %s "$out.part") bytes, the pin says $size" >&2; rm -f "$out.part"; exit 1
fi
got="$(sha256sum "$out.part" | cut -d' ' -f1)"
[ "$got" = "$sha256" ] || { echo "$0: $url has SHA-256 $got, the pin says $sha256" >&2; rm -f "$out.part"; exit 1; }
mv "$out.part" "$out"
`;
}

/** clone-pinned.sh REPOSITORY TAG COMMIT DIR: the tree at the tag, refused unless the tag is the pinned commit. */
export function renderClonePinned(): string {
  return `#!/usr/bin/env bash
# Clones REPOSITORY at TAG into DIR and keeps it only if TAG names COMMIT (a moved tag fails the build).
set -euo pipefail
[ "$#" -eq 4 ] || { echo "usage: $0 REPOSITORY TAG COMMIT DIR" >&2; exit 2; }
repository="$1" tag="$2" commit="$3" dir="$4"
case "$commit" in *[!0-9a-f]*|"") echo "$0: $commit is not a commit id" >&2; exit 2 ;; esac
[ "\${#commit}" -eq 40 ] || { echo "$0: $commit is not a commit id" >&2; exit 2; }
git -c advice.detachedHead=false clone --quiet --depth 1 --branch "$tag" "$repository" "$dir"
got="$(git -C "$dir" rev-parse 'HEAD^{commit}')"
[ "$got" = "$commit" ] || { echo "$0: $repository $tag is $got, the pin says $commit" >&2; rm -rf "$dir"; exit 1; }
# Submodules at the commits the pinned tree records (whole: not every server serves one commit shallowly).
git -C "$dir" submodule update --quiet --init --recursive
`;
}

/** import-key.sh URL FINGERPRINT OUT: a public key, written (dearmored) only if its fingerprint is the pinned one. */
export function renderImportKey(): string {
  return `#!/usr/bin/env bash
# Fetches a signing key and writes it to OUT as a keyring only if its primary fingerprint is FINGERPRINT.
set -euo pipefail
[ "$#" -eq 3 ] || { echo "usage: $0 URL FINGERPRINT OUT" >&2; exit 2; }
url="$1" fingerprint="$2" out="$3"
key="$(mktemp)"
curl --fail --silent --show-error --location --retry 3 --proto '=https' --tlsv1.2 -o "$key" "$url"
got="$(gpg --batch --show-keys --with-colons "$key" | awk -F: '/^fpr:/ { print $10; exit }')"
[ "$got" = "$fingerprint" ] || { echo "$0: $url has fingerprint \${got:-none}, the pin says $fingerprint" >&2; rm -f "$key"; exit 1; }
gpg --batch --yes --dearmor -o "$out" "$key"
rm -f "$key"
`;
}

/** The entry points the health checks and acceptance jobs call, each as `test -x`/`-f` of a path in the image. */
export function imageEntryPoints(): Array<{ path: string; kind: "executable" | "file"; why: string }> {
  const p = SLURMD_IMAGE_PATHS;
  return [
    { path: NCCL_TESTS_ALL_REDUCE, kind: "executable", why: "the acceptance jobs' and the burn-in's NCCL all-reduce" },
    { path: `${p.efaBinDir}/fi_info`, kind: "executable", why: "the health check's EFA device count" },
    { path: `${p.efaBinDir}/fi_pingpong`, kind: "executable", why: "the burn-in's EFA loopback" },
    { path: `${p.efaLibDir}/libfabric.so.1`, kind: "file", why: "libfabric, which NCCL reaches EFA through" },
    { path: `${p.ncclHome}/lib/libnccl.so.2`, kind: "file", why: "NCCL" },
    { path: `${p.ofiNcclHome}/lib/libnccl-net-ofi.so`, kind: "file", why: "aws-ofi-nccl, NCCL's network plugin for EFA" },
    { path: `${p.cudaLibDir}/libcudart.so.13`, kind: "file", why: "the CUDA runtime" },
    { path: `${p.dcgmBinDir}/dcgmi`, kind: "executable", why: "the health checks' DCGM diagnostics" },
    { path: `${p.dcgmBinDir}/nv-hostengine`, kind: "executable", why: "DCGM's host engine, which the health checks start for dcgmi" },
    { path: `${p.containerToolsPrefix}/bin/enroot`, kind: "executable", why: "Enroot, the container runtime of srun --container-image" },
    { path: `${p.containerToolsPrefix}/lib/slurm/spank_pyxis.so`, kind: "file", why: "Pyxis, the SPANK plugin of srun --container-image" },
    { path: `${p.pyxisConfDir}/pyxis.conf`, kind: "file", why: "Pyxis' entry, which plugstack.conf includes" },
  ];
}

/**
 * check-image.sh: every entry point present, and all_reduce_perf linked against nothing missing. Run as the build's
 * last step; IMAGE_ROOT (default /) lets it check an unpacked image, or a tree of stubs.
 */
export function renderCheckImage(): string {
  const checks = imageEntryPoints().map(
    (e) => `need ${e.kind === "executable" ? "-x" : "-f"} ${shellQuote(e.path)} ${shellQuote(e.why)}`,
  );
  return `#!/usr/bin/env bash
# The slurmd image's entry points: what the factory's health checks and acceptance jobs call, at the paths they call.
set -uo pipefail
ROOT="\${IMAGE_ROOT:-}"
missing=0
need() {
  if ! test "$1" "$ROOT$2"; then echo "missing: $2 ($3)" >&2; missing=$((missing + 1)); fi
}
${checks.join("\n")}
if [ -z "$ROOT" ] && [ -x ${shellQuote(NCCL_TESTS_ALL_REDUCE)} ]; then
  unresolved="$(ldd ${shellQuote(NCCL_TESTS_ALL_REDUCE)} 2>/dev/null | grep 'not found' | grep -v libcuda.so)" || unresolved=""
  # libcuda comes from the node's driver at run time (the container toolkit mounts it), never from the image.
  [ -z "$unresolved" ] || { echo "all_reduce_perf cannot load: $unresolved" >&2; missing=$((missing + 1)); }
fi
[ "$missing" -eq 0 ] || { echo "$missing entry point(s) missing from the slurmd image" >&2; exit 1; }
echo "slurmd image: every entry point present (Enroot ${ENROOT.tag}, Pyxis ${PYXIS.tag})"
`;
}
