#!/usr/bin/env bash
# Project-local Python 3.11 environment (.venv) with every package pinned by requirements.txt, and the
# local Spark's jars fetched from Maven Central into .cache/ (no network at Spark start-up): the Iceberg
# Spark runtime, and a Hadoop local file system that sets file permissions through Java, not by forking
# chmod (jobs/lakehouse_jobs/local.py says why).
# Safe to re-run: each part is skipped when already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

# group:artifact:version; Maven copies each to $JAR_DIR as artifact-version.jar, the name
# jobs/lakehouse_jobs/local.py opens.
JARS=(
  org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.7.1
  com.globalmentor:hadoop-bare-naked-local-fs:0.1.0
)
JAR_DIR=.cache/jars

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

for artifact in "${JARS[@]}"; do
  IFS=: read -r _ name version <<< "$artifact"
  jar=$name-$version.jar
  if [ -f "$JAR_DIR/$jar" ]; then
    echo "java: $JAR_DIR/$jar present"
    continue
  fi
  echo "java: fetching $artifact from Maven Central"
  mkdir -p "$JAR_DIR"
  if ! command -v mvn > /dev/null; then
    echo "java: Maven is required once, to fetch $artifact from Maven Central: install it and re-run" >&2
    exit 4
  fi
  # Maven's output (colour codes even in batch mode) goes to a log, shown only when the fetch fails.
  if ! mvn --batch-mode --quiet dependency:copy -Dartifact="$artifact" -DoutputDirectory="$JAR_DIR" \
    -Dmaven.repo.local=.cache/m2 > .cache/maven-fetch.log 2>&1; then
    cat .cache/maven-fetch.log >&2
    echo "java: could not fetch $artifact from Maven Central (log above)" >&2
    exit 1
  fi
done
