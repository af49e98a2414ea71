#!/usr/bin/env bash
# Installs the test tooling from the npm registry, exactly as package-lock.json pins it
# (`npm ci`), when node_modules is missing or was installed from another lockfile: playwright-core
# (browser tests) and tableschema (the independent validator of the SCDL files). Never needed to
# build or run octroi.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "octroi: npm is missing (scripts/install-deps.sh installs nodejs)" >&2; exit 1; }
stamp=node_modules/.octroi-lockfile.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --no-audit --no-fund
echo "$want" > "$stamp"
