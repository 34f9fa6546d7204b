#!/usr/bin/env bash
# Clones REPOSITORY at TAG into DIR and keeps it only if TAG names COMMIT (a moved tag fails the build).
set -euo pipefail
[ "$#" -eq 4 ] || { echo "usage: $0 REPOSITORY TAG COMMIT DIR" >&2; exit 2; }
repository="$1" tag="$2" commit="$3" dir="$4"
case "$commit" in *[!0-9a-f]*|"") echo "$0: $commit is not a commit id" >&2; exit 2 ;; esac
[ "${#commit}" -eq 40 ] || { echo "$0: $commit is not a commit id" >&2; exit 2; }
git -c advice.detachedHead=false clone --quiet --depth 1 --branch "$tag" "$repository" "$dir"
got="$(git -C "$dir" rev-parse 'HEAD^{commit}')"
[ "$got" = "$commit" ] || { echo "$0: $repository $tag is $got, the pin says $commit" >&2; rm -rf "$dir"; exit 1; }
# Submodules at the commits the pinned tree records (whole: not every server serves one commit shallowly).
git -C "$dir" submodule update --quiet --init --recursive
