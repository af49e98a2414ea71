#!/usr/bin/env bash
# Applied migrations never change (docs/ARCHITECTURE.md, "Migrations"): every file of
# migrations/<dialect>/ must have the SHA-256 that migrations/MANIFEST.sha256 records, and every
# file must be listed there. A change to the schema is a new migration, added to the manifest:
#   (cd migrations && sha256sum */*.sql) > migrations/MANIFEST.sha256
# after checking, with `git diff migrations/MANIFEST.sha256`, that only new lines appear.
set -euo pipefail
cd "$(dirname "$0")/../migrations"
expected="$(cat MANIFEST.sha256)"
actual="$(sha256sum */*.sql)"
if [ "$expected" != "$actual" ]; then
  echo "migrations/ differs from migrations/MANIFEST.sha256:" >&2
  diff <(echo "$expected") <(echo "$actual") >&2 || true
  echo "A migration that was released must not change: write a new one. A new migration is" >&2
  echo "added to the manifest with: (cd migrations && sha256sum */*.sql) > migrations/MANIFEST.sha256" >&2
  exit 1
fi
echo "$(echo "$actual" | wc -l) migration(s), each as its manifest records"
