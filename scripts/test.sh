#!/usr/bin/env bash
# Every test of the project, from a fresh machine: installs pinned tools, then checks and tests.
# Safe to re-run. The output ends with the engine tests' mocha summary.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$1"; }

step "install (pinned, idempotent)"
scripts/setup-node.sh
scripts/setup-python.sh
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

# The TypeScript tests are mostly one Node thread waiting on moto and the Pulumi CLI, the Spark tests
# mostly the JVM: on 2 cores they overlap, so they run side by side (the TypeScript suites take about
# 6 minutes alone). The TypeScript output is kept in a file and shown after the Spark tests, whole.
typescript_log=build/test-typescript.log
(
  set -e
  step "TypeScript tests (mocha, transpile-only)"
  npx mocha
  step "Engine tests (mocha): the providers, the policy pack and the preview tool through the real Pulumi CLI"
  # The CLI and the dynamic-provider plugin script it starts, both from scripts/setup-pulumi.sh.
  PATH="$PWD/.cache/pulumi/bin:$PATH" npx mocha --config .mocharc.engine.json
) > "$typescript_log" 2>&1 &
typescript_tests=$!

# A function, not a `( set -e ... ) || status=$?` subshell: bash ignores set -e on the left of ||.
run_spark_tests() {
  step "Spark job tests (pytest on local Spark 3.5.4 + Iceberg 1.7.1)"
  .venv/bin/python -m pytest jobs -q || return $?
  step "Demo tests (pytest: Athena->Spark SQL, sample data, run folder, the demo end to end at a small scale)"
  .venv/bin/python -m pytest demo -q
}
spark_status=0
run_spark_tests || spark_status=$?

typescript_status=0
wait "$typescript_tests" || typescript_status=$?
cat "$typescript_log"
if [ "$spark_status" -ne 0 ] || [ "$typescript_status" -ne 0 ]; then
  printf '\nFAILED: Spark and demo tests exit %s, TypeScript and engine tests exit %s\n' \
    "$spark_status" "$typescript_status" >&2
  exit 1
fi
