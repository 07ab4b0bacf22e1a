"""Iceberg plumbing: where the tables are, commits that carry properties, reads pinned to a snapshot.

Commit properties (`lakehouse.job`, `lakehouse.run-seq`) label each commit in the snapshot history for
audit. Progress is not kept there (snapshot expiry removes summaries): see progress.py.

A job's run writes the tables it publishes through their audit branch (write-audit-publish, see
publish.py): `Lakehouse.table` names `catalog.db.table.branch_<branch>` for those, so every read and
write of the job sees the branch, and readers of `catalog.db.table` (main) see nothing unpublished.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pyspark.java_gateway import ensure_callback_server_started
from pyspark.sql import DataFrame, SparkSession

from .iceberg_tables import ref_snapshots, snapshot_summary

JOB_PROPERTY = "lakehouse.job"
RUN_SEQ_PROPERTY = "lakehouse.run-seq"
MAIN = "main"
_BRANCH_IDENTIFIER = "branch_"  # Iceberg's Spark identifier of a branch: `table.branch_<name>`


@dataclass(frozen=True)
class Lakehouse:
    """Where the tables are, the write options the table specs declare (from job arguments), and the
    audit branch each table this run publishes is written through (none: main)."""

    catalog: str
    database: str
    write_options: Mapping[str, Mapping[str, str]]
    audit_branches: Mapping[str, str] = field(default_factory=dict)

    def table(self, name: str) -> str:
        """The table as this run reads and writes it: its audit branch when the run publishes it."""
        branch = self.audit_branches.get(name)
        main = self.main_table(name)
        return main if branch is None else f"{main}.{_BRANCH_IDENTIFIER}{branch}"

    def main_table(self, name: str) -> str:
        """The table as readers see it (main)."""
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


def commit_run(
    spark: SparkSession, table: str, job: str, run_seq: int, action: Callable[[], None]
) -> int | None:
    """Runs `action` (a MERGE or write into `table`) as run `run_seq` of `job`; returns the table's
    snapshot after it."""
    commit_with_properties(spark, {JOB_PROPERTY: job, RUN_SEQ_PROPERTY: str(run_seq)}, action)
    return current_snapshot_id(spark, table)


def split_ref(table: str) -> tuple[str, str]:
    """(`catalog.db.table`, branch) of a table as `Lakehouse.table` names it; main when no branch (pure)."""
    parts = table.split(".")
    if len(parts) == 4 and parts[3].startswith(_BRANCH_IDENTIFIER):
        return ".".join(parts[:3]), parts[3][len(_BRANCH_IDENTIFIER) :]
    return table, MAIN


def current_snapshot_id(spark: SparkSession, table: str) -> int | None:
    """The snapshot the table's branch (main, or the audit branch it is named by) points at."""
    base, ref = split_ref(table)
    return ref_snapshots(spark, base, [ref]).get(ref)


def holds_no_data(spark: SparkSession, table: str, snapshot_id: int | None) -> bool:
    """Whether snapshot `snapshot_id` of `table` (None: the table has none) holds no data file, from
    its summary (no data file read). A snapshot with data files whose rows are all deleted is not."""
    if snapshot_id is None:
        return True
    summary = snapshot_summary(spark, split_ref(table)[0], snapshot_id)
    return summary is not None and summary.get("total-data-files") == "0"


def read_as_of(spark: SparkSession, table: str, snapshot_id: int | None) -> DataFrame:
    if snapshot_id is None:
        return spark.read.table(table)
    # A snapshot id names one snapshot of the table whatever branch holds it; Iceberg refuses a snapshot
    # id together with a branch, so the read goes through the table itself.
    return spark.read.option("snapshot-id", snapshot_id).table(split_ref(table)[0])
