"""Local harness: a Spark session like Glue's, tables created from the TypeScript specs, jobs run with
the same arguments Glue passes. Used by the tests, the benchmark and the demo; never by a job.

The table specs come from `build/table-specs.json`, written by
`npx ts-node --transpile-only scripts/export-table-specs.ts` from `tables/seed-tables.ts`: the only
place a table's schema is declared.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from .arguments import parse_identifier
from .entry import run_job
from .local_layout import apply_sort_order
from .report import JobReport

REPO = Path(__file__).resolve().parents[2]
ICEBERG_JAR = REPO / ".cache" / "jars" / "iceberg-spark-runtime-3.5_2.12-1.7.1.jar"
TABLE_SPECS = REPO / "build" / "table-specs.json"
CATALOG = "glue_catalog"


def create_local_session(
    warehouse: Path, driver_memory: str = "2g", shuffle_partitions: int = 4
) -> SparkSession:
    """local[2] Spark with Iceberg: catalog `glue_catalog` is a Hadoop catalog on `warehouse`."""
    if not ICEBERG_JAR.exists():
        raise FileNotFoundError(f"{ICEBERG_JAR} is missing; run: bash scripts/setup-python.sh")
    catalog = f"spark.sql.catalog.{CATALOG}"
    return (
        SparkSession.builder.master("local[2]")
        .appName("lakehouse-local")
        .config("spark.jars", str(ICEBERG_JAR))
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
        .getOrCreate()
    )


def load_table_specs(path: Path = TABLE_SPECS) -> dict[str, Any]:
    if not Path(path).exists():
        raise FileNotFoundError(
            f"{path} is missing; run: npx ts-node --transpile-only scripts/export-table-specs.ts"
        )
    return json.loads(Path(path).read_text(encoding="utf-8"))


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


def table_write_options(specs: Mapping[str, Any]) -> str:
    """The specs' sparkWriteOptions as the `--table-write-options` argument Glue passes."""
    options = {t["name"]: t["sparkWriteOptions"] for t in specs["tables"] if t.get("sparkWriteOptions")}
    return json.dumps(options, sort_keys=True, separators=(",", ":"))


# What the stack derives from the table specs for a job that publishes (quality expectations, tag
# retention), as scripts/export-table-specs.ts exports it beside the specs.
_EXPORTED_PARAMETERS = ("--quality-expectations", "--run-tag-retention-days")


def job_arguments(
    job: str, database: str, warehouse: str, specs: Mapping[str, Any], **parameters: object
) -> list[str]:
    """The argument list Glue gives `jobs/<job>.py`: its own keys, the common ones, the job's own
    (`landing_uri="..."` becomes `--landing-uri ...`)."""
    argv = ["--JOB_NAME", job, "--job-bookmark-option", "job-bookmark-disable"]
    argv += ["--catalog", specs["catalog"], "--database", database, "--warehouse", warehouse]
    argv += ["--table-write-options", table_write_options(specs)]
    exported = specs.get("jobParameters", {}).get(job, {})
    for flag in _EXPORTED_PARAMETERS:
        if flag in exported and flag[2:].replace("-", "_") not in parameters:
            argv += [flag, exported[flag]]
    for key, value in parameters.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    return argv


# The stack's defaults (config/defaults.ts) for the jobs' own parameters.
DEFAULT_PARAMETERS: Mapping[str, Mapping[str, object]] = {
    "bronze_ingest": {"max_bad_record_share": 0.01},
    "silver_customers": {"max_bad_record_share": 0.01},
    "silver_orders": {"max_bad_record_share": 0.01},
    "maintenance": {
        "snapshot_retention_days": 7,
        "snapshots_to_keep": 10,
        "orphan_file_min_age_days": 3,
        "target_file_size_mb": 128,
    },
}
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
    merged = {**DEFAULT_PARAMETERS.get(job, {}), **parameters}
    return run_job(spark, job, job_arguments(job, database, warehouse, specs, **merged))


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
