#!/usr/bin/env bash
# Installs the exact npm dependencies of package-lock.json. Safe to re-run: skipped when node_modules
# already matches the lockfile (npm ci would delete and reinstall it every time).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm > /dev/null; then
  echo "node: Node.js 22 and npm are required; install them and re-run" >&2
  exit 4 # a missing prerequisite, as every command of the project reports it
fi
stamp=node_modules/.lockfile-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "node: dependencies match package-lock.json"
  exit 0
fi
echo "node: installing dependencies from package-lock.json (npm ci)"
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
