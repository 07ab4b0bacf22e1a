#!/usr/bin/env bash
# Project-local Python 3.11 environment (.venv) with every package pinned by requirements.txt, and the
# Iceberg Spark runtime jar fetched from Maven Central into .cache/ (no network at Spark start-up).
# Safe to re-run: each part is skipped when already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

ICEBERG_ARTIFACT=org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.7.1
JAR_DIR=.cache/jars
JAR=$JAR_DIR/iceberg-spark-runtime-3.5_2.12-1.7.1.jar

python=$(command -v python3.11 || true)
if [ -z "$python" ]; then
  echo "python: Python 3.11 is required (Glue 5.0 runs 3.11); install python3.11 and re-run" >&2
  exit 4 # a missing prerequisite, as every command of the project reports it
fi
stamp=.venv/.requirements-sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "python: .venv matches requirements.txt"
else
  echo "python: installing requirements.txt into .venv"
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

if [ -f "$JAR" ]; then
  echo "java: $JAR present"
else
  echo "java: fetching $ICEBERG_ARTIFACT from Maven Central"
  mkdir -p "$JAR_DIR"
  if ! command -v mvn > /dev/null; then
    echo "java: Maven is required once, to fetch $ICEBERG_ARTIFACT from Maven Central: install it and re-run" >&2
    exit 4
  fi
  # Maven's output (colour codes even in batch mode) goes to a log, shown only when the fetch fails.
  if ! mvn --batch-mode --quiet dependency:copy -Dartifact="$ICEBERG_ARTIFACT" -DoutputDirectory="$JAR_DIR" \
    -Dmaven.repo.local=.cache/m2 > .cache/maven-fetch.log 2>&1; then
    cat .cache/maven-fetch.log >&2
    echo "java: could not fetch $ICEBERG_ARTIFACT from Maven Central (log above)" >&2
    exit 1
  fi
fi
