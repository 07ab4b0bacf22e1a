"""Iceberg snapshot plumbing: commits that carry properties, lineage lookup, incremental reads.

A job records, in its target's commit summary, the snapshot of every source table it processed
(`lakehouse.source.<table>` = snapshot id). The next run reads that back from the target's history and
processes only what was committed to the sources since then, so a daily run costs in proportion to the
day's data. When a recorded snapshot is gone (expired by maintenance, or the table was rolled back),
the job reprocesses the whole source: every write is an idempotent MERGE or a replace of what it
recomputes, so this costs time, never correctness.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pyspark.java_gateway import ensure_callback_server_started
from pyspark.sql import DataFrame, SparkSession

LOG = logging.getLogger("lakehouse_jobs")
SOURCE_PREFIX = "lakehouse.source."
JOB_PROPERTY = "lakehouse.job"


@dataclass(frozen=True)
class Lakehouse:
    """Where the tables are, and the write options the table specs declare (from job arguments)."""

    catalog: str
    database: str
    write_options: Mapping[str, Mapping[str, str]]

    def table(self, name: str) -> str:
        return f"{self.catalog}.{self.database}.{name}"

    def procedure(self, name: str) -> str:
        return f"{self.catalog}.system.{name}"

    def procedure_table(self, name: str) -> str:
        """Table argument of an Iceberg procedure, which resolves it inside the procedure's catalog."""
        return f"{self.database}.{name}"


class _JavaCallable:
    """A Python function the JVM can call as `java.util.concurrent.Callable` (py4j callback)."""

    def __init__(self, action: Callable[[], None]) -> None:
        self.action = action

    def call(self) -> None:
        self.action()

    class Java:
        implements = ("java.util.concurrent.Callable",)


def commit_with_properties(
    spark: SparkSession, properties: Mapping[str, str], action: Callable[[], None]
) -> None:
    """Runs `action` (SQL MERGE or DataFrame write) so its Iceberg commit carries `properties` in the
    snapshot summary. Iceberg's `CommitMetadata.withCommitProperties` is the supported way for SQL
    commands, which take no write options; it keeps the properties in a JVM thread-local, and PySpark's
    pinned-thread gateway runs the callback's Spark calls on that same JVM thread."""
    gateway = spark.sparkContext._gateway
    ensure_callback_server_started(gateway)
    jvm = spark.sparkContext._jvm
    java_properties = jvm.java.util.HashMap()
    for key, value in properties.items():
        java_properties.put(key, value)
    jvm.org.apache.iceberg.spark.CommitMetadata.withCommitProperties(
        java_properties, _JavaCallable(action), jvm.java.lang.RuntimeException._java_lang_class
    )


def current_snapshot_id(spark: SparkSession, table: str) -> int | None:
    rows = spark.sql(f"SELECT snapshot_id FROM {table}.refs WHERE name = 'main'").collect()
    return rows[0].snapshot_id if rows else None


def _ancestry(spark: SparkSession, table: str) -> list[tuple[int, dict[str, str]]]:
    """The current snapshot and its retained ancestors, newest first, with their summaries."""
    snapshots = {
        r.snapshot_id: (r.parent_id, dict(r.summary or {}))
        for r in spark.sql(f"SELECT snapshot_id, parent_id, summary FROM {table}.snapshots").collect()
    }
    chain, snapshot_id = [], current_snapshot_id(spark, table)
    while snapshot_id is not None and snapshot_id in snapshots:
        parent_id, summary = snapshots[snapshot_id]
        chain.append((snapshot_id, summary))
        snapshot_id = parent_id
    return chain


def recorded_sources(spark: SparkSession, target: str) -> dict[str, str]:
    """`lakehouse.*` properties of the newest commit of `target` made by one of these jobs (commits of
    maintenance procedures or other engines carry none, so they are skipped)."""
    for _snapshot_id, summary in _ancestry(spark, target):
        if JOB_PROPERTY in summary:
            return {k: v for k, v in summary.items() if k.startswith("lakehouse.")}
    return {}


def source_property(table_name: str) -> str:
    return f"{SOURCE_PREFIX}{table_name}"


@dataclass(frozen=True)
class Increment:
    """What a job reads from one source: the rows, and the snapshot range they come from."""

    rows: DataFrame
    table_name: str
    start_snapshot_id: int | None
    end_snapshot_id: int | None
    mode: str  # "incremental" | "full" | "empty"

    def describe(self) -> str:
        return f"{self.mode}:{self.start_snapshot_id}..{self.end_snapshot_id}"


def is_ancestor(spark: SparkSession, table: str, snapshot_id: int) -> bool:
    return any(s == snapshot_id for s, _ in _ancestry(spark, table))


def read_increment(
    spark: SparkSession,
    lakehouse: Lakehouse,
    table_name: str,
    recorded: Mapping[str, str],
    changes: bool = False,
) -> Increment:
    """Rows appended to `table_name` since the snapshot recorded in `recorded` (or, with `changes`,
    the changelog rows of every commit since then, including copy-on-write MERGE rewrites)."""
    table = lakehouse.table(table_name)
    end = current_snapshot_id(spark, table)
    start_text = recorded.get(source_property(table_name))
    start = int(start_text) if start_text is not None else None
    source = f"{table}.changes" if changes else table
    if end is None or start == end:
        empty = spark.read.table(table).limit(0)
        return Increment(empty, table_name, start, end, "empty")
    if start is not None and is_ancestor(spark, table, start):
        rows = spark.read.option("start-snapshot-id", start).option("end-snapshot-id", end).table(source)
        return Increment(rows, table_name, start, end, "incremental")
    if start is not None:
        LOG.warning(
            "%s: recorded snapshot %s is no longer in its history (expired or rolled back); "
            "reprocessing the whole table as of snapshot %s",
            table,
            start,
            end,
        )
    return Increment(read_as_of(spark, table, end), table_name, start, end, "full")


def read_as_of(spark: SparkSession, table: str, snapshot_id: int | None) -> DataFrame:
    if snapshot_id is None:
        return spark.read.table(table)
    return spark.read.option("snapshot-id", snapshot_id).table(table)


def pinned_snapshot(spark: SparkSession, lakehouse: Lakehouse, table_name: str) -> int | None:
    return current_snapshot_id(spark, lakehouse.table(table_name))


def lineage_properties(job: str, snapshots: Mapping[str, int | None]) -> dict[str, str]:
    properties = {JOB_PROPERTY: job}
    for table_name, snapshot_id in snapshots.items():
        if snapshot_id is not None:
            properties[source_property(table_name)] = str(snapshot_id)
    return properties
