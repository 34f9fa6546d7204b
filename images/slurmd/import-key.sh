#!/usr/bin/env bash
# Fetches a signing key and writes it to OUT as a keyring only if its primary fingerprint is FINGERPRINT.
set -euo pipefail
[ "$#" -eq 3 ] || { echo "usage: $0 URL FINGERPRINT OUT" >&2; exit 2; }
url="$1" fingerprint="$2" out="$3"
key="$(mktemp)"
curl --fail --silent --show-error --location --retry 3 --proto '=https' --tlsv1.2 -o "$key" "$url"
got="$(gpg --batch --show-keys --with-colons "$key" | awk -F: '/^fpr:/ { print $10; exit }')"
[ "$got" = "$fingerprint" ] || { echo "$0: $url has fingerprint ${got:-none}, the pin says $fingerprint" >&2; rm -f "$key"; exit 1; }
gpg --batch --yes --dearmor -o "$out" "$key"
rm -f "$key"
