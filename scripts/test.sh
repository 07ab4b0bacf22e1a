#!/usr/bin/env bash
# Every test of the project, from a fresh machine: installs pinned tools, then checks and tests.
# Safe to re-run. The output ends with mocha's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$1"; }

step "install (pinned, idempotent)"
scripts/setup-node.sh
scripts/setup-python.sh
# The Pulumi CLI, built once from its pinned Go module: `npm run stacks` is tested against it.
scripts/setup-pulumi.sh

step "table specs for the Python side"
npx ts-node --transpile-only scripts/export-table-specs.ts

step "type-check (tsc --noEmit)"
npx tsc --noEmit -p tsconfig.json

step "lint (eslint, prettier)"
npx eslint --max-warnings 0 .
npx prettier --check . >/dev/null && echo "prettier: all files formatted"

step "policy pack, offline on every stack (npm run policy:check)"
mkdir -p build
for stack in dev prod; do
  # The full report goes to a file (and to the screen when the check fails); the summary is shown.
  if ! npm run --silent policy:check -- "$stack" > "build/policy-check-$stack.txt"; then
    cat "build/policy-check-$stack.txt"
    exit 1
  fi
  echo "$stack: $(tail -n 2 "build/policy-check-$stack.txt" | head -n 1)"
done

step "Python lint (ruff check, ruff format --check)"
.venv/bin/ruff check jobs bench demo
.venv/bin/ruff format --check jobs bench demo

step "Spark job tests (pytest on local Spark 3.5.4 + Iceberg 1.7.1)"
.venv/bin/python -m pytest jobs -q

step "Demo tests (pytest: Athena->Spark SQL, sample data, run folder, the demo end to end at a small scale)"
.venv/bin/python -m pytest demo -q

step "TypeScript tests (mocha, transpile-only)"
npx mocha
