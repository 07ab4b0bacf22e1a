#!/usr/bin/env bash
# The main job, on a laptop without AWS: installs what it needs, then runs the demo (`python -m demo`):
# the offline plan of a stack (dev by default) and a local Iceberg lakehouse run by the same table specs,
# job entry scripts and Athena SQL as AWS. Options (--scale, --as-of, --days, --dir, --keep, --report):
# bash scripts/demo.sh --help. Safe to re-run: every run starts from a fresh warehouse.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-node.sh
scripts/setup-python.sh
npx ts-node --transpile-only scripts/export-table-specs.ts
exec .venv/bin/python -m demo "$@"
