#!/usr/bin/env bash
# Downloads URL to OUT and keeps it only if its SHA-256 (and size, when given) are the pinned ones.
set -euo pipefail
[ "$#" -eq 4 ] || { echo "usage: $0 URL SHA256 SIZE|- OUT" >&2; exit 2; }
url="$1" sha256="$2" size="$3" out="$4"
case "$sha256" in *[!0-9a-f]*|"") echo "$0: $sha256 is not a SHA-256" >&2; exit 2 ;; esac
[ "${#sha256}" -eq 64 ] || { echo "$0: $sha256 is not a SHA-256" >&2; exit 2; }
curl --fail --silent --show-error --location --retry 3 --proto '=https' --tlsv1.2 -o "$out.part" "$url"
if [ "$size" != - ] && [ "$(stat -c %s "$out.part")" != "$size" ]; then
  echo "$0: $url is $(stat -c %s "$out.part") bytes, the pin says $size" >&2; rm -f "$out.part"; exit 1
fi
got="$(sha256sum "$out.part" | cut -d' ' -f1)"
[ "$got" = "$sha256" ] || { echo "$0: $url has SHA-256 $got, the pin says $sha256" >&2; rm -f "$out.part"; exit 1; }
mv "$out.part" "$out"
