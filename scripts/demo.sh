#!/usr/bin/env bash
# The main job, on a laptop without AWS: installs what it needs, then runs the demo (`python -m demo`):
# the offline plan of a stack (dev by default) and a local Iceberg lakehouse run by the same table specs,
# job entry scripts and Athena SQL as AWS. Options (--scale, --as-of, --days, --dir, --keep, --report):
# bash scripts/demo.sh --help. Safe to re-run: every run starts from a fresh warehouse.
# Exit codes, as every command of the project: 0 done, 1 a step failed, 2 usage error, 4 a prerequisite
# is missing. Arguments and prerequisites are checked before anything is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

missing() {
  echo "demo: $1" >&2
  exit 4
}

python=$(command -v python3.11 || true)
[ -n "$python" ] || missing "Python 3.11 is required (Glue 5.0 runs 3.11): install python3.11 and re-run"
# --help and bad arguments answer at once (demo/arguments.py needs only the standard library).
for arg in "$@"; do
  case "$arg" in -h | --help) exec "$python" -m demo.arguments --help ;; esac
done
"$python" -m demo.arguments "$@"

command -v node > /dev/null && command -v npm > /dev/null ||
  missing "Node.js 22 and npm are required (the offline plan, the table specs): install them and re-run"
{ [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; } || command -v java > /dev/null ||
  missing "Java 17 is required (local Spark): install it (or set JAVA_HOME) and re-run"

scripts/setup-node.sh
scripts/setup-python.sh
npx ts-node --transpile-only scripts/export-table-specs.ts
exec .venv/bin/python -m demo "$@"
