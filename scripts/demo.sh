#!/usr/bin/env bash
# The main job: installs what it needs, then prints the offline plan of the dev stack.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-node.sh
npx ts-node --transpile-only scripts/offline-plan.ts "${1:-dev}"
