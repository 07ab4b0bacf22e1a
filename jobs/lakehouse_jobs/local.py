"""Local harness: a Spark session like Glue's, tables created from the TypeScript specs, jobs run with
the same arguments Glue passes. Used by the tests, the benchmark and the demo; never by a job.

The table specs and the jobs' parameters come from the contract `build/table-specs.json`, written by
`npx ts-node --transpile-only scripts/export-table-specs.ts [out-file] [stack]` from `tables/` and the
stack's own configuration (dev by default): the only place a table's schema or a job's parameter is
declared. `export_table_specs` writes it for another stack.
"""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from .argument_values import parse_identifier
from .entry import run_job
from .local_layout import apply_sort_order
from .report import JobReport
from .vectorized_reads import guard_vectorized_reads

REPO = Path(__file__).resolve().parents[2]
ICEBERG_JAR = REPO / ".cache" / "jars" / "iceberg-spark-runtime-3.5_2.12-1.7.1.jar"
# Hadoop's local file system sets each new file's permissions through Hadoop's native library or, with
# none (PySpark ships none), by forking `chmod`: twice a file (the file and its .crc), about 10 ms each on
# this machine, 793 times in the tests' two-day pipeline on a new lake. BareLocalFileSystem is that same
# file system (a LocalFileSystem: checksums and all) with the permissions set through java.nio instead.
# It must be on the JVM's own class path: Spark opens the local file system before it loads spark.jars.
# Only local runs use it: a Glue job's tables are on S3.
BARE_LOCAL_FS_JAR = REPO / ".cache" / "jars" / "hadoop-bare-naked-local-fs-0.1.0.jar"
BARE_LOCAL_FS = "com.globalmentor.apache.hadoop.fs.BareLocalFileSystem"
TABLE_SPECS = REPO / "build" / "table-specs.json"
CATALOG = "glue_catalog"
ARROW_BOUNDS_CHECKS = "-Darrow.enable_unsafe_memory_access=false"


def create_local_session(
    warehouse: Path,
    driver_memory: str = "2g",
    shuffle_partitions: int = 4,
    extra_settings: Mapping[str, str] | None = None,
) -> SparkSession:
    """local[2] Spark with Iceberg: catalog `glue_catalog` is a Hadoop catalog on `warehouse`, whose file
    system sets file permissions without forking `chmod` (BARE_LOCAL_FS). Arrow's bounds checks are on,
    so that a read of freed memory throws instead of corrupting the JVM's heap, and Iceberg's vectorized
    reads are guarded as the jobs guard them (vectorized_reads.py).
    `extra_settings`: more Spark settings that must be set before the JVM starts (the benchmark's
    profile: Spark's event log)."""
    for jar in (ICEBERG_JAR, BARE_LOCAL_FS_JAR):
        if not jar.exists():
            raise FileNotFoundError(f"{jar} is missing; run: bash scripts/setup-python.sh")
    catalog = f"spark.sql.catalog.{CATALOG}"
    session = (
        SparkSession.builder.master("local[2]")
        .appName("lakehouse-local")
        .config("spark.jars", str(ICEBERG_JAR))
        .config("spark.driver.extraClassPath", str(BARE_LOCAL_FS_JAR))
        .config("spark.hadoop.fs.file.impl", BARE_LOCAL_FS)
        .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config(catalog, "org.apache.iceberg.spark.SparkCatalog")
        .config(f"{catalog}.type", "hadoop")
        .config(f"{catalog}.warehouse", str(Path(warehouse).resolve()))
        .config(f"{catalog}.table-default.format-version", "2")
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", ARROW_BOUNDS_CHECKS)
        .config(map=dict(extra_settings or {}))
        .getOrCreate()
    )
    guard_vectorized_reads(session)
    return session


TABLE_SPECS_VERSION = 2  # scripts/table-specs.ts


def load_table_specs(path: Path = TABLE_SPECS) -> dict[str, Any]:
    if not Path(path).exists():
        raise FileNotFoundError(
            f"{path} is missing; run: npx ts-node --transpile-only scripts/export-table-specs.ts"
        )
    specs = json.loads(Path(path).read_text(encoding="utf-8"))
    if specs.get("version") != TABLE_SPECS_VERSION:
        raise ValueError(
            f"{path} is version {specs.get('version')} of the contract, not {TABLE_SPECS_VERSION}; "
            "export it again: npx ts-node --transpile-only scripts/export-table-specs.ts"
        )
    return specs


def export_table_specs(stack: str, out: Path) -> dict[str, Any]:
    """Exports the contract of `stack` (its Pulumi.<stack>.yaml) to `out` and loads it."""
    command = ["npx", "--no-install", "ts-node", "--transpile-only", "scripts/export-table-specs.ts"]
    done = subprocess.run([*command, str(out), stack], cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"scripts/export-table-specs.ts {out} {stack} failed: {done.stderr.strip()}")
    return load_table_specs(out)


def table_spec(specs: Mapping[str, Any], name: str) -> dict[str, Any]:
    for table in specs["tables"]:
        if table["name"] == name:
            return table
    raise KeyError(
        f"[table] {name} is not declared; declared: {', '.join(t['name'] for t in specs['tables'])}"
    )


def create_table_sql(specs: Mapping[str, Any], table: Mapping[str, Any], database: str) -> str:
    """The spec's Spark DDL, aimed at `database` instead of the one the specs were exported for."""
    exported = f"CREATE TABLE `{specs['catalog']}`.`{specs['database']}`.`{table['name']}` ("
    if not table["sparkCreateTable"].startswith(exported):
        raise ValueError(f"[sparkCreateTable] of {table['name']} does not start with {exported!r}")
    aimed = f"CREATE TABLE IF NOT EXISTS `{specs['catalog']}`.`{parse_identifier('database', database)}`."
    return aimed + table["sparkCreateTable"][len(exported) - len(f"`{table['name']}` (") :]


def create_tables(spark: SparkSession, specs: Mapping[str, Any], database: str) -> None:
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {specs['catalog']}.{parse_identifier('database', database)}")
    for table in specs["tables"]:
        spark.sql(create_table_sql(specs, table, database))
        if table.get("sortOrder"):  # CREATE TABLE declares no sort order (on AWS, Glue's update sets it)
            apply_sort_order(spark, f"{specs['catalog']}.{database}.{table['name']}", table["sortOrder"])


def _sql_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def plan_added_columns(
    table: str, existing: Sequence[tuple[str, str]], declared: Sequence[Mapping[str, str]]
) -> list[str]:
    """`ALTER TABLE ... ADD COLUMNS` statements that bring `existing` (name, type) to the declared
    columns. Only additions are applied here (metadata-only in Iceberg, no data file rewritten); any
    other difference is refused, naming the column (pure)."""
    have = dict(existing)
    wanted = {c["name"] for c in declared}
    only_additions = "only added columns are applied"
    for name in have:
        if name not in wanted:
            raise ValueError(
                f"[columns] {table}.{name} exists in the table but not in the spec; {only_additions}"
            )
    statements, previous = [], None
    for column in declared:
        name, kind = column["name"], column["type"]
        if name in have:
            if have[name] != re.sub(r"\s+", "", kind):
                differs = f"is {have[name]} in the table and {kind} in the spec"
                raise ValueError(f"[columns] {table}.{name} {differs}; {only_additions}")
        else:
            comment = f" COMMENT {_sql_string(column['comment'])}" if column.get("comment") else ""
            position = "FIRST" if previous is None else f"AFTER `{previous}`"
            statements.append(f"ALTER TABLE {table} ADD COLUMNS (`{name}` {kind}{comment} {position})")
        previous = name
    return statements


def table_columns(spark: SparkSession, table: str) -> list[tuple[str, str]]:
    return [(f.name, f.dataType.simpleString()) for f in spark.table(table).schema.fields]


def evolve_table(
    spark: SparkSession, specs: Mapping[str, Any], table: Mapping[str, Any], database: str
) -> list[str]:
    """Applies a (possibly edited) table spec to the live table: adds its new columns. Returns the SQL run."""
    name = f"{specs['catalog']}.{parse_identifier('database', database)}.{table['name']}"
    # sparkColumns carry the Spark type of each declared column (Athena `timestamp` is `timestamp_ntz`).
    statements = plan_added_columns(name, table_columns(spark, name), table["sparkColumns"])
    for statement in statements:
        spark.sql(statement)
    return statements


def job_parameters(specs: Mapping[str, Any], job: str) -> Mapping[str, str]:
    """The job's parameters as the exported stack passes them to Glue (`--key`: value)."""
    jobs = specs["jobs"]
    if job not in jobs:
        raise KeyError(f"[job] the {specs['stack']} stack has no job {job}; its jobs: {', '.join(jobs)}")
    return jobs[job]["parameters"]


def job_arguments(
    job: str, database: str, warehouse: str, specs: Mapping[str, Any], **overrides: object
) -> list[str]:
    """The argument list Glue gives `jobs/<job>.py`: its own keys, catalog, database and warehouse, the
    stack's parameters for the job from the contract, then `overrides` (`landing_uri="..."` stands for
    `--landing-uri ...`; a value given here replaces the stack's)."""
    parameters = dict(job_parameters(specs, job))
    parameters.update({f"--{key.replace('_', '-')}": str(value) for key, value in overrides.items()})
    argv = ["--JOB_NAME", job, "--job-bookmark-option", "job-bookmark-disable"]
    argv += ["--catalog", specs["catalog"], "--database", database, "--warehouse", warehouse]
    for flag, value in parameters.items():
        argv += [flag, value]
    return argv


PIPELINE = ("bronze_ingest", "silver_orders", "silver_customers", "gold_daily_metrics")


def new_run_id() -> str:
    """A pipeline run id as a local run names it (on AWS: the Step Functions execution name)."""
    return f"local-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def run_local_job(
    spark: SparkSession,
    job: str,
    database: str,
    warehouse: str,
    specs: Mapping[str, Any],
    **parameters: object,
) -> JobReport:
    return run_job(spark, job, job_arguments(job, database, warehouse, specs, **parameters))


def run_pipeline(
    spark: SparkSession,
    database: str,
    warehouse: str,
    specs: Mapping[str, Any],
    landing_uri: str,
    parameters: Mapping[str, Mapping[str, object]] | None = None,
    run_id: str | None = None,
) -> dict[str, JobReport]:
    """bronze -> silver orders -> silver customers -> gold, as the state machine runs them: one run id
    for all (the name of their audit branches and pre-run tags)."""
    reports, run_id = {}, run_id or new_run_id()
    for job in PIPELINE:
        extra: dict[str, object] = {"run_id": run_id}
        if job == "bronze_ingest":
            extra["landing_uri"] = landing_uri
        extra.update((parameters or {}).get(job, {}))
        reports[job] = run_local_job(spark, job, database, warehouse, specs, **extra)
    return reports
