#!/usr/bin/env bash
# Runs the preview environment tool (`npm run pr-env -- <args>`) as a GitHub Actions step: its output goes
# to the log, and its exit code and its own error message (stderr) become the step outputs `exit-code`
# and `error`, so a later step can quote them in the pull request comment. Exits with the tool's code.
set -uo pipefail
npm run --silent pr-env -- "$@" 2> pr-env-error.txt
code=$?
cat pr-env-error.txt >&2
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
printf 'error<<PR_ENV_ERROR\n%s\nPR_ENV_ERROR\n' "$(cat pr-env-error.txt)" >> "$GITHUB_OUTPUT"
exit $code
